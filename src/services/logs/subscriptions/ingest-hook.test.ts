import { test } from 'node:test';
import { tempMetaDb } from '../../../store/meta/test-support.ts';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { LogsMetaStore } from '../../../store/meta/logs.ts';
import { OutboxStore } from '../../../store/meta/outbox.ts';
import { SubscriptionsStore, type SubscriptionFilterRecord } from '../../../store/meta/subscriptions.ts';
import { eventId, type IngestedBatch } from '../ingest-hooks.ts';
import { SubscriptionIngestHook } from './ingest-hook.ts';
import { noNativeStreams } from '../../../server/targets/test-support.ts';
import { DeliveryTargets } from './targets.ts';

const A = '111111111111';
const B = '999999999999';
const LAMBDA = `arn:aws:lambda:us-east-1:${A}:function:f`;
const B_STREAM = `arn:aws:kinesis:us-east-1:${B}:stream/recipient`;
const B_DEST = `arn:aws:logs:us-east-1:${B}:destination:d`;

async function setup(t: { after(fn: () => Promise<void> | void): void }) {
  const { db } = await tempMetaDb(t, 'osprey-hook-');
  const meta = new LogsMetaStore(db);
  await meta.createGroup({
    account: A, region: 'us-east-1', name: '/app', createdAt: 1, retentionDays: null, kmsKeyId: null,
    logGroupClass: 'STANDARD', deletionProtection: false, tags: {},
  });
  const subs = new SubscriptionsStore(db);
  const outbox = new OutboxStore(db);
  const deps = { meta, subs, outbox, targets: new DeliveryTargets({ lambdaFunctions: {}, streams: {} }), streams: noNativeStreams };
  const hook = new SubscriptionIngestHook(deps, new ManualClock(5000), silentLogger);
  const pending = async () =>
    (await outbox.claim({ topics: ['logs.subscription'], owner: 'probe', now: Number.MAX_SAFE_INTEGER, leaseMs: 1, limit: 100 }))
      .map((r) => ({ target: r.target, items: r.items, payload: JSON.parse(r.payload) }));
  return { subs, hook, pending };
}

const filter = (name: string, filterPattern: string, destinationArn = LAMBDA): SubscriptionFilterRecord => ({
  account: A, region: 'us-east-1', logGroup: '/app', name, filterPattern, destinationArn, roleArn: null,
  distribution: 'ByLogStream', applyOnTransformedLogs: false, createdAt: 1,
});

const batch = (messages: string[]): IngestedBatch => ({
  account: A, region: 'us-east-1', logGroup: '/app', logStream: 's1',
  events: messages.map((message, i) => ({ timestamp: 1000 + i, message, ingestionTime: 2000, eventId: eventId(1000 + i, BigInt(i + 1)) })),
});

test('each filter gets one outbox row with exactly its matching events', async (t) => {
  const { subs, hook, pending } = await setup(t);
  await subs.putFilter(filter('errors', 'ERROR'), 2);
  await subs.putFilter(filter('json', '{ $.level = "warn" }'), 2);
  await hook.onIngest(batch(['ok', 'ERROR one', '{"level":"warn"}', 'ERROR two', '{"level":"info"}']));
  const rows = await pending();
  assert.deepEqual(rows.map((r) => [r.target, r.items, r.payload.filterName, r.payload.events.map((e: { message: string }) => e.message)]), [
    [LAMBDA, 2, 'errors', ['ERROR one', 'ERROR two']],
    [LAMBDA, 1, 'json', ['{"level":"warn"}']],
  ]);
  assert.deepEqual(rows[0].payload, {
    type: 'data', owner: A, logGroup: '/app', logStream: 's1', filterName: 'errors', destinationArn: LAMBDA,
    events: [
      { id: eventId(1001, 2n), timestamp: 1001, message: 'ERROR one' },
      { id: eventId(1003, 4n), timestamp: 1003, message: 'ERROR two' },
    ],
  });
});

test('nothing is written when no filter matches or the group has no filters', async (t) => {
  const { subs, hook, pending } = await setup(t);
  await hook.onIngest(batch(['ERROR']));
  await subs.putFilter(filter('errors', 'ERROR'), 2);
  await hook.onIngest(batch(['fine', 'also fine']));
  assert.deepEqual(await pending(), []);
});

test('deliveries through a destination go to its target, and stop when its policy stops allowing the sender', async (t) => {
  const { subs, hook, pending } = await setup(t);
  const dest = { account: B, region: 'us-east-1', name: 'd' };
  await subs.putDestination({ ...dest, targetArn: B_STREAM, roleArn: 'r', tags: {}, createdAt: 1 });
  const allow = (account: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: account }, Action: 'logs:PutSubscriptionFilter', Resource: B_DEST }] });
  await subs.setDestinationPolicy(dest, allow(A));
  await subs.putFilter(filter('x', '', B_DEST), 2);
  await hook.onIngest(batch(['a']));
  assert.deepEqual((await pending()).map((r) => [r.target, r.payload.destinationArn]), [[B_STREAM, B_DEST]]);

  await subs.setDestinationPolicy(dest, allow('222222222222'));
  await hook.onIngest(batch(['b']));
  await subs.deleteDestination(dest);
  await hook.onIngest(batch(['c']));
  assert.deepEqual(await pending(), []);
});
