/**
 * SNS end to end against the real server (`osprey serve --modules sns,cloudwatch`), driven by the
 * SDK v3 client: topics, tags, validation, and what subscribers actually receive — signed http
 * envelopes and confirmation flows, Lambda events, Slack posts, email (a tiny local SMTP sink),
 * filter policies, retries and dead letters, alarm actions, and the signing key across a restart.
 * One server for the file; each test uses its own topics. Delivery backoff is shortened through
 * the server's delivery settings so retries take milliseconds.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { X509Certificate, createVerify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand,
  InvalidParameterException, ListSubscriptionsByTopicCommand, ListSubscriptionsCommand, ListTagsForResourceCommand, ListTopicsCommand,
  NotFoundException, PublishCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand,
  TagResourceCommand, UnsubscribeCommand, UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const LAMBDA_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:handler`;
const arnOf = (name: string, region = REGION) => `arn:aws:sns:${region}:${ACCOUNT}:${name}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Received { method: string; path: string; headers: IncomingHttpHeaders; body: string }
interface Receiver { url: string; got: Received[]; next(): Promise<Received>; close(): Promise<void> }
interface Mail { from: string; to: string[]; data: string }

/** A local HTTP endpoint that answers `status()` and records every request, in order. */
async function startReceiver(status: () => number = () => 200): Promise<Receiver> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(status()).end();
    });
  });
  const url = await listen(server);
  let taken = 0;
  return {
    url,
    got,
    next: () => until(`a request at ${url}`, () => (got.length > taken ? got[taken++] : undefined)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A minimal SMTP server: accepts every message, except recipients starting with `bounce` (550). */
function smtpSink() {
  const mails: Mail[] = [];
  let rejected = 0;
  const server = createNetServer((sock) => {
    let buf = '';
    let inData = false;
    let cur: Mail = { from: '', to: [], data: '' };
    sock.write('220 sink ESMTP\r\n');
    sock.on('data', (chunk) => {
      buf += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mails.push({ ...cur, data: buf.slice(0, end) });
          buf = buf.slice(end + 5);
          inData = false;
          cur = { from: '', to: [], data: '' };
          sock.write('250 2.0.0 queued\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl < 0) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'MAIL') cur.from = line.slice(10);
        if (cmd === 'RCPT' && /<bounce/i.test(line)) {
          rejected++;
          sock.write('550 5.1.1 no such user\r\n');
        } else if (cmd === 'RCPT') {
          cur.to.push(line.slice(8));
          sock.write('250 2.1.5 ok\r\n');
        } else if (cmd === 'DATA') {
          inData = true;
          sock.write('354 go ahead\r\n');
        } else if (cmd === 'QUIT') sock.end('221 bye\r\n');
        else sock.write('250 ok\r\n');
      }
    });
    sock.on('error', () => {});
  });
  let taken = 0;
  return {
    server,
    rejected: () => rejected,
    next: () => until('a mail at the SMTP sink', () => (mails.length > taken ? mails[taken++] : undefined)),
  };
}

let server: TestServer;
let sns: SNSClient;
let lambda: Receiver;
const smtp = smtpSink();
let smtpPort = 0;

/** The server's own settings for this file (SMTP and the Lambda URL only where a test says otherwise). */
function serverEnv(withSmtp: boolean): Record<string, string> {
  return {
    OSPREY_DELIVERY_POLL_MS: '100',
    OSPREY_DELIVERY_BACKOFF_MS: '50',
    OSPREY_DELIVERY_MAX_BACKOFF_MS: '200',
    OSPREY_ACCESS_KEYS: JSON.stringify([
      { accessKeyId: 'test', secretAccessKey: 'test', accountId: ACCOUNT },
      { accessKeyId: 'other', secretAccessKey: 'other', accountId: OTHER_ACCOUNT },
    ]),
    OSPREY_LAMBDA_URLS: JSON.stringify({ [LAMBDA_ARN]: `${lambda.url}/invoke` }),
    ...(withSmtp ? { OSPREY_SNS_SMTP: JSON.stringify({ host: '127.0.0.1', port: smtpPort, secure: false, from: 'osprey@example.com' }) } : {}),
  };
}

before(async () => {
  lambda = await startReceiver();
  smtpPort = Number(new URL(await listen(smtp.server)).port);
  server = await startTestServer({ modules: ['sns', 'cloudwatch'], env: serverEnv(true) });
  sns = new SNSClient(sdkConfig(server.url));
});

after(async () => {
  sns?.destroy();
  await server?.stop();
  server?.cleanup();
  await lambda?.close();
  await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
});

/** A receiver for one test, closed when it ends. */
async function receiver(t: { after(fn: () => Promise<void>): void }, status?: () => number): Promise<Receiver> {
  const r = await startReceiver(status);
  t.after(() => r.close());
  return r;
}

/** Waits for a server log line with this message that `match` accepts. */
function logged(msg: string, match: (rec: Record<string, unknown>) => boolean, ms = 5000): Promise<Record<string, unknown>> {
  return until(`log line "${msg}"`, () => {
    for (const line of server.logs) {
      try {
        const rec = JSON.parse(line) as Record<string, unknown>;
        if (rec.msg === msg && match(rec)) return rec;
      } catch {
        // not a JSON line
      }
    }
    return undefined;
  }, ms);
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.text() };
}

/** AWS's documented string to sign, built here independently of the server. */
function canonical(m: Record<string, unknown>): string {
  const fields = m.Type === 'Notification'
    ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
    : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields.filter((f) => m[f] !== undefined && m[f] !== null).map((f) => `${f}\n${String(m[f])}\n`).join('');
}

/** Verifies an envelope's Signature against the certificate its SigningCertURL serves (what receivers do). */
async function verifySignature(m: Record<string, string>, certUrl = m.SigningCertURL ?? m.SigningCertUrl): Promise<boolean> {
  const cert = await get(certUrl);
  assert.equal(cert.status, 200);
  const algorithm = m.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
  return createVerify(algorithm).update(canonical(m), 'utf8').verify(new X509Certificate(cert.body).publicKey, m.Signature, 'base64');
}

/** Waits a moment and checks nothing more arrived (for messages that must not be delivered). */
async function nothingMore(rx: Receiver, count: number): Promise<void> {
  await sleep(400);
  assert.equal(rx.got.length, count, `unexpected deliveries: ${rx.got.slice(count).map((r) => r.body).join(' | ')}`);
}

test('CreateTopic is idempotent by name, lists, reports attributes and refuses bad names', async () => {
  // Its own region, so the ListTopics page sizes count only this test's topics.
  const region = 'eu-west-2';
  const c = new SNSClient(sdkConfig(server.url, region));
  try {
    const a = await c.send(new CreateTopicCommand({ Name: 't1', Attributes: { DisplayName: 'T 1' }, Tags: [{ Key: 'k', Value: 'v' }] }));
    assert.equal(a.TopicArn, arnOf('t1', region));
    assert.equal((await c.send(new CreateTopicCommand({ Name: 't1' }))).TopicArn, a.TopicArn);
    await assert.rejects(c.send(new CreateTopicCommand({ Name: 't1', Attributes: { DisplayName: 'other' } })), (e: Error) => {
      assert.ok(e instanceof InvalidParameterException);
      assert.match(e.message, /different attributes/);
      return true;
    });
    await assert.rejects(c.send(new CreateTopicCommand({ Name: 'bad name' })), /Invalid parameter: Topic Name/);
    await assert.rejects(c.send(new CreateTopicCommand({ Name: 'x.fifo' })), /FIFO/);

    const attrs = (await c.send(new GetTopicAttributesCommand({ TopicArn: a.TopicArn }))).Attributes!;
    assert.equal(attrs.TopicArn, a.TopicArn);
    assert.equal(attrs.Owner, ACCOUNT);
    assert.equal(attrs.DisplayName, 'T 1');
    assert.equal(attrs.SubscriptionsConfirmed, '0');
    assert.equal(attrs.SubscriptionsPending, '0');
    assert.equal(attrs.SubscriptionsDeleted, '0');
    assert.equal(JSON.parse(attrs.Policy!).Statement[0].Resource, a.TopicArn);
    assert.equal(JSON.parse(attrs.EffectiveDeliveryPolicy!).http.defaultRequestPolicy.headerContentType, 'text/plain; charset=UTF-8');

    await c.send(new SetTopicAttributesCommand({ TopicArn: a.TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
    assert.equal((await c.send(new GetTopicAttributesCommand({ TopicArn: a.TopicArn }))).Attributes!.SignatureVersion, '2');
    await assert.rejects(c.send(new SetTopicAttributesCommand({ TopicArn: a.TopicArn, AttributeName: 'Nope', AttributeValue: '1' })), /AttributeName/);
    await assert.rejects(c.send(new GetTopicAttributesCommand({ TopicArn: arnOf('missing', region) })), (e: Error) => {
      assert.ok(e instanceof NotFoundException);
      assert.equal(e.$metadata.httpStatusCode, 404);
      return true;
    });

    for (let i = 0; i < 120; i++) await c.send(new CreateTopicCommand({ Name: `p${String(i).padStart(3, '0')}` }));
    const first = await c.send(new ListTopicsCommand({}));
    assert.equal(first.Topics!.length, 100);
    assert.ok(first.NextToken);
    const second = await c.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    assert.equal(second.Topics!.length, 21);
    assert.equal(second.NextToken, undefined);

    await c.send(new DeleteTopicCommand({ TopicArn: a.TopicArn }));
    await c.send(new DeleteTopicCommand({ TopicArn: a.TopicArn })); // idempotent, as in AWS
    await assert.rejects(c.send(new GetTopicAttributesCommand({ TopicArn: a.TopicArn })), NotFoundException);
  } finally {
    c.destroy();
  }
});

test('tags: TagResource, UntagResource, ListTagsForResource', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'tags', Tags: [{ Key: 'a', Value: '1' }] }));
  await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'b', Value: '2' }] }));
  await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['a'] }));
  const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
  assert.deepEqual(Tags, [{ Key: 'b', Value: '2' }]);
  await assert.rejects(sns.send(new ListTagsForResourceCommand({ ResourceArn: arnOf('nope') })), /Resource does not exist/);
});

