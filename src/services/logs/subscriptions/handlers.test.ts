import { test } from 'node:test';
import { tempMetaDb } from '../../../store/meta/test-support.ts';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { LogsMetaStore } from '../../../store/meta/logs.ts';
import { OutboxStore } from '../../../store/meta/outbox.ts';
import { SubscriptionsStore } from '../../../store/meta/subscriptions.ts';
import type { SubscriptionDeps } from './deps.ts';
import { deleteDestination, describeDestinations, putDestination, putDestinationPolicy } from './destinations.ts';
import { deleteSubscriptionFilter, describeSubscriptionFilters, putSubscriptionFilter } from './filters.ts';
import { DeliveryTargets } from './targets.ts';
import { noNativeStreams } from '../../../server/targets/test-support.ts';

const A = '111111111111';
const B = '999999999999';
const LAMBDA = `arn:aws:lambda:us-east-1:${A}:function:errors`;
const STREAM = `arn:aws:kinesis:us-east-1:${A}:stream/s`;
const B_STREAM = `arn:aws:firehose:us-east-1:${B}:deliverystream/recipient`;
const B_DEST = `arn:aws:logs:us-east-1:${B}:destination:testDestination`;

async function setup(t: { after(fn: () => Promise<void> | void): void }) {
  const { db } = await tempMetaDb(t, 'osprey-subh-');
  const meta = new LogsMetaStore(db);
  const outbox = new OutboxStore(db);
  const targets = new DeliveryTargets({
    lambdaFunctions: { [LAMBDA]: 'http://127.0.0.1:1/lambda' },
    streams: { [STREAM]: 'file:///tmp/osprey-never-written', [B_STREAM]: 'http://127.0.0.1:1/firehose' },
  });
  const deps: SubscriptionDeps = { meta, subs: new SubscriptionsStore(db), outbox, targets, streams: noNativeStreams };
  const clock = new ManualClock(1_700_000_000_000);
  const ctx = (account: string): Ctx => ({
    account, region: 'us-east-1', principalArn: `arn:aws:iam::${account}:root`, accessKeyId: 'k', requestId: 'r', clock, log: silentLogger,
  });
  for (const account of [A, B]) {
    await meta.createGroup({
      account, region: 'us-east-1', name: '/app', createdAt: 1, retentionDays: null, kmsKeyId: null,
      logGroupClass: 'STANDARD', deletionProtection: false, tags: {},
    });
  }
  return { deps, outbox, clock, a: ctx(A), b: ctx(B) };
}

const put = (name: string, destinationArn: string, extra: Record<string, unknown> = {}) => ({
  logGroupName: '/app', filterName: name, filterPattern: 'ERROR', destinationArn, ...extra,
});

