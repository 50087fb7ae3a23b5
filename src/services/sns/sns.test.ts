import assert from 'node:assert/strict';
import { test } from 'node:test';
import { X509Certificate, createVerify } from 'node:crypto';
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  NotFoundException,
  InvalidParameterException,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { systemClock } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/logger.ts';
import type { Ctx } from '../../protocol/service.ts';
import { internalCalls, untypedTable } from '../../server/internal-calls.ts';
import { stringToSign } from './envelope.ts';
import { ACCOUNT, REGION, startReceiver, startSmtpSink, startSns, type SnsHarness } from './test-support.ts';

const arnOf = (name: string) => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;

/** Verifies an envelope's Signature against the certificate its SigningCertURL serves (what receivers do). */
async function verifySignature(h: SnsHarness, m: Record<string, string>): Promise<boolean> {
  const cert = await h.get(m.SigningCertURL ?? m.SigningCertUrl);
  assert.equal(cert.status, 200);
  const algorithm = m.SignatureVersion === '2' ? 'RSA-SHA256' : 'RSA-SHA1';
  return createVerify(algorithm).update(stringToSign(m), 'utf8').verify(new X509Certificate(cert.body).publicKey, m.Signature, 'base64');
}

test('CreateTopic is idempotent by name, lists, reports attributes and refuses bad names', async (t) => {
  const h = await startSns(t);
  const a = await h.client.send(new CreateTopicCommand({ Name: 't1', Attributes: { DisplayName: 'T 1' }, Tags: [{ Key: 'k', Value: 'v' }] }));
  assert.equal(a.TopicArn, arnOf('t1'));
  const again = await h.client.send(new CreateTopicCommand({ Name: 't1' }));
  assert.equal(again.TopicArn, a.TopicArn);
  await assert.rejects(h.client.send(new CreateTopicCommand({ Name: 't1', Attributes: { DisplayName: 'other' } })), (e: Error) => {
    assert.ok(e instanceof InvalidParameterException);
    assert.match(e.message, /different attributes/);
    return true;
  });
  await assert.rejects(h.client.send(new CreateTopicCommand({ Name: 'bad name' })), /Invalid parameter: Topic Name/);
  await assert.rejects(h.client.send(new CreateTopicCommand({ Name: 'x.fifo' })), /FIFO/);

  const attrs = (await h.client.send(new GetTopicAttributesCommand({ TopicArn: a.TopicArn }))).Attributes!;
  assert.equal(attrs.TopicArn, a.TopicArn);
  assert.equal(attrs.Owner, ACCOUNT);
  assert.equal(attrs.DisplayName, 'T 1');
  assert.equal(attrs.SubscriptionsConfirmed, '0');
  assert.equal(attrs.SubscriptionsPending, '0');
  assert.equal(attrs.SubscriptionsDeleted, '0');
  assert.equal(JSON.parse(attrs.Policy!).Statement[0].Resource, a.TopicArn);
  assert.equal(JSON.parse(attrs.EffectiveDeliveryPolicy!).http.defaultRequestPolicy.headerContentType, 'text/plain; charset=UTF-8');

  await h.client.send(new SetTopicAttributesCommand({ TopicArn: a.TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
  assert.equal((await h.client.send(new GetTopicAttributesCommand({ TopicArn: a.TopicArn }))).Attributes!.SignatureVersion, '2');
  await assert.rejects(h.client.send(new SetTopicAttributesCommand({ TopicArn: a.TopicArn, AttributeName: 'Nope', AttributeValue: '1' })), /AttributeName/);
  await assert.rejects(h.client.send(new GetTopicAttributesCommand({ TopicArn: arnOf('missing') })), (e: Error) => {
    assert.ok(e instanceof NotFoundException);
    assert.equal((e as NotFoundException).$metadata.httpStatusCode, 404);
    return true;
  });

  for (let i = 0; i < 120; i++) await h.client.send(new CreateTopicCommand({ Name: `p${String(i).padStart(3, '0')}` }));
  const first = await h.client.send(new ListTopicsCommand({}));
  assert.equal(first.Topics!.length, 100);
  assert.ok(first.NextToken);
  const second = await h.client.send(new ListTopicsCommand({ NextToken: first.NextToken }));
  assert.equal(second.Topics!.length, 21);
  assert.equal(second.NextToken, undefined);

  await h.client.send(new DeleteTopicCommand({ TopicArn: a.TopicArn }));
  await h.client.send(new DeleteTopicCommand({ TopicArn: a.TopicArn })); // idempotent, as in AWS
  await assert.rejects(h.client.send(new GetTopicAttributesCommand({ TopicArn: a.TopicArn })), NotFoundException);
});

test('tags: TagResource, UntagResource, ListTagsForResource', async (t) => {
  const h = await startSns(t);
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 't', Tags: [{ Key: 'a', Value: '1' }] }));
  await h.client.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'b', Value: '2' }] }));
  await h.client.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['a'] }));
  const { Tags } = await h.client.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }));
  assert.deepEqual(Tags, [{ Key: 'b', Value: '2' }]);
  await assert.rejects(h.client.send(new ListTagsForResourceCommand({ ResourceArn: arnOf('nope') })), /Resource does not exist/);
});

