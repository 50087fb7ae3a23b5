import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import type { OutboxRow } from '../../../store/meta/outbox.ts';
import { SubscriptionDelivery, retryAfterMs } from './delivery.ts';
import type { SubscriptionRowPayload } from './payload.ts';
import { DeliveryTargets } from './targets.ts';
import { noNativeStreams } from '../../../server/targets/test-support.ts';

const A = '111111111111';
const LAMBDA = `arn:aws:lambda:us-east-1:${A}:function:f`;
const FIREHOSE = `arn:aws:firehose:us-east-1:${A}:deliverystream/fh`;
const KINESIS = `arn:aws:kinesis:us-east-1:${A}:stream/ks`;

/** What Osprey posts: `{"awslogs":{"data"}}` to a Lambda URL, `{requestId, timestamp, records}` to Firehose. */
interface DeliveryBody { awslogs?: { data: string }; requestId?: string; timestamp?: number; records?: { data: string }[] }

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: DeliveryBody;
}

/** A local receiver; `respond` decides each answer. */
async function receiver(t: { after(fn: () => void): void }, respond: (res: ServerResponse, n: number) => void = (res) => res.end('{}')) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as DeliveryBody });
      respond(res, got.length);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

/** A local port nothing listens on (fetch refuses some well-known low ports outright). */
async function closedPort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

let nextId = 1;
function row(target: string, p: SubscriptionRowPayload): OutboxRow {
  return { id: nextId++, topic: 'logs.subscription', target, payload: JSON.stringify(p), items: 1, bytes: 0, createdAt: 0, attempts: 0, nextAttemptAt: 0, lastError: null };
}
const data = (stream: string, messages: string[], filterName = 'f'): SubscriptionRowPayload => ({
  type: 'data', owner: A, logGroup: '/app', logStream: stream, filterName, destinationArn: 'x',
  events: messages.map((message, i) => ({ id: `id-${message}`, timestamp: 1000 + i, message })),
});
const gunzipJson = (b64: string) => JSON.parse(gunzipSync(Buffer.from(b64, 'base64')).toString('utf8'));

function delivery(targets: ConstructorParameters<typeof DeliveryTargets>[0], timeoutMs = 2000) {
  return new SubscriptionDelivery({ targets: new DeliveryTargets(targets), streams: noNativeStreams, clock: new ManualClock(42), log: silentLogger, timeoutMs });
}

test('Lambda deliveries POST exactly {"awslogs":{"data":…}} per stream and filter, rows of one stream merged', async (t) => {
  const r = await receiver(t);
  const d = delivery({ lambdaFunctions: { [LAMBDA]: `${r.url}/invoke?token=secret` }, streams: {} });
  const rows = [row(LAMBDA, data('s1', ['a', 'b'])), row(LAMBDA, data('s2', ['c'])), row(LAMBDA, data('s1', ['d']))];
  const results = await d.deliver(rows, new AbortController().signal);
  assert.deepEqual(results.map((x) => x.ok), [true, true, true]);
  assert.equal(r.got.length, 2);
  assert.equal(r.got[0].path, '/invoke?token=secret');
  assert.equal(r.got[0].headers['content-type'], 'application/json');
  assert.deepEqual(Object.keys(r.got[0].body), ['awslogs']);
  const m = gunzipJson(r.got[0].body.awslogs!.data);
  assert.deepEqual(m, {
    messageType: 'DATA_MESSAGE', owner: A, logGroup: '/app', logStream: 's1', subscriptionFilters: ['f'],
    logEvents: [{ id: 'id-a', timestamp: 1000, message: 'a' }, { id: 'id-b', timestamp: 1001, message: 'b' }, { id: 'id-d', timestamp: 1000, message: 'd' }],
  });
  assert.equal(gunzipJson(r.got[1].body.awslogs!.data).logStream, 's2');
});

test('a qualified function ARN uses the mapping of the unqualified one', async (t) => {
  const r = await receiver(t);
  const d = delivery({ lambdaFunctions: { [LAMBDA]: r.url }, streams: {} });
  const [res] = await d.deliver([row(`${LAMBDA}:prod`, data('s', ['x']))], new AbortController().signal);
  assert.equal(res.ok, true);
});

test('5xx, 429 and unreachable receivers are retryable; other 4xx are permanent; errors keep no URL secrets', async (t) => {
  const statuses = [500, 429, 404];
  const r = await receiver(t, (res, n) => {
    res.statusCode = statuses[n - 1];
    if (res.statusCode === 429) res.setHeader('retry-after', '7');
    res.end('nope');
  });
  const d = delivery({ lambdaFunctions: { [LAMBDA]: `${r.url}/fn?sig=hidden` }, streams: {} });
  const signal = new AbortController().signal;
  const [a] = await d.deliver([row(LAMBDA, data('s', ['1']))], signal);
  const [b] = await d.deliver([row(LAMBDA, data('s', ['2']))], signal);
  const [c] = await d.deliver([row(LAMBDA, data('s', ['3']))], signal);
  assert.deepEqual(a, { id: a.id, ok: false, permanent: false, error: `HTTP 500 from ${r.url}/fn: nope`, retryAfterMs: undefined });
  assert.deepEqual(b, { id: b.id, ok: false, permanent: false, error: `HTTP 429 from ${r.url}/fn: nope`, retryAfterMs: 7000 });
  assert.equal(c.ok === false && c.permanent, true);

  const down = delivery({ lambdaFunctions: { [LAMBDA]: `http://127.0.0.1:${await closedPort()}/` }, streams: {} });
  const [e] = await down.deliver([row(LAMBDA, data('s', ['x']))], signal);
  assert.equal(e.ok === false && !e.permanent && /ECONNREFUSED/.test(e.error), true, JSON.stringify(e));
});

