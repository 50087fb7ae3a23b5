import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DeliveryTargets, parseTargetArn } from './targets.ts';

test('target ARNs are classified by service and resource type', () => {
  assert.deepEqual(parseTargetArn('arn:aws:lambda:us-east-1:123456789012:function:my-fn'), {
    kind: 'lambda', arn: 'arn:aws:lambda:us-east-1:123456789012:function:my-fn', region: 'us-east-1', account: '123456789012', name: 'my-fn',
  });
  assert.equal(parseTargetArn('arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST')?.name, 'my-fn');
  assert.equal(parseTargetArn('arn:aws:kinesis:us-east-1:123456789012:stream/RecipientStream')?.kind, 'kinesis');
  assert.equal(parseTargetArn('arn:aws:firehose:us-east-1:123456789012:deliverystream/fh')?.kind, 'firehose');
  assert.equal(parseTargetArn('arn:aws:logs:us-east-1:123456789012:destination:testDestination')?.name, 'testDestination');
  for (const bad of ['', 'lambda', 'arn:aws:sqs:us-east-1:123456789012:q', 'arn:aws:lambda:us-east-1:12:function:f', 'arn:aws:kinesis::123456789012:stream/s', 'arn:aws:logs:us-east-1:123456789012:log-group:g']) {
    assert.equal(parseTargetArn(bad), undefined, bad);
  }
});

test('configured mappings are checked; bad entries are reported, not used', () => {
  const t = new DeliveryTargets({
    lambdaFunctions: {
      'arn:aws:lambda:us-east-1:123456789012:function:ok': 'https://example.com/x',
      'arn:aws:lambda:us-east-1:123456789012:function:bad': 'ftp://example.com',
      'not-an-arn': 'http://x',
    },
    streams: {
      'arn:aws:kinesis:us-east-1:123456789012:stream/file': 'file:///var/tmp/records',
      'arn:aws:firehose:us-east-1:123456789012:deliverystream/http': 'http://127.0.0.1:9000/fh',
      'arn:aws:kinesis:us-east-1:123456789012:stream/relative': 'records.txt',
      'arn:aws:lambda:us-east-1:123456789012:function:ok': 'http://x',
    },
  });
  assert.equal(t.problems().length, 4);
  assert.equal(t.lambdaUrl('arn:aws:lambda:us-east-1:123456789012:function:ok'), 'https://example.com/x');
  assert.equal(t.lambdaUrl('arn:aws:lambda:us-east-1:123456789012:function:ok:live'), 'https://example.com/x');
  assert.equal(t.lambdaUrl('arn:aws:lambda:us-east-1:123456789012:function:bad'), undefined);
  assert.deepEqual(t.streamSink('arn:aws:kinesis:us-east-1:123456789012:stream/file'), { kind: 'file', path: '/var/tmp/records' });
  assert.deepEqual(t.streamSink('arn:aws:firehose:us-east-1:123456789012:deliverystream/http'), { kind: 'http', url: 'http://127.0.0.1:9000/fh' });
  assert.equal(t.streamSink('arn:aws:kinesis:us-east-1:123456789012:stream/relative'), undefined);
});
