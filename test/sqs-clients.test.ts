import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { startTestServer, awsEnv, type TestServer } from './helpers/server.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer({ modules: ['sqs'] });
});
after(async () => {
  await server.stop();
  server.cleanup();
});

// boto3 1.26 (Debian's /usr/bin/python3) speaks awsQuery to SQS; the MD5s are checked against an
// independent implementation of AWS's documented algorithm.
const BOTO = String.raw`
import boto3, hashlib, struct, sys, json
sqs = boto3.client('sqs', endpoint_url=sys.argv[1])
def enc(b): return struct.pack('!I', len(b)) + b
def md5_attrs(a):
    h = hashlib.md5()
    for k in sorted(a):
        v = a[k]; h.update(enc(k.encode())); h.update(enc(v['DataType'].encode()))
        if 'BinaryValue' in v: h.update(b'\x02'); h.update(enc(v['BinaryValue']))
        else: h.update(b'\x01'); h.update(enc(v['StringValue'].encode()))
    return h.hexdigest()
url = sqs.create_queue(QueueName='boto', Attributes={'VisibilityTimeout': '1'})['QueueUrl']
attrs = {'s': {'DataType': 'String', 'StringValue': 'é'}, 'b': {'DataType': 'Binary', 'BinaryValue': b'\x00\xff'}}
r = sqs.send_message(QueueUrl=url, MessageBody='hi ✓', MessageAttributes=attrs)
assert r['MD5OfMessageBody'] == hashlib.md5('hi ✓'.encode()).hexdigest()
assert r['MD5OfMessageAttributes'] == md5_attrs(attrs), r
m = sqs.receive_message(QueueUrl=url, MessageAttributeNames=['All'], AttributeNames=['All'], WaitTimeSeconds=1)['Messages'][0]
assert m['MD5OfMessageAttributes'] == md5_attrs(attrs) and m['MessageAttributes']['b']['BinaryValue'] == b'\x00\xff'
assert m['Attributes']['ApproximateReceiveCount'] == '1'
b = sqs.send_message_batch(QueueUrl=url, Entries=[{'Id': 'a', 'MessageBody': 'x'}, {'Id': 'b', 'MessageBody': 'y', 'DelaySeconds': 901}])
assert len(b['Successful']) == 1 and b['Failed'][0]['Id'] == 'b'
try:
    sqs.get_queue_url(QueueName='missing'); raise SystemExit('no error')
except sqs.exceptions.QueueDoesNotExist as e:
    assert e.response['Error']['Code'] == 'AWS.SimpleQueueService.NonExistentQueue'
a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['All'])['Attributes']
print(json.dumps({'urls': sqs.list_queues(QueueNamePrefix='bo')['QueueUrls'], 'arn': a['QueueArn'], 'notVisible': a['ApproximateNumberOfMessagesNotVisible']}))
`;

test('boto3 1.26 (awsQuery): create, send with attributes, MD5s, receive, batch failures, modeled errors', () => {
  const out = execFileSync('/usr/bin/python3', ['-c', BOTO, server.url], { env: awsEnv(), encoding: 'utf8' });
  const r = JSON.parse(out) as { urls: string[]; arn: string; notVisible: string };
  assert.deepEqual(r.urls, [`${server.url}/${r.arn.split(':')[4]}/boto`]);
  assert.equal(r.notVisible, '1');
});

test('CLI v1 (awsJson1_0 + awsQueryCompatible): create, send, receive, errors', () => {
  const aws = (...args: string[]) => execFileSync('aws', ['sqs', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv(), encoding: 'utf8' });
  const { QueueUrl } = JSON.parse(aws('create-queue', '--queue-name', 'cli')) as { QueueUrl: string };
  const sent = JSON.parse(aws('send-message', '--queue-url', QueueUrl, '--message-body', 'from cli')) as { MD5OfMessageBody: string };
  assert.equal(sent.MD5OfMessageBody, createHash('md5').update('from cli').digest('hex'));
  const got = JSON.parse(aws('receive-message', '--queue-url', QueueUrl, '--attribute-names', 'All')) as { Messages: { Body: string }[] };
  assert.equal(got.Messages[0]!.Body, 'from cli');
  assert.throws(() => aws('get-queue-url', '--queue-name', 'missing'), /NonExistentQueue|QueueDoesNotExist/);
});