test('after a retryable failure the rest of the batch for that target is not attempted', async (t) => {
  const r = await receiver(t, (res) => {
    res.statusCode = 503;
    res.end();
  });
  const d = delivery({ lambdaFunctions: { [LAMBDA]: r.url }, streams: {} });
  const results = await d.deliver([row(LAMBDA, data('s1', ['a'])), row(LAMBDA, data('s2', ['b']))], new AbortController().signal);
  assert.equal(r.got.length, 1);
  assert.deepEqual(results.map((x) => x.ok), [false, false]);
});

test('a receiver that does not answer in time is a retryable failure', async (t) => {
  const r = await receiver(t, () => { /* never answers */ });
  const d = delivery({ lambdaFunctions: { [LAMBDA]: r.url }, streams: {} }, 200);
  const [res] = await d.deliver([row(LAMBDA, data('s', ['x']))], new AbortController().signal);
  assert.equal(res.ok === false && !res.permanent && /no answer within 200 ms/.test(res.error), true, JSON.stringify(res));
});

test('stream HTTP sinks receive Firehose HTTP endpoint requests whose request id is stable across retries', async (t) => {
  const r = await receiver(t, (res, n) => {
    res.statusCode = n === 1 ? 500 : 200;
    res.end(JSON.stringify({ requestId: 'x', timestamp: 1 }));
  });
  const d = delivery({ lambdaFunctions: {}, streams: { [FIREHOSE]: `${r.url}/firehose` } });
  const rows = [
    row(FIREHOSE, { type: 'control', kind: 'firehose', filterName: 'f', timestamp: 5 }),
    row(FIREHOSE, data('s1', ['a'])),
    row(FIREHOSE, data('s2', ['b'])),
  ];
  assert.deepEqual((await d.deliver(rows, new AbortController().signal)).map((x) => x.ok), [false, false, false]);
  assert.deepEqual((await d.deliver(rows, new AbortController().signal)).map((x) => x.ok), [true, true, true]);
  const [first, second] = r.got;
  assert.equal(first.headers['x-amz-firehose-request-id'], second.headers['x-amz-firehose-request-id']);
  assert.equal(second.headers['x-amz-firehose-protocol-version'], '1.0');
  assert.equal(second.headers['x-amz-firehose-source-arn'], FIREHOSE);
  assert.deepEqual(Object.keys(second.body), ['requestId', 'timestamp', 'records']);
  assert.equal(second.body.requestId, second.headers['x-amz-firehose-request-id']);
  assert.equal(second.body.timestamp, 42);
  const messages = second.body.records!.map((rec) => gunzipJson(rec.data));
  assert.deepEqual(messages.map((m: { messageType: string; logStream: string }) => [m.messageType, m.logStream]), [
    ['CONTROL_MESSAGE', ''], ['DATA_MESSAGE', 's1'], ['DATA_MESSAGE', 's2'],
  ]);
  assert.equal(messages[0].logEvents[0].message, 'CWL CONTROL MESSAGE: Checking health of destination Firehose.');
});

test('stream file sinks get one base64 gzip record per line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-sink-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'nested', 'ks.records');
  const d = delivery({ lambdaFunctions: {}, streams: { [KINESIS]: pathToFileURL(file).href } });
  await d.deliver([row(KINESIS, { type: 'control', kind: 'kinesis', filterName: 'f', timestamp: 5 })], new AbortController().signal);
  const results = await d.deliver([row(KINESIS, data('s1', ['a', 'b'])), row(KINESIS, data('s1', ['c'], 'g'))], new AbortController().signal);
  assert.deepEqual(results.map((x) => x.ok), [true, true]);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n').map(gunzipJson);
  assert.deepEqual(lines.map((m) => [m.messageType, m.subscriptionFilters, m.logEvents.map((e: { message: string }) => e.message)]), [
    ['CONTROL_MESSAGE', [], ['CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.']],
    ['DATA_MESSAGE', ['f'], ['a', 'b']],
    ['DATA_MESSAGE', ['g'], ['c']],
  ]);
});

test('a Lambda without a mapping, or a stream that is neither mapped nor Osprey\'s own, fails permanently with a hint', async () => {
  const d = delivery({ lambdaFunctions: {}, streams: {} });
  const [l, k] = await d.deliver([row(LAMBDA, data('s', ['x'])), row(KINESIS, data('s', ['y']))], new AbortController().signal);
  assert.equal(l.ok === false && l.permanent && /OSPREY_LAMBDA_URLS/.test(l.error), true);
  assert.equal(k.ok === false && k.permanent && /ResourceNotFoundException/.test(k.error), true);
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  assert.equal(retryAfterMs('3', 0), 3000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4000), 6000);
  assert.equal(retryAfterMs('soon', 0), undefined);
  assert.equal(retryAfterMs(null, 0), undefined);
});
