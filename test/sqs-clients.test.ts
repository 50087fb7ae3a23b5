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