test('AWS CLI v2 (Debian /usr/bin/aws): create, batch send, receive with attributes, delete, counts', () => {
  const aws = (...args: string[]) => execFileSync('/usr/bin/aws', ['sqs', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv(), encoding: 'utf8' });
  const { QueueUrl } = JSON.parse(aws('create-queue', '--queue-name', 'cli2', '--attributes', 'VisibilityTimeout=30')) as { QueueUrl: string };
  const entries = JSON.stringify([{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'two' }]);
  const sent = JSON.parse(aws('send-message-batch', '--queue-url', QueueUrl, '--entries', entries)) as { Successful: { Id: string; MD5OfMessageBody: string }[] };
  assert.deepEqual(sent.Successful.map((s) => s.Id).sort(), ['a', 'b']);
  assert.equal(sent.Successful.find((s) => s.Id === 'a')!.MD5OfMessageBody, createHash('md5').update('one').digest('hex'));
  const got = JSON.parse(aws('receive-message', '--queue-url', QueueUrl, '--max-number-of-messages', '10', '--attribute-names', 'All')) as {
    Messages: { Body: string; ReceiptHandle: string; Attributes: Record<string, string> }[];
  };
  assert.deepEqual(got.Messages.map((m) => m.Body).sort(), ['one', 'two']);
  assert.equal(got.Messages[0]!.Attributes.ApproximateReceiveCount, '1');
  aws('delete-message', '--queue-url', QueueUrl, '--receipt-handle', got.Messages[0]!.ReceiptHandle);
  const attrs = JSON.parse(aws('get-queue-attributes', '--queue-url', QueueUrl, '--attribute-names', 'ApproximateNumberOfMessagesNotVisible')) as {
    Attributes: Record<string, string>;
  };
  assert.equal(attrs.Attributes.ApproximateNumberOfMessagesNotVisible, '1');
  assert.throws(() => aws('get-queue-url', '--queue-name', 'missing'), /NonExistentQueue|QueueDoesNotExist/);
});

// A receive waiting on an empty queue answers as soon as a message arrives, and an empty long
// poll answers after its wait, not at once.
const BOTO_LONG_POLL = String.raw`
import boto3, sys, threading, time, json
sqs = boto3.client('sqs', endpoint_url=sys.argv[1])
url = sqs.create_queue(QueueName='boto-long-poll')['QueueUrl']
t0 = time.monotonic()
empty = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)
empty_s = time.monotonic() - t0
def later():
    time.sleep(1.5)
    boto3.client('sqs', endpoint_url=sys.argv[1]).send_message(QueueUrl=url, MessageBody='late')
threading.Thread(target=later).start()
t1 = time.monotonic()
r = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=10)
print(json.dumps({'emptyS': empty_s, 'emptyMessages': len(empty.get('Messages', [])), 'waitedS': time.monotonic() - t1, 'body': r['Messages'][0]['Body']}))
`;

test('boto3 1.26 long polling: an empty wait lasts WaitTimeSeconds; a waiting receive returns when a message is sent', () => {
  const out = execFileSync('/usr/bin/python3', ['-c', BOTO_LONG_POLL, server.url], { env: awsEnv(), encoding: 'utf8' });
  const r = JSON.parse(out) as { emptyS: number; emptyMessages: number; waitedS: number; body: string };
  assert.equal(r.emptyMessages, 0);
  assert.ok(r.emptyS >= 0.9 && r.emptyS < 5, `empty long poll took ${r.emptyS} s`);
  assert.equal(r.body, 'late');
  assert.ok(r.waitedS >= 1.2 && r.waitedS < 8, `woken after ${r.waitedS} s, not at the end of the 10 s wait`);
});