/** The SubscriptionConfirmation an http endpoint gets: headers, envelope, signature. */
async function checkConfirmation(rx: Receiver, TopicArn: string): Promise<Record<string, string>> {
  const conf = await rx.next();
  assert.equal(conf.path, '/hook');
  assert.equal(conf.headers['x-amz-sns-message-type'], 'SubscriptionConfirmation');
  assert.equal(conf.headers['x-amz-sns-topic-arn'], TopicArn);
  assert.equal(conf.headers['content-type'], 'text/plain; charset=UTF-8');
  const c = JSON.parse(conf.body) as Record<string, string>;
  assert.equal(c.Type, 'SubscriptionConfirmation');
  assert.equal(c.TopicArn, TopicArn);
  assert.equal(c.SignatureVersion, '1');
  assert.equal(conf.headers['x-amz-sns-message-id'], c.MessageId);
  assert.ok(c.Token.length >= 64);
  assert.ok(await verifySignature(c), 'SubscriptionConfirmation signature verifies');
  return c;
}

/** A signed v1 notification with subject and attributes, then a v2 one without subject. */
async function checkSignedNotifications(rx: Receiver, TopicArn: string, subArn: string): Promise<Record<string, string>> {
  const pub = await sns.send(
    new PublishCommand({
      TopicArn,
      Subject: 'Disk full',
      Message: 'host h1 is at 99%',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) } },
    }),
  );
  assert.ok(pub.MessageId);
  // The message published before confirmation never arrives: this is the next one.
  const n = await rx.next();
  assert.equal(n.headers['x-amz-sns-message-type'], 'Notification');
  assert.equal(n.headers['x-amz-sns-subscription-arn'], subArn);
  assert.equal(n.headers['x-amz-sns-message-id'], pub.MessageId);
  const m = JSON.parse(n.body);
  assert.deepEqual(Object.keys(m), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
  assert.equal(m.MessageId, pub.MessageId);
  assert.equal(m.Subject, 'Disk full');
  assert.equal(m.Message, 'host h1 is at 99%');
  assert.match(m.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(m.MessageAttributes, { severity: { Type: 'String', Value: 'high' }, blob: { Type: 'Binary', Value: 'AAEC' } });
  assert.ok(await verifySignature(m), 'Notification v1 signature verifies');
  assert.equal(await verifySignature({ ...m, Message: 'tampered' }), false);

  // SignatureVersion 2: SHA256withRSA; a message without Subject leaves it out of the canonical string.
  await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'no subject' }));
  const m2 = JSON.parse((await rx.next()).body);
  assert.equal(m2.SignatureVersion, '2');
  assert.equal(m2.Message, 'no subject');
  assert.equal('Subject' in m2, false);
  assert.ok(await verifySignature(m2), 'Notification v2 signature verifies');
  return m;
}

