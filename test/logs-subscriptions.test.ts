import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteSubscriptionFilterCommand,
  DescribeDestinationsCommand,
  DescribeSubscriptionFiltersCommand,
  PutDestinationCommand,
  PutDestinationPolicyCommand,
  PutLogEventsCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { sdkConfig, startTestServer } from './helpers/server.ts';

const SENDER = '000000000000';
const RECIPIENT = '999999999999';
const LAMBDA = `arn:aws:lambda:us-east-1:${SENDER}:function:error-alerts`;
const FIREHOSE = `arn:aws:firehose:us-east-1:${RECIPIENT}:deliverystream/central-logs`;
const DESTINATION = `arn:aws:logs:us-east-1:${RECIPIENT}:destination:central`;

/** Fast delivery for tests: short polls, backoff, lease and timeout. */
const FAST = {
  OSPREY_DELIVERY_POLL_MS: '50',
  OSPREY_DELIVERY_BACKOFF_MS: '50',
  OSPREY_DELIVERY_MAX_BACKOFF_MS: '200',
  OSPREY_DELIVERY_LEASE_MS: '1500',
  OSPREY_DELIVERY_TIMEOUT_MS: '1000',
};

interface Message {
  messageType: string;
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: { id: string; timestamp: number; message: string }[];
}

/** What Osprey posts: `{"awslogs":{"data"}}` to a Lambda URL, `{requestId, timestamp, records}` to Firehose. */
interface DeliveryBody { awslogs?: { data: string }; requestId?: string; timestamp?: number; records?: { data: string }[] }

/**
 * A local HTTP receiver standing in for a Lambda function (`/lambda`: `{"awslogs":{"data":…}}`)
 * and a Firehose HTTP endpoint (`/firehose`: `{"requestId","timestamp","records":[{"data":…}]}`).
 * `mode` decides the answers; `accepted` holds the decoded messages of requests answered 200.
 */