test('http subscription: confirmation, signed notifications (v1 and v2), raw delivery, unsubscribe', async (t) => {
  const h = await startSns(t);
  const rx = await startReceiver(t);
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'alerts' }));
  const sub = await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: `${rx.url}/hook` }));
  assert.equal(sub.SubscriptionArn, 'pending confirmation');
  const listed = await h.client.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
  assert.equal(listed.Subscriptions![0].SubscriptionArn, 'PendingConfirmation');

  await h.deliver();
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
  assert.ok(await verifySignature(h, c), 'SubscriptionConfirmation signature verifies');

  // Publishing before confirmation reaches nobody.
  await h.client.send(new PublishCommand({ TopicArn, Message: 'too early' }));
  await h.deliver();
  assert.equal(rx.pending(), 0);

  // Visiting SubscribeURL confirms (what a receiver does), answering like the AWS API.
  const visit = await h.get(c.SubscribeURL);
  assert.equal(visit.status, 200);
  const subArn = /<SubscriptionArn>(.*)<\/SubscriptionArn>/.exec(visit.body)![1];
  assert.ok(subArn.startsWith(`${TopicArn}:`));
  const attrs = (await h.client.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
  assert.equal(attrs.SubscriptionsConfirmed, '1');
  assert.equal(attrs.SubscriptionsPending, '0');
  const subAttrs = (await h.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subArn }))).Attributes!;
  assert.equal(subAttrs.PendingConfirmation, 'false');
  assert.equal(subAttrs.ConfirmationWasAuthenticated, 'false');
  assert.equal(subAttrs.RawMessageDelivery, 'false');

  const pub = await h.client.send(
    new PublishCommand({
      TopicArn,
      Subject: 'Disk full',
      Message: 'host h1 is at 99%',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([0, 1, 2]) } },
    }),
  );
  assert.ok(pub.MessageId);
  await h.deliver();
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
  assert.ok(await verifySignature(h, m), 'Notification v1 signature verifies');
  assert.equal(await verifySignature(h, { ...m, Message: 'tampered' }), false);

  // SignatureVersion 2: SHA256withRSA; a message without Subject leaves it out of the canonical string.
  await h.client.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
  await h.client.send(new PublishCommand({ TopicArn, Message: 'no subject' }));
  await h.deliver();
  const m2 = JSON.parse((await rx.next()).body);
  assert.equal(m2.SignatureVersion, '2');
  assert.equal('Subject' in m2, false);
  assert.ok(await verifySignature(h, m2), 'Notification v2 signature verifies');

  // RawMessageDelivery: the bare message.
  await h.client.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
  await h.client.send(new PublishCommand({ TopicArn, Message: '{"raw":true}' }));
  await h.deliver();
  const raw = await rx.next();
  assert.equal(raw.body, '{"raw":true}');
  assert.equal(raw.headers['x-amz-sns-rawdelivery'], 'true');

  // UnsubscribeURL removes it; the endpoint gets an UnsubscribeConfirmation whose SubscribeURL restores it.
  const un = await h.get(m.UnsubscribeURL);
  assert.equal(un.status, 200);
  assert.match(un.body, /<UnsubscribeResponse/);
  await assert.rejects(h.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subArn })), NotFoundException);
  assert.equal((await h.client.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.SubscriptionsDeleted, '1');
  await h.deliver();
  const bye = await rx.next();
  assert.equal(bye.headers['x-amz-sns-message-type'], 'UnsubscribeConfirmation');
  const b = JSON.parse(bye.body);
  assert.ok(await verifySignature(h, b), 'UnsubscribeConfirmation signature verifies');
  const restored = await h.client.send(new ConfirmSubscriptionCommand({ TopicArn, Token: b.Token }));
  assert.equal(restored.SubscriptionArn, subArn);
  const again = (await h.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subArn }))).Attributes!;
  assert.equal(again.RawMessageDelivery, 'true');
  assert.equal(again.ConfirmationWasAuthenticated, 'true');
});