/** UnsubscribeURL removes the subscription; the UnsubscribeConfirmation's token restores it. */
async function checkUnsubscribeAndRestore(rx: Receiver, TopicArn: string, subArn: string, unsubscribeUrl: string): Promise<void> {
  const un = await get(unsubscribeUrl);
  assert.equal(un.status, 200);
  assert.match(un.body, /<UnsubscribeResponse/);
  await assert.rejects(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subArn })), NotFoundException);
  assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.SubscriptionsDeleted, '1');
  const bye = await rx.next();
  assert.equal(bye.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation');
  const b = JSON.parse(bye.body);
  assert.ok(await verifySignature(b), 'UnsubscribeConfirmation signature verifies');
  const restored = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: b.Token }));
  assert.equal(restored.SubscriptionArn, subArn);
  const again = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subArn }))).Attributes!;
  assert.equal(again.RawMessageDelivery, 'true');
  assert.equal(again.ConfirmationWasAuthenticated, 'true');
}

test('http subscription: confirmation, signed notifications (v1 and v2), raw delivery, unsubscribe', async (t) => {
  const rx = await receiver(t);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
  const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${rx.url}/hook` }));
  assert.equal(sub.SubscriptionArn, 'pending confirmation');
  const listed = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
  assert.equal(listed.Subscriptions![0].SubscriptionArn, 'PendingConfirmation');
  const c = await checkConfirmation(rx, TopicArn!);

  // Publishing before confirmation reaches nobody.
  await sns.send(new PublishCommand({ TopicArn, Message: 'too early' }));

  // Visiting SubscribeURL confirms (what a receiver does), answering like the AWS API.
  const visit = await get(c.SubscribeURL);
  assert.equal(visit.status, 200);
  const subArn = /<SubscriptionArn>(.*)<\/SubscriptionArn>/.exec(visit.body)![1];
  assert.ok(subArn.startsWith(`${TopicArn}:`));
  const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
  assert.equal(attrs.SubscriptionsConfirmed, '1');
  assert.equal(attrs.SubscriptionsPending, '0');
  const subAttrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subArn }))).Attributes!;
  assert.equal(subAttrs.PendingConfirmation, 'false');
  assert.equal(subAttrs.ConfirmationWasAuthenticated, 'false');
  assert.equal(subAttrs.RawMessageDelivery, 'false');

  const m = await checkSignedNotifications(rx, TopicArn!, subArn);

  // RawMessageDelivery: the bare message.
  await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
  await sns.send(new PublishCommand({ TopicArn, Message: '{"raw":true}' }));
  const raw = await rx.next();
  assert.equal(raw.body, '{"raw":true}');
  assert.equal(raw.headers['x-amz-sns-rawdelivery'], 'true');

  await checkUnsubscribeAndRestore(rx, TopicArn!, subArn, m.UnsubscribeURL);
  assert.equal(rx.got.some((r) => r.body.includes('too early')), false);
});

test('ConfirmSubscription API, ReturnSubscriptionArn, AuthenticateOnUnsubscribe and bad tokens', async (t) => {
  const rx = await receiver(t);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'confirm-api' }));
  const sub = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: rx.url, ReturnSubscriptionArn: true }));
  assert.ok(sub.SubscriptionArn!.startsWith(`${TopicArn}:`));
  // Subscribing the same endpoint again returns the same subscription and asks again.
  const dup = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: rx.url, ReturnSubscriptionArn: true }));
  assert.equal(dup.SubscriptionArn, sub.SubscriptionArn);
  const first = JSON.parse((await rx.next()).body);
  const second = JSON.parse((await rx.next()).body);
  assert.notEqual(first.Token, second.Token);

  await assert.rejects(sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'nope' })), /Invalid parameter: Token/);
  const ok = await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: first.Token, AuthenticateOnUnsubscribe: 'true' }));
  assert.equal(ok.SubscriptionArn, sub.SubscriptionArn);
  const refused = await get(`${server.url}/_osprey/sns/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.SubscriptionArn!)}`);
  assert.equal(refused.status, 403);
  assert.match(refused.body, /AuthorizationError/);
  await sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
  const subs = await sns.send(new ListSubscriptionsCommand({}));
  assert.deepEqual(subs.Subscriptions!.filter((s) => s.TopicArn === TopicArn), []);
});

test('Subscribe refuses unknown protocols and mismatched endpoints with SNS messages', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'refusals' }));
  await assert.rejects(
    sns.send(new SubscribeCommand({ TopicArn, Protocol: 'carrier-pigeon', Endpoint: 'x' })),
    /Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon/,
  );
  await assert.rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sms', Endpoint: '+15555550100' })), /Osprey does not deliver to sms/);
  await assert.rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'https://queue.example/q' })), /Invalid parameter: SQS endpoint ARN/);
  await assert.rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'http://x' })), /Endpoint must match the specified protocol/);
  // (email without an SMTP server: see the last test, which restarts the server without one)
  await assert.rejects(
    sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:f` })),
    /no URL is mapped/,
  );
  await assert.rejects(sns.send(new SubscribeCommand({ TopicArn: arnOf('nope'), Protocol: 'http', Endpoint: 'http://x' })), NotFoundException);
  await assert.rejects(
    sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: 'https://hooks.example/x', Attributes: { RawMessageDelivery: 'true' } })),
    /does not support raw message delivery/,
  );
});