class Receiver extends EventEmitter {
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  readonly requests: { path: string; status: number | 'hung'; raw: DeliveryBody }[] = [];
  readonly accepted: { path: string; message: Message }[] = [];
  private readonly hung: ServerResponse[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const path = req.url ?? '';
        const raw = JSON.parse(Buffer.concat(chunks).toString('utf8')) as DeliveryBody;
        if (this.mode === 'hang') {
          this.hung.push(res);
          this.requests.push({ path, status: 'hung', raw });
        } else if (this.mode === 'fail') {
          res.statusCode = 500;
          res.end('try again');
          this.requests.push({ path, status: 500, raw });
        } else {
          const datas: string[] = path === '/lambda' ? [raw.awslogs!.data] : raw.records!.map((r) => r.data);
          for (const d of datas) this.accepted.push({ path, message: JSON.parse(gunzipSync(Buffer.from(d, 'base64')).toString('utf8')) });
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(path === '/lambda' ? {} : { requestId: raw.requestId, timestamp: Date.now() }));
          this.requests.push({ path, status: 200, raw });
        }
        this.emit('request');
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once `done()` holds, re-checking after every request. */
  async waitFor(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
    if (done()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('request', check);
        reject(new Error(`timed out waiting for ${what}; ${this.requests.length} requests so far`));
      }, timeoutMs);
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.off('request', check);
        resolve();
      };
      this.on('request', check);
    });
  }

  /** Events accepted so far (duplicates collapsed by event id), for one path and message type. */
  events(path: string): Map<string, { message: string; m: Message }> {
    const out = new Map<string, { message: string; m: Message }>();
    for (const a of this.accepted) {
      if (a.path !== path || a.message.messageType !== 'DATA_MESSAGE') continue;
      for (const e of a.message.logEvents) out.set(e.id, { message: e.message, m: a.message });
    }
    return out;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

const messagesOf = (events: Map<string, { message: string }>) => [...events.values()].map((e) => e.message).sort();

test('subscription filters deliver exactly the matching events in AWS payload shapes, same- and cross-account', { timeout: 60_000 }, async () => {
  const receiver = new Receiver();
  await receiver.start();
  const server = await startTestServer({
    env: {
      ...FAST,
      OSPREY_ACCESS_KEYS: JSON.stringify([
        { accessKeyId: 'test', secretAccessKey: 'test', accountId: SENDER },
        { accessKeyId: 'recipient', secretAccessKey: 'recipient', accountId: RECIPIENT },
      ]),
      OSPREY_LAMBDA_URLS: JSON.stringify({ [LAMBDA]: `${receiver.url}/lambda` }),
      OSPREY_STREAM_SINKS: JSON.stringify({ [FIREHOSE]: `${receiver.url}/firehose` }),
    },
  });
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const recipient = new CloudWatchLogsClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'recipient', secretAccessKey: 'recipient' } });
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/app', logStreamName: 'web-1' }));

    // A destination that could never be delivered is refused up front.
    await assert.rejects(
      logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/app', filterName: 'x', filterPattern: '', destinationArn: `arn:aws:lambda:us-east-1:${SENDER}:function:unmapped` })),
      (e: Error) => e.name === 'InvalidParameterException' && /OSPREY_LAMBDA_URLS/.test(e.message),
    );
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/app', filterName: 'errors', filterPattern: 'ERROR', destinationArn: LAMBDA }));
    const described = await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: '/app' }));
    assert.deepEqual(
      described.subscriptionFilters?.map((f) => [f.filterName, f.filterPattern, f.destinationArn, f.distribution, typeof f.creationTime]),
      [['errors', 'ERROR', LAMBDA, 'ByLogStream', 'number']],
    );

    const now = Date.now();
    const batch = ['GET /health 200', 'ERROR db timeout', 'GET / 200', 'ERROR upstream 502', 'WARN slow query', 'ERRORCODE: -1']
      .map((message, i) => ({ timestamp: now + i, message }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/app', logStreamName: 'web-1', logEvents: batch }));
    const expected = ['ERROR db timeout', 'ERROR upstream 502', 'ERRORCODE: -1'];
    await receiver.waitFor('the ERROR events at the Lambda URL', () => receiver.events('/lambda').size >= expected.length);
    const lambdaEvents = receiver.events('/lambda');
    assert.deepEqual(messagesOf(lambdaEvents), [...expected].sort());

    // Exactly the CloudWatch Logs → Lambda event, and the documented message inside it.
    const req = receiver.requests.find((r) => r.path === '/lambda' && r.status === 200)!;
    assert.deepEqual(Object.keys(req.raw), ['awslogs']);
    assert.deepEqual(Object.keys(req.raw.awslogs!), ['data']);
    const m = receiver.accepted.find((a) => a.path === '/lambda')!.message;
    assert.deepEqual(Object.keys(m), ['messageType', 'owner', 'logGroup', 'logStream', 'subscriptionFilters', 'logEvents']);
    assert.deepEqual({ ...m, logEvents: undefined }, {
      messageType: 'DATA_MESSAGE', owner: SENDER, logGroup: '/app', logStream: 'web-1', subscriptionFilters: ['errors'], logEvents: undefined,
    });
    for (const e of m.logEvents) {
      assert.deepEqual(Object.keys(e), ['id', 'timestamp', 'message']);
      assert.match(e.id, /^\d+$/);
      assert.equal(e.timestamp, batch.find((b) => b.message === e.message)!.timestamp);
    }

    // Cross-account: the recipient owns a destination in front of its Firehose stream.
    const { destination } = await recipient.send(new PutDestinationCommand({
      destinationName: 'central', targetArn: FIREHOSE, roleArn: `arn:aws:iam::${RECIPIENT}:role/CWLtoFirehose`,
    }));
    assert.equal(destination?.arn, DESTINATION);
    const subscribeToRecipient = () => logs.send(new PutSubscriptionFilterCommand({
      logGroupName: '/app', filterName: 'to-central', filterPattern: 'WARN', destinationArn: DESTINATION,
    }));
    await assert.rejects(subscribeToRecipient(), (e: Error) => e.name === 'AccessDeniedException');
    const accessPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: '', Effect: 'Allow', Principal: { AWS: SENDER }, Action: 'logs:PutSubscriptionFilter', Resource: DESTINATION }],
    });
    await recipient.send(new PutDestinationPolicyCommand({ destinationName: 'central', accessPolicy }));
    const listed = await recipient.send(new DescribeDestinationsCommand({ DestinationNamePrefix: 'cen' }));
    assert.equal(listed.destinations?.[0].accessPolicy, accessPolicy);
    await subscribeToRecipient();
    await assert.rejects(
      logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/app', filterName: 'third', filterPattern: '', destinationArn: LAMBDA })),
      (e: Error) => e.name === 'LimitExceededException',
    );

    await logs.send(new PutLogEventsCommand({
      logGroupName: '/app', logStreamName: 'web-1',
      logEvents: [{ timestamp: Date.now(), message: 'WARN disk 91%' }, { timestamp: Date.now(), message: 'INFO ok' }],
    }));
    await receiver.waitFor('the WARN event at the Firehose endpoint', () => receiver.events('/firehose').size >= 1);
    const firehose = receiver.accepted.filter((a) => a.path === '/firehose').map((a) => a.message);
    assert.equal(firehose[0].messageType, 'CONTROL_MESSAGE', 'a stream subscription starts with a health-check message');
    assert.deepEqual(messagesOf(receiver.events('/firehose')), ['WARN disk 91%']);
    const data = firehose.find((x) => x.messageType === 'DATA_MESSAGE')!;
    assert.equal(data.owner, SENDER);
    assert.deepEqual(data.subscriptionFilters, ['to-central']);
    const fhReq = receiver.requests.find((r) => r.path === '/firehose')!;
    assert.deepEqual(Object.keys(fhReq.raw), ['requestId', 'timestamp', 'records']);

    // After DeleteSubscriptionFilter nothing more goes to the Lambda.
    await logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: '/app', filterName: 'errors' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: '/app', logStreamName: 'web-1', logEvents: [{ timestamp: Date.now(), message: 'ERROR after delete WARN' }] }));
    await receiver.waitFor('the event through the remaining filter', () => receiver.events('/firehose').size >= 2);
    assert.equal(receiver.events('/lambda').size, expected.length);
  } finally {
    logs.destroy();
    recipient.destroy();
    await server.stop();
    server.cleanup();
    await receiver.close();
  }
});