test('ConfirmSubscription API, ReturnSubscriptionArn, AuthenticateOnUnsubscribe and bad tokens', async (t) => {
  const h = await startSns(t);
  const rx = await startReceiver(t);
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'c' }));
  const sub = await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: rx.url, ReturnSubscriptionArn: true }));
  assert.ok(sub.SubscriptionArn!.startsWith(`${TopicArn}:`));
  // Subscribing the same endpoint again returns the same subscription and asks again.
  const dup = await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: rx.url, ReturnSubscriptionArn: true }));
  assert.equal(dup.SubscriptionArn, sub.SubscriptionArn);
  await h.deliver();
  const first = JSON.parse((await rx.next()).body);
  const second = JSON.parse((await rx.next()).body);
  assert.notEqual(first.Token, second.Token);

  await assert.rejects(h.client.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'nope' })), /Invalid parameter: Token/);
  const ok = await h.client.send(new ConfirmSubscriptionCommand({ TopicArn, Token: first.Token, AuthenticateOnUnsubscribe: 'true' }));
  assert.equal(ok.SubscriptionArn, sub.SubscriptionArn);
  const unsubUrl = `${h.baseUrl}/_osprey/sns/?Action=Unsubscribe&SubscriptionArn=${encodeURIComponent(sub.SubscriptionArn!)}`;
  const refused = await h.get(unsubUrl);
  assert.equal(refused.status, 403);
  assert.match(refused.body, /AuthorizationError/);
  await h.client.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
  const subs = await h.client.send(new ListSubscriptionsCommand({}));
  assert.deepEqual(subs.Subscriptions, []);
});

test('Subscribe refuses unknown protocols and mismatched endpoints with SNS messages', async (t) => {
  const h = await startSns(t);
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 's' }));
  await assert.rejects(
    h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'carrier-pigeon', Endpoint: 'x' })),
    /Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon/,
  );
  await assert.rejects(h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:q' })), /Osprey does not deliver to sqs/);
  await assert.rejects(h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'http://x' })), /Endpoint must match the specified protocol/);
  await assert.rejects(h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'a@b.c' })), /no SMTP server/);
  await assert.rejects(
    h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:f' })),
    /no URL is mapped/,
  );
  await assert.rejects(h.client.send(new SubscribeCommand({ TopicArn: arnOf('nope'), Protocol: 'http', Endpoint: 'http://x' })), NotFoundException);
  await assert.rejects(
    h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: 'https://hooks.example/x', Attributes: { RawMessageDelivery: 'true' } })),
    /does not support raw message delivery/,
  );
});

test('Publish validates subject, size, structure and attributes', async (t) => {
  const h = await startSns(t);
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'v' }));
  await assert.rejects(h.client.send(new PublishCommand({ TopicArn, Message: 'x', Subject: 'a'.repeat(101) })), /Invalid parameter: Subject/);
  await assert.rejects(h.client.send(new PublishCommand({ TopicArn, Message: 'x', Subject: 'two\nlines' })), /Invalid parameter: Subject/);
  await assert.rejects(h.client.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_145) })), /Message too long/);
  await assert.rejects(h.client.send(new PublishCommand({ TopicArn, Message: '{"http":"x"}', MessageStructure: 'json' })), /No default entry/);
  await assert.rejects(h.client.send(new PublishCommand({ TopicArn, Message: 'nope', MessageStructure: 'json' })), /failed to parse/);
  await assert.rejects(
    h.client.send(new PublishCommand({ TopicArn, Message: 'x', MessageAttributes: { a: { DataType: 'Date', StringValue: '1' } } })),
    /supported type prefixes is Binary, Number, and String/,
  );
  await assert.rejects(h.client.send(new PublishCommand({ TopicArn: arnOf('nope'), Message: 'x' })), NotFoundException);
  const ok = await h.client.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_144) }));
  assert.ok(ok.MessageId);
});