test('Publish validates subject, size, structure and attributes', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'validation' }));
  await assert.rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x', Subject: 'a'.repeat(101) })), /Invalid parameter: Subject/);
  await assert.rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x', Subject: 'two\nlines' })), /Invalid parameter: Subject/);
  await assert.rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_145) })), /Message too long/);
  await assert.rejects(sns.send(new PublishCommand({ TopicArn, Message: '{"http":"x"}', MessageStructure: 'json' })), /No default entry/);
  await assert.rejects(sns.send(new PublishCommand({ TopicArn, Message: 'nope', MessageStructure: 'json' })), /failed to parse/);
  await assert.rejects(
    sns.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { a: { DataType: 'Date', StringValue: '1' } } })),
    /supported type prefixes is Binary, Number, and String/,
  );
  await assert.rejects(sns.send(new PublishCommand({ TopicArn: arnOf('nope'), Message: 'x' })), NotFoundException);
  const ok = await sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_144) }));
  assert.ok(ok.MessageId);
});

test('lambda and slack subscriptions are confirmed at once and get their shapes; MessageStructure picks per protocol', async (t) => {
  const slack = await receiver(t);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'fan' }));
  const l = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: `${LAMBDA_ARN}:live` }));
  assert.ok(l.SubscriptionArn!.startsWith(TopicArn!));
  const s = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${slack.url}/services/T/B/secret` }));
  assert.ok(s.SubscriptionArn!.startsWith(TopicArn!));
  await sns.send(
    new PublishCommand({
      TopicArn,
      Subject: 'ALARM',
      MessageStructure: 'json',
      Message: JSON.stringify({ default: 'plain', lambda: 'for lambda' }),
      MessageAttributes: { n: { DataType: 'Number', StringValue: '3' } },
    }),
  );
  const inv = await lambda.next();
  assert.equal(inv.path, '/invoke');
  const r = JSON.parse(inv.body).Records[0];
  assert.equal(r.EventSource, 'aws:sns');
  assert.equal(r.EventVersion, '1.0');
  assert.equal(r.EventSubscriptionArn, l.SubscriptionArn);
  assert.equal(r.Sns.Message, 'for lambda');
  assert.equal(r.Sns.Subject, 'ALARM');
  assert.deepEqual(r.Sns.MessageAttributes, { n: { Type: 'Number', Value: '3' } });
  assert.ok(r.Sns.UnsubscribeUrl.includes('Action=Unsubscribe'));
  assert.ok(await verifySignature({ ...r.Sns, Type: 'Notification' }), 'Lambda record signature verifies');
  const sl = await slack.next();
  assert.equal(sl.path, '/services/T/B/secret');
  assert.deepEqual(JSON.parse(sl.body), { text: 'ALARM\nplain' });
});

test('filter policies decide which subscriptions get a message', async (t) => {
  const rx = await receiver(t);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'filtered' }));
  await sns.send(
    new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${rx.url}/high`, Attributes: { FilterPolicy: JSON.stringify({ severity: ['high'] }) } }),
  );
  await assert.rejects(
    sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${rx.url}/x`, Attributes: { FilterPolicy: '{"a": "b"}' } })),
    /FilterPolicy/,
  );
  await sns.send(new PublishCommand({ TopicArn, Message: 'low', MessageAttributes: { severity: { DataType: 'String', StringValue: 'low' } } }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'high', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
  assert.deepEqual(JSON.parse((await rx.next()).body), { text: 'high' });
  await nothingMore(rx, 1);
});

test('failed http deliveries are retried with backoff until the endpoint accepts them, then not sent again', async (t) => {
  const statuses = [503];
  const rx = await receiver(t, () => statuses.shift() ?? 200);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'retried' }));
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: rx.url }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'm' }));
  const refused = await rx.next();
  const retried = await logged('delivery failed; will retry', (r) => r.target === SubscriptionArn);
  assert.equal(retried.attempts, 1);
  assert.match(String(retried.error), /HTTP 503/);
  const accepted = await rx.next();
  assert.equal(accepted.body, refused.body);
  assert.deepEqual(JSON.parse(accepted.body), { text: 'm' });
  await nothingMore(rx, 2);
});

/** Undoes quoted-printable soft breaks and escapes, enough to read the text part. */
function unfold(data: string): string {
  return data.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

test('email: confirmation by link, notification text, email-json bounce is retried then dead-lettered', async () => {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'mail', Attributes: { DisplayName: 'Ops' } }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
  const conf = await smtp.next();
  assert.deepEqual(conf.to, ['<ops@example.com>']);
  assert.match(conf.data, /Subject: AWS Notification - Subscription Confirmation/);
  assert.match(conf.data, /From: Ops <osprey@example\.com>/);
  const link = /Confirm subscription: (\S+)/.exec(unfold(conf.data))![1];
  assert.ok(link.includes('/_osprey/sns/confirmation.html?'));
  const page = await get(link);
  assert.equal(page.status, 200);
  assert.match(page.body, /Subscription confirmed!/);

  await sns.send(new PublishCommand({ TopicArn, Subject: 'Hello', Message: 'line one\nline two' }));
  const note = await smtp.next();
  assert.match(note.data, /Subject: Hello/);
  const body = unfold(note.data);
  assert.match(body, /line one\r?\nline two/);
  assert.match(body, /unsubscribe\.html\?SubscriptionArn=/);

  // A 550 is permanent: a few attempts, then the row is given up to the dead-letter table.
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email-json', Endpoint: 'bounce@example.com', ReturnSubscriptionArn: true }));
  const dead = await logged('delivery given up; moved to the dead-letter table (outbox_dead)', (r) => r.target === SubscriptionArn);
  assert.match(String(dead.error), /550/);
  assert.equal(smtp.rejected(), dead.attempts);
});

test('alarm actions publish to the topic (subject cut to 100 characters); a missing or another account\'s topic is given up', async (t) => {
  const rx = await receiver(t);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alarms' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: rx.url }));
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const otherCw = new CloudWatchClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'other', secretAccessKey: 'other' } });
  t.after(() => {
    cw.destroy();
    otherCw.destroy();
  });
  const alarm = (c: CloudWatchClient, AlarmName: string, action: string) => c.send(new PutMetricAlarmCommand({
    AlarmName, Namespace: 'App', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [action],
  }));
  const fire = (c: CloudWatchClient, AlarmName: string) => c.send(new SetAlarmStateCommand({ AlarmName, StateValue: 'ALARM', StateReason: 'test' }));

  const longName = `high-errors-${'x'.repeat(110)}`;
  await alarm(cw, longName, TopicArn!);
  await fire(cw, longName);
  const text = JSON.parse((await rx.next()).body).text as string;
  const [subject, message] = text.split('\n');
  assert.equal(subject.length, 100);
  assert.ok(subject.startsWith(`ALARM: "${longName.slice(0, 20)}`));
  assert.equal(JSON.parse(message).AlarmName, longName);

  const gone = arnOf('gone');
  await alarm(cw, 'to-a-missing-topic', gone);
  await fire(cw, 'to-a-missing-topic');
  const missing = await logged('delivery given up; moved to the dead-letter table (outbox_dead)', (r) => r.target === gone);
  assert.match(String(missing.error), /does not exist|not found/i);

  // An alarm of another account cannot publish to this account's topic.
  await alarm(otherCw, 'cross-account', TopicArn!);
  await fire(otherCw, 'cross-account');
  const cross = await logged('delivery given up; moved to the dead-letter table (outbox_dead)', (r) => r.target === TopicArn);
  assert.match(String(cross.error), /does not exist|not found/i);
  assert.equal(rx.got.length, 1);
});