async function rejects(p: Promise<unknown>, code: string, message?: RegExp) {
  await assert.rejects(p, (e: Error & { code?: string }) => {
    assert.equal(e.code, code, `${e.code}: ${e.message}`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

test('PutSubscriptionFilter stores the filter; Describe reports it with AWS defaults', async (t) => {
  const { deps, a, clock } = await setup(t);
  await putSubscriptionFilter(deps, a, put('f', LAMBDA));
  const out = await describeSubscriptionFilters(deps, a, { logGroupName: '/app' });
  assert.deepEqual(out, {
    subscriptionFilters: [{
      filterName: 'f', logGroupName: '/app', filterPattern: 'ERROR', destinationArn: LAMBDA, roleArn: undefined,
      distribution: 'ByLogStream', applyOnTransformedLogs: false, creationTime: clock.now(),
    }],
    nextToken: undefined,
  });
});

test('a log group takes two subscription filters; a third is refused, updating one by name is not', async (t) => {
  const { deps, a, clock } = await setup(t);
  await putSubscriptionFilter(deps, a, put('one', LAMBDA));
  await putSubscriptionFilter(deps, a, put('two', STREAM, { roleArn: 'arn:aws:iam::111111111111:role/cwl', distribution: 'Random' }));
  await rejects(putSubscriptionFilter(deps, a, put('three', LAMBDA)), 'LimitExceededException', /^Resource limit exceeded\.$/);
  clock.advance(1000);
  await putSubscriptionFilter(deps, a, put('one', LAMBDA, { filterPattern: '{ $.level = "error" }' }));
  const { subscriptionFilters } = await describeSubscriptionFilters(deps, a, { logGroupName: '/app' });
  assert.deepEqual(subscriptionFilters!.map((f) => [f.filterName, f.filterPattern, f.distribution, f.roleArn, f.creationTime]), [
    ['one', '{ $.level = "error" }', 'ByLogStream', undefined, clock.now() - 1000],
    ['two', 'ERROR', 'Random', 'arn:aws:iam::111111111111:role/cwl', clock.now() - 1000],
  ]);
});

test('destinations that could never be delivered to are refused with a hint', async (t) => {
  const { deps, a } = await setup(t);
  await rejects(putSubscriptionFilter(deps, a, put('f', `arn:aws:lambda:us-east-1:${A}:function:unmapped`)), 'InvalidParameterException', /OSPREY_LAMBDA_URLS/);
  await rejects(putSubscriptionFilter(deps, a, put('f', `arn:aws:kinesis:us-east-1:${A}:stream/unmapped`)), 'InvalidParameterException', /OSPREY_STREAM_SINKS/);
  await rejects(putSubscriptionFilter(deps, a, put('f', 'arn:aws:sqs:us-east-1:111111111111:q')), 'InvalidParameterException', /Lambda functions/);
  await rejects(putSubscriptionFilter(deps, a, put('f', 'not-an-arn')), 'InvalidParameterException');
  await rejects(putSubscriptionFilter(deps, a, put('f', `arn:aws:lambda:us-east-1:${B}:function:errors`)), 'InvalidParameterException', /same account/);
});

test('unknown log groups, bad patterns and unsupported options are refused', async (t) => {
  const { deps, a } = await setup(t);
  await rejects(putSubscriptionFilter(deps, a, { ...put('f', LAMBDA), logGroupName: '/nope' }), 'ResourceNotFoundException', /log group/);
  await rejects(putSubscriptionFilter(deps, a, put('f', LAMBDA, { filterPattern: '{ $.x = ' })), 'InvalidParameterException', /Invalid filter pattern/);
  await rejects(putSubscriptionFilter(deps, a, put('f', LAMBDA, { emitSystemFields: ['@aws.account'] })), 'InvalidParameterException', /emitSystemFields/);
  await rejects(describeSubscriptionFilters(deps, a, { logGroupName: '/nope' }), 'ResourceNotFoundException');
});

test('a Lambda subscription sends no control message; a stream subscription sends one when it starts', async (t) => {
  const { deps, a, outbox } = await setup(t);
  await putSubscriptionFilter(deps, a, put('lambda', LAMBDA));
  assert.equal((await outbox.counts(0)).pending, 0);
  await putSubscriptionFilter(deps, a, put('stream', STREAM));
  await putSubscriptionFilter(deps, a, put('stream', STREAM, { filterPattern: 'WARN' }));
  const rows = await outbox.claim({ topics: ['logs.subscription'], owner: 'x', now: Number.MAX_SAFE_INTEGER, leaseMs: 1, limit: 10 });
  assert.equal(rows.length, 1, 'only when the destination is new');
  assert.equal(rows[0].target, STREAM);
  assert.deepEqual(JSON.parse(rows[0].payload), { type: 'control', kind: 'kinesis', filterName: 'stream', timestamp: a.clock.now() });
});

test('DeleteSubscriptionFilter removes the filter; unknown names are ResourceNotFound', async (t) => {
  const { deps, a } = await setup(t);
  await putSubscriptionFilter(deps, a, put('f', LAMBDA));
  await deleteSubscriptionFilter(deps, a, { logGroupName: '/app', filterName: 'f' });
  assert.deepEqual((await describeSubscriptionFilters(deps, a, { logGroupName: '/app' })).subscriptionFilters, []);
  await rejects(deleteSubscriptionFilter(deps, a, { logGroupName: '/app', filterName: 'f' }), 'ResourceNotFoundException', /subscription filter/);
  await rejects(deleteSubscriptionFilter(deps, a, { logGroupName: '/nope', filterName: 'f' }), 'ResourceNotFoundException', /log group/);
});

test('DescribeSubscriptionFilters pages with limit/nextToken and filters by prefix', async (t) => {
  const { deps, a } = await setup(t);
  await putSubscriptionFilter(deps, a, put('err-a', LAMBDA));
  await putSubscriptionFilter(deps, a, put('err-b', LAMBDA));
  const p1 = await describeSubscriptionFilters(deps, a, { logGroupName: '/app', limit: 1 });
  assert.deepEqual(p1.subscriptionFilters!.map((f) => f.filterName), ['err-a']);
  assert.ok(p1.nextToken);
  const p2 = await describeSubscriptionFilters(deps, a, { logGroupName: '/app', limit: 1, nextToken: p1.nextToken });
  assert.deepEqual(p2.subscriptionFilters!.map((f) => f.filterName), ['err-b']);
  assert.equal(p2.nextToken, undefined);
  const pre = await describeSubscriptionFilters(deps, a, { logGroupName: '/app', filterNamePrefix: 'err-b' });
  assert.deepEqual(pre.subscriptionFilters!.map((f) => f.filterName), ['err-b']);
  await rejects(describeSubscriptionFilters(deps, a, { logGroupName: '/app', nextToken: 'garbage' }), 'InvalidParameterException');
});

test('PutDestination returns the destination with its ARN; only mapped Kinesis/Firehose targets are accepted', async (t) => {
  const { deps, b, clock } = await setup(t);
  const { destination } = await putDestination(deps, b, { destinationName: 'testDestination', targetArn: B_STREAM, roleArn: 'arn:aws:iam::999999999999:role/CWLtoFirehose' });
  assert.deepEqual(destination, {
    destinationName: 'testDestination', targetArn: B_STREAM, roleArn: 'arn:aws:iam::999999999999:role/CWLtoFirehose',
    accessPolicy: undefined, arn: B_DEST, creationTime: clock.now(),
  });
  await rejects(putDestination(deps, b, { destinationName: 'd', targetArn: LAMBDA, roleArn: 'r' }), 'InvalidParameterException', /Kinesis stream/);
  await rejects(putDestination(deps, b, { destinationName: 'd', targetArn: `arn:aws:kinesis:us-east-1:${B}:stream/unmapped`, roleArn: 'r' }), 'InvalidParameterException', /OSPREY_STREAM_SINKS/);
});

test('a cross-account subscription needs the destination policy to allow the sender account', async (t) => {
  const { deps, a, b, outbox } = await setup(t);
  await rejects(putSubscriptionFilter(deps, a, put('x', B_DEST)), 'ResourceNotFoundException', /destination/);
  await putDestination(deps, b, { destinationName: 'testDestination', targetArn: B_STREAM, roleArn: 'r' });
  await rejects(putSubscriptionFilter(deps, a, put('x', B_DEST)), 'AccessDeniedException', /not authorized to perform: logs:PutSubscriptionFilter/);
  const policy = (account: string) => JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: '', Effect: 'Allow', Principal: { AWS: account }, Action: 'logs:PutSubscriptionFilter', Resource: B_DEST }],
  });
  await putDestinationPolicy(deps, b, { destinationName: 'testDestination', accessPolicy: policy('222222222222') });
  await rejects(putSubscriptionFilter(deps, a, put('x', B_DEST)), 'AccessDeniedException');
  await putDestinationPolicy(deps, b, { destinationName: 'testDestination', accessPolicy: policy(A) });
  await putSubscriptionFilter(deps, a, put('x', B_DEST));
  // The destination's owner may always use it.
  await putSubscriptionFilter(deps, b, put('own', B_DEST));
  const rows = await outbox.claim({ topics: ['logs.subscription'], owner: 'x', now: Number.MAX_SAFE_INTEGER, leaseMs: 1, limit: 10 });
  assert.deepEqual(rows.map((r) => [r.target, JSON.parse(r.payload).kind]), [[B_STREAM, 'firehose'], [B_STREAM, 'firehose']]);
  const { destinations } = await describeDestinations(deps, b, {});
  assert.equal(destinations![0]!.accessPolicy, policy(A));
});