test('lambda and slack subscriptions are confirmed at once and get their shapes; MessageStructure picks per protocol', async (t) => {
  const fn = await startReceiver(t);
  const slack = await startReceiver(t);
  const lambdaArn = 'arn:aws:lambda:us-east-1:000000000000:function:handler';
  const h = await startSns(t, { lambdaUrls: { [lambdaArn]: `${fn.url}/invoke` } });
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'fan' }));
  const l = await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: `${lambdaArn}:live` }));
  assert.ok(l.SubscriptionArn!.startsWith(TopicArn!));
  const s = await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${slack.url}/services/T/B/secret` }));
  assert.ok(s.SubscriptionArn!.startsWith(TopicArn!));
  await h.client.send(
    new PublishCommand({
      TopicArn,
      Subject: 'ALARM',
      MessageStructure: 'json',
      Message: JSON.stringify({ default: 'plain', lambda: 'for lambda' }),
      MessageAttributes: { n: { DataType: 'Number', StringValue: '3' } },
    }),
  );
  await h.deliver();
  const inv = await fn.next();
  assert.equal(inv.path, '/invoke');
  const ev = JSON.parse(inv.body);
  const r = ev.Records[0];
  assert.equal(r.EventSource, 'aws:sns');
  assert.equal(r.EventVersion, '1.0');
  assert.equal(r.EventSubscriptionArn, l.SubscriptionArn);
  assert.equal(r.Sns.Message, 'for lambda');
  assert.equal(r.Sns.Subject, 'ALARM');
  assert.deepEqual(r.Sns.MessageAttributes, { n: { Type: 'Number', Value: '3' } });
  assert.ok(r.Sns.UnsubscribeUrl.includes('Action=Unsubscribe'));
  assert.ok(await verifySignature(h, { ...r.Sns, Type: 'Notification' }), 'Lambda record signature verifies');
  const sl = await slack.next();
  assert.equal(sl.path, '/services/T/B/secret');
  assert.deepEqual(JSON.parse(sl.body), { text: 'ALARM\nplain' });
});

test('filter policies decide which subscriptions get a message', async (t) => {
  const rx = await startReceiver(t);
  const h = await startSns(t);
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'f' }));
  await h.client.send(
    new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${rx.url}/high`, Attributes: { FilterPolicy: JSON.stringify({ severity: ['high'] }) } }),
  );
  await assert.rejects(
    h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: `${rx.url}/x`, Attributes: { FilterPolicy: '{"a": "b"}' } })),
    /FilterPolicy/,
  );
  await h.client.send(new PublishCommand({ TopicArn, Message: 'low', MessageAttributes: { severity: { DataType: 'String', StringValue: 'low' } } }));
  await h.client.send(new PublishCommand({ TopicArn, Message: 'high', MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } } }));
  await h.deliver();
  assert.deepEqual(JSON.parse((await rx.next()).body), { text: 'high' });
  assert.equal(rx.pending(), 0);
});

test('failed http deliveries are retried by the worker and stay in the outbox until acknowledged', async (t) => {
  let status = 503;
  const rx = await startReceiver(t, () => status);
  const h = await startSns(t);
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'r' }));
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: rx.url }));
  await h.client.send(new PublishCommand({ TopicArn, Message: 'm' }));
  const pending = () => (h.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE topic = 'sns'").get() as { n: number }).n;
  assert.equal(pending(), 1, 'enqueued before Publish answered');
  await h.deliver();
  await rx.next();
  assert.equal(pending(), 1);
  const row = h.db.prepare("SELECT attempts, last_error FROM outbox WHERE topic = 'sns'").get() as { attempts: number; last_error: string };
  assert.equal(row.attempts, 1);
  assert.match(row.last_error, /HTTP 503/);
  status = 200;
  await new Promise((r) => setTimeout(r, 5)); // backoff is 1 ms in the harness
  await h.deliver();
  await rx.next();
  assert.equal(pending(), 0);
});