test('the signing key and certificate survive a restart and are served at the advertised path', async (t) => {
  const rx = await receiver(t);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'signed' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${rx.url}/hook` }));
  const signed = JSON.parse((await rx.next()).body) as Record<string, string>;
  const certPath = new URL(signed.SigningCertURL).pathname;
  assert.match(certPath, /^\/_osprey\/sns\/SimpleNotificationService-\w+\.pem$/);
  const cert = await get(signed.SigningCertURL);
  assert.equal(cert.status, 200);
  assert.match(cert.body, /^-----BEGIN CERTIFICATE-----/);
  assert.equal((await get(`${server.url}/_osprey/sns/SimpleNotificationService-0000.pem`)).status, 404);

  // Same data directory, new process (and port); this time without an SMTP server.
  await server.stop();
  server = await startTestServer({ modules: ['sns', 'cloudwatch'], dataDir: server.dataDir, env: serverEnv(false) });
  sns.destroy();
  sns = new SNSClient(sdkConfig(server.url));
  const restarted = await get(`${server.url}${certPath}`);
  assert.equal(restarted.status, 200);
  assert.equal(restarted.body, cert.body);
  assert.ok(await verifySignature(signed, `${server.url}${certPath}`), 'a message signed before the restart verifies after it');
  await assert.rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'a@b.c' })), /no SMTP server/);
});