test('a destination in another region cannot be used', async (t) => {
  const { deps, a } = await setup(t);
  await rejects(putSubscriptionFilter(deps, a, put('x', `arn:aws:logs:eu-west-1:${B}:destination:d`)), 'InvalidParameterException', /same region/);
});

test('PutDestinationPolicy checks the destination and the policy document', async (t) => {
  const { deps, b } = await setup(t);
  await rejects(putDestinationPolicy(deps, b, { destinationName: 'nope', accessPolicy: '{}' }), 'ResourceNotFoundException');
  await putDestination(deps, b, { destinationName: 'd', targetArn: B_STREAM, roleArn: 'r' });
  await rejects(putDestinationPolicy(deps, b, { destinationName: 'd', accessPolicy: 'not json' }), 'InvalidParameterException', /Invalid access policy: the policy is not valid JSON/);
  await rejects(putDestinationPolicy(deps, b, { destinationName: 'd', accessPolicy: '{"Statement":[{"Effect":"Allow","Action":"*"}]}' }), 'InvalidParameterException', /Principal/);
});

test('DescribeDestinations lists this account and region by prefix, with paging; DeleteDestination removes one', async (t) => {
  const { deps, a, b } = await setup(t);
  for (const n of ['alpha', 'beta', 'alpine']) await putDestination(deps, b, { destinationName: n, targetArn: B_STREAM, roleArn: 'r' });
  assert.deepEqual((await describeDestinations(deps, a, {})).destinations, []);
  const names = (r: { destinations?: { destinationName?: string }[] }) => r.destinations!.map((d) => d.destinationName);
  assert.deepEqual(names(await describeDestinations(deps, b, { DestinationNamePrefix: 'al' })), ['alpha', 'alpine']);
  const p1 = await describeDestinations(deps, b, { limit: 2 });
  assert.deepEqual(names(p1), ['alpha', 'alpine']);
  assert.deepEqual(names(await describeDestinations(deps, b, { limit: 2, nextToken: p1.nextToken })), ['beta']);
  await deleteDestination(deps, b, { destinationName: 'beta' });
  await rejects(deleteDestination(deps, b, { destinationName: 'beta' }), 'ResourceNotFoundException', /destination/);
});
