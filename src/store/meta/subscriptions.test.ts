import { describe, test } from 'node:test';
import { metaEngines } from './test-support.ts';
import assert from 'node:assert/strict';
import { LogsMetaStore } from './logs.ts';
import { SubscriptionsStore, type SubscriptionFilterRecord } from './subscriptions.ts';

for (const engine of await metaEngines()) describe(`subscriptions on ${engine.name}`, () => {
async function fresh(t: { after(fn: () => Promise<void>): void }) {
  const db = await engine.open();
  t.after(() => db.close());
  const meta = new LogsMetaStore(db);
  await meta.createGroup({
    account: '111111111111', region: 'us-east-1', name: '/app', createdAt: 1, retentionDays: null, kmsKeyId: null,
    logGroupClass: 'STANDARD', deletionProtection: false, tags: {},
  });
  return { meta, subs: new SubscriptionsStore(db) };
}

const GROUP = { account: '111111111111', region: 'us-east-1', name: '/app' };
const filter = (name: string, extra: Partial<SubscriptionFilterRecord> = {}): SubscriptionFilterRecord => ({
  account: GROUP.account, region: GROUP.region, logGroup: GROUP.name, name, filterPattern: 'ERROR',
  destinationArn: 'arn:aws:lambda:us-east-1:111111111111:function:f', roleArn: null, distribution: 'ByLogStream',
  applyOnTransformedLogs: false, createdAt: 10, ...extra,
});

test('a group holds at most maxPerGroup filters; replacing one by name is not a new one', async (t) => {
  const { subs } = await fresh(t);
  assert.equal((await subs.putFilter(filter('a'), 2)).outcome, 'created');
  assert.equal((await subs.putFilter(filter('b'), 2)).outcome, 'created');
  assert.equal((await subs.putFilter(filter('c'), 2)).outcome, 'limit');
  const upd = await subs.putFilter(filter('a', { filterPattern: 'WARN', distribution: 'Random', createdAt: 99 }), 2);
  assert.equal(upd.outcome, 'updated');
  assert.equal(upd.previous?.filterPattern, 'ERROR');
  const a = await subs.getFilter(GROUP, 'a');
  assert.equal(a?.filterPattern, 'WARN');
  assert.equal(a?.distribution, 'Random');
  assert.equal(a?.createdAt, 10, 'an update keeps the creation time');
  assert.deepEqual((await subs.filtersForGroup(GROUP)).map((f) => f.name), ['a', 'b']);
});

test('filters are listed by name with a case-sensitive prefix and an exclusive cursor', async (t) => {
  const { subs } = await fresh(t);
  for (const n of ['Err_1', 'err_2', 'Err%3']) await subs.putFilter(filter(n), 10);
  const list = (q: { prefix?: string; after?: string }) =>
    subs.listFilters({ account: GROUP.account, region: GROUP.region, logGroup: GROUP.name, limit: 10, ...q }).then((r) => r.map((f) => f.name));
  assert.deepEqual(await list({}), ['Err%3', 'Err_1', 'err_2']);
  assert.deepEqual(await list({ prefix: 'Err' }), ['Err%3', 'Err_1']);
  assert.deepEqual(await list({ prefix: 'Err_' }), ['Err_1']);
  assert.deepEqual(await list({ after: 'Err_1' }), ['err_2']);
});

test('deleting the log group deletes its filters', async (t) => {
  const { meta, subs } = await fresh(t);
  await subs.putFilter(filter('a'), 2);
  await meta.deleteGroup(GROUP);
  assert.deepEqual(await subs.filtersForGroup(GROUP), []);
  assert.equal(await subs.deleteFilter(GROUP, 'a'), false);
});

test('PutDestination on an existing name keeps its policy, creation time and (unless given) tags', async (t) => {
  const { subs } = await fresh(t);
  const key = { account: '999999999999', region: 'us-east-1', name: 'dest' };
  const created = await subs.putDestination({ ...key, targetArn: 'arn:k1', roleArn: 'arn:r1', tags: { team: 'a' }, createdAt: 5 });
  assert.equal(created.accessPolicy, null);
  assert.equal(await subs.setDestinationPolicy(key, '{"Statement":[]}'), true);
  const updated = await subs.putDestination({ ...key, targetArn: 'arn:k2', roleArn: 'arn:r2', tags: {}, createdAt: 50 });
  assert.deepEqual(updated, { ...key, targetArn: 'arn:k2', roleArn: 'arn:r2', accessPolicy: '{"Statement":[]}', tags: { team: 'a' }, createdAt: 5 });
  const retagged = await subs.putDestination({ ...key, targetArn: 'arn:k2', roleArn: 'arn:r2', tags: { team: 'b' }, createdAt: 50 });
  assert.deepEqual(retagged.tags, { team: 'b' });
  assert.equal(await subs.setDestinationPolicy({ ...key, name: 'nope' }, '{}'), false);
});

test('destinations are scoped by account and region and listed by prefix', async (t) => {
  const { subs } = await fresh(t);
  const base = { targetArn: 't', roleArn: 'r', tags: {}, createdAt: 1 };
  await subs.putDestination({ account: '1', region: 'r1', name: 'alpha', ...base });
  await subs.putDestination({ account: '1', region: 'r1', name: 'beta', ...base });
  await subs.putDestination({ account: '1', region: 'r2', name: 'alpha2', ...base });
  await subs.putDestination({ account: '2', region: 'r1', name: 'alpha3', ...base });
  const names = async (q: { prefix?: string; after?: string }) =>
    (await subs.listDestinations({ account: '1', region: 'r1', limit: 10, ...q })).map((d) => d.name);
  assert.deepEqual(await names({}), ['alpha', 'beta']);
  assert.deepEqual(await names({ prefix: 'al' }), ['alpha']);
  assert.deepEqual(await names({ after: 'alpha' }), ['beta']);
  assert.equal(await subs.deleteDestination({ account: '1', region: 'r1', name: 'alpha' }), true);
  assert.equal(await subs.deleteDestination({ account: '1', region: 'r1', name: 'alpha' }), false);
  assert.equal(await subs.getDestination({ account: '1', region: 'r1', name: 'alpha' }), undefined);
});
});