test('deliveries are retried while the receiver fails and survive a SIGKILL mid-delivery', { timeout: 60_000 }, async () => {
  const receiver = new Receiver();
  await receiver.start();
  const env = { ...FAST, OSPREY_LAMBDA_URLS: JSON.stringify({ [LAMBDA]: `${receiver.url}/lambda` }) };
  let server = await startTestServer({ env });
  const dataDir = server.dataDir;
  let logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const put = (messages: string[]) =>
    logs.send(new PutLogEventsCommand({
      logGroupName: '/svc', logStreamName: 'worker',
      logEvents: messages.map((message) => ({ timestamp: Date.now(), message })),
    }));
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/svc' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/svc', logStreamName: 'worker' }));
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: '/svc', filterName: 'errors', filterPattern: 'ERROR', destinationArn: LAMBDA }));

    // The receiver fails: deliveries are retried with backoff, nothing is accepted yet.
    receiver.mode = 'fail';
    await put(['ERROR a1', 'info a2', 'ERROR a3']);
    await receiver.waitFor('three failed attempts', () => receiver.requests.filter((r) => r.status === 500).length >= 3);
    await put(['ERROR b1', 'debug b2']);

    // Now it takes requests and never answers; the server dies while a delivery is in flight.
    receiver.mode = 'hang';
    await receiver.waitFor('a delivery in flight', () => receiver.requests.some((r) => r.status === 'hung'));
    await server.kill();
    logs.destroy();

    // Restart on the same data: everything matching is delivered once the dead process's lease runs out.
    receiver.mode = 'ok';
    server = await startTestServer({ dataDir, env });
    logs = new CloudWatchLogsClient(sdkConfig(server.url));
    await put(['ERROR c1', 'trace c2']);
    const expected = ['ERROR a1', 'ERROR a3', 'ERROR b1', 'ERROR c1'];
    await receiver.waitFor('every ERROR event after the restart', () => receiver.events('/lambda').size >= expected.length);
    const delivered = receiver.events('/lambda');
    assert.deepEqual(messagesOf(delivered), expected);
    // Duplicates are allowed (at-least-once) but always carry the same event id.
    const idsByMessage = new Map<string, Set<string>>();
    for (const a of receiver.accepted) {
      for (const e of a.message.logEvents) idsByMessage.set(e.message, (idsByMessage.get(e.message) ?? new Set()).add(e.id));
    }
    for (const [message, ids] of idsByMessage) assert.equal(ids.size, 1, `${message} arrived with ${ids.size} different ids`);
  } finally {
    logs.destroy();
    await server.stop();
    server.cleanup();
    await receiver.close();
  }
});