test('email: confirmation by link, notification text, email-json envelope, permanent bounce', async (t) => {
  const smtp = await startSmtpSink(t);
  const h = await startSns(t, { smtp: smtp.config });
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'mail', Attributes: { DisplayName: 'Ops' } }));
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'ops@example.com' }));
  await h.deliver();
  const conf = await smtp.next();
  assert.deepEqual(conf.to, ['<ops@example.com>']);
  assert.match(conf.data, /Subject: AWS Notification - Subscription Confirmation/);
  assert.match(conf.data, /From: Ops <osprey@example\.com>/);
  const text = unfold(conf.data);
  const link = /Confirm subscription: (\S+)/.exec(text)![1];
  assert.ok(link.includes('/_osprey/sns/confirmation.html?'));
  const page = await h.get(link);
  assert.equal(page.status, 200);
  assert.match(page.body, /Subscription confirmed!/);

  await h.client.send(new PublishCommand({ TopicArn, Subject: 'Hello', Message: 'line one\nline two' }));
  await h.deliver();
  const note = await smtp.next();
  assert.match(note.data, /Subject: Hello/);
  const body = unfold(note.data);
  assert.match(body, /line one\r?\nline two/);
  assert.match(body, /unsubscribe\.html\?SubscriptionArn=/);

  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'email-json', Endpoint: 'bounce@example.com' }));
  await h.deliver();
  const rows = h.db.prepare("SELECT attempts, last_error FROM outbox WHERE topic = 'sns'").all() as { attempts: number; last_error: string }[];
  assert.equal(rows.length, 1);
  assert.match(rows[0].last_error, /550/);
});

/** Undoes quoted-printable soft breaks and escapes, enough to read the text part. */
function unfold(data: string): string {
  return data.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

test('Publish as an internal call (alarm actions) fans out; a missing or another account\'s topic is NotFound', async (t) => {
  const rx = await startReceiver(t);
  const h = await startSns(t);
  const { TopicArn } = await h.client.send(new CreateTopicCommand({ Name: 'alarms' }));
  await h.client.send(new SubscribeCommand({ TopicArn, Protocol: 'slack', Endpoint: rx.url }));
  const { call } = internalCalls({ sns: untypedTable(h.sns.handlers) });
  const ctx = (account = ACCOUNT): Ctx => ({
    account, region: REGION, principalArn: 'arn:aws:iam::aws:role/cloudwatch-alarms', accessKeyId: '', requestId: 'internal', clock: systemClock, log: silentLogger,
  });
  const subject = `ALARM: "${'x'.repeat(91)}"`;
  const { MessageId } = await call('sns', 'Publish', ctx(), { TopicArn, Subject: subject, Message: '{"AlarmName":"x"}' });
  assert.ok(MessageId);
  await h.deliver();
  const text = JSON.parse((await rx.next()).body).text as string;
  assert.equal(text.split('\n')[0].length, 100);
  await assert.rejects(call('sns', 'Publish', ctx(), { TopicArn: arnOf('gone'), Message: 'x' }), (e: Error & { code?: string }) => e.code === 'NotFound');
  await assert.rejects(call('sns', 'Publish', ctx('111111111111'), { TopicArn, Message: 'x' }), (e: Error & { code?: string }) => e.code === 'NotFound');
  // Validated like a wire request: Message is required by the model.
  await assert.rejects(call('sns', 'Publish', ctx(), { TopicArn } as { TopicArn: string; Message: string }), (e: Error & { code?: string }) => e.code === 'InvalidParameter');
});

test('the signing key and certificate survive a restart and are served at the advertised path', async (t) => {
  const h = await startSns(t);
  const cert = await h.get(`${h.baseUrl}${h.sns.paths.certificate}`);
  assert.equal(cert.status, 200);
  assert.equal(cert.body, h.sns.certificatePem());
  const h2 = await startSns(t, { keysDir: h.keysDir });
  assert.equal(h2.sns.certificatePem(), h.sns.certificatePem());
  assert.equal((await h.get(`${h.baseUrl}/_osprey/sns/SimpleNotificationService-0000.pem`)).status, 404);
});
