import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arn, inPartitionOf, parseArn, partitionOf, regionlessArn } from './arn.ts';

test('the partition follows the region name, as the SDKs\' partitions.json maps them', () => {
  const cases: [string, string][] = [
    ['us-east-1', 'aws'], ['eu-west-3', 'aws'], ['ap-southeast-5', 'aws'], ['il-central-1', 'aws'], ['mx-central-1', 'aws'],
    ['cn-north-1', 'aws-cn'], ['cn-northwest-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'], ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'], ['us-iso-west-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
    // Custom and unknown names resolve to the commercial partition, as the SDKs do.
    ['local', 'aws'], ['cn', 'aws'], ['us-gov', 'aws'],
  ];
  for (const [region, partition] of cases) assert.equal(partitionOf(region), partition, region);
});

test('regional and regionless ARNs carry the partition of the region', () => {
  const scope = { account: '123456789012', region: 'cn-north-1' };
  assert.equal(arn('logs', scope, 'log-group:/app:*'), 'arn:aws-cn:logs:cn-north-1:123456789012:log-group:/app:*');
  assert.equal(arn('sns', { ...scope, region: 'us-gov-west-1' }, 't'), 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:t');
  assert.equal(arn('cloudwatch', { ...scope, region: 'us-east-1' }, 'alarm:a'), 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:a');
  assert.equal(regionlessArn('cloudwatch', scope, 'dashboard/d'), 'arn:aws-cn:cloudwatch::123456789012:dashboard/d');
});

test('a principal ARN moves to the partition of the region it acts in', () => {
  assert.equal(inPartitionOf('arn:aws:iam::123456789012:root', 'cn-northwest-1'), 'arn:aws-cn:iam::123456789012:root');
  assert.equal(inPartitionOf('arn:aws:iam::123456789012:root', 'us-east-1'), 'arn:aws:iam::123456789012:root');
  assert.equal(inPartitionOf('arn:aws-us-gov:iam::1:user/x', 'cn-north-1'), 'arn:aws-us-gov:iam::1:user/x', 'an explicit partition is kept');
  assert.equal(inPartitionOf('', 'cn-north-1'), '');
});

test('parseArn reads every partition', () => {
  assert.deepEqual(parseArn('arn:aws-iso-b:sns:us-isob-east-1:123456789012:t:sub'),
    { partition: 'aws-iso-b', service: 'sns', region: 'us-isob-east-1', account: '123456789012', resource: 't:sub' });
  assert.equal(parseArn('nope'), undefined);
});
