import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogsMetaStore } from './logs.ts';
import { MetricFiltersStore, type MetricFilterRecord } from './metric-filters.ts';
import type { MetaDb } from './sql/types.ts';
import { metaEngines } from './test-support.ts';

for (const engine of await metaEngines()) describe(`metric filters on ${engine.name}`, () => {
let db: MetaDb;
let groups: LogsMetaStore;
let repo: MetricFiltersStore;
const A = { account: '111111111111', region: 'us-east-1' };

async function group(name: string, scope = A) {
  await groups.createGroup({ ...scope, name, createdAt: 1, retentionDays: null, kmsKeyId: null, logGroupClass: 'STANDARD', deletionProtection: false, tags: {} });
}

const filter = (logGroup: string, name: string, over: Partial<MetricFilterRecord> = {}): MetricFilterRecord => ({
  ...A, logGroup, name, pattern: 'ERROR',
  transformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0 }],
  applyOnTransformedLogs: false, fieldSelectionCriteria: null, emitSystemFieldDimensions: null, createdAt: 1000, ...over,
});

beforeEach(async () => {
  db = await engine.open();
  groups = new LogsMetaStore(db);
  repo = new MetricFiltersStore(db);
});
afterEach(() => db.close());

test('put creates, then replaces by name keeping the creation time; all fields round-trip', async () => {
  await group('/g');
  assert.deepEqual(await repo.put(filter('/g', 'f')), { created: true });
  const replacement = filter('/g', 'f', {
    pattern: '{ $.latency > 0 }', createdAt: 5000, applyOnTransformedLogs: true, fieldSelectionCriteria: '$.x IN ["a"]',
    emitSystemFieldDimensions: ['@aws.account'],
    transformations: [{ metricName: 'Lat', metricNamespace: 'App', metricValue: '$.latency', dimensions: { Op: '$.op' }, unit: 'Milliseconds' }],
  });
  assert.deepEqual(await repo.put(replacement), { created: false });
  assert.deepEqual(await repo.get({ ...A, name: '/g' }, 'f'), { ...replacement, createdAt: 1000 });
});

test('put refuses a filter for a group that does not exist', async () => {
  assert.equal(await repo.put(filter('/missing', 'f')), false);
});

test('admit sees the group\'s other filters and can refuse atomically', async () => {
  await group('/g');
  await repo.put(filter('/g', 'a'));
  await repo.put(filter('/g', 'b'));
  let seen: string[] = [];
  await repo.put(filter('/g', 'a'), (others) => { seen = others.map((o) => o.name); });
  assert.deepEqual(seen, ['b']);
  await assert.rejects(repo.put(filter('/g', 'c'), () => { throw new Error('limit'); }), /limit/);
  assert.equal(await repo.get({ ...A, name: '/g' }, 'c'), undefined);
});

test('list sorts by name then group, filters by group, case-sensitive prefix and metric, and pages', async () => {
  await group('/a');
  await group('/b');
  await group('/other', { account: '222222222222', region: 'us-east-1' });
  await repo.put(filter('/a', 'Zeta'));
  await repo.put(filter('/a', 'alpha'));
  await repo.put(filter('/b', 'alpha'));
  await repo.put(filter('/a', 'alp%_x', { transformations: [{ metricName: 'Other', metricNamespace: 'App', metricValue: '1' }] }));
  await repo.put(filter('/other', 'alpha', { account: '222222222222' }));
  const names = (rs: MetricFilterRecord[]) => rs.map((r) => `${r.logGroup}:${r.name}`);
  assert.deepEqual(names(await repo.list({ ...A, limit: 50 })), ['/a:Zeta', '/a:alp%_x', '/a:alpha', '/b:alpha']);
  assert.deepEqual(names(await repo.list({ ...A, logGroup: '/a', limit: 50 })), ['/a:Zeta', '/a:alp%_x', '/a:alpha']);
  assert.deepEqual(names(await repo.list({ ...A, namePrefix: 'alp', limit: 50 })), ['/a:alp%_x', '/a:alpha', '/b:alpha']);
  assert.deepEqual(names(await repo.list({ ...A, namePrefix: 'ALP', limit: 50 })), []);
  assert.deepEqual(names(await repo.list({ ...A, namePrefix: 'alp%', limit: 50 })), ['/a:alp%_x']);
  assert.deepEqual(names(await repo.list({ ...A, metric: { namespace: 'App', name: 'Other' }, limit: 50 })), ['/a:alp%_x']);
  assert.deepEqual(names(await repo.list({ ...A, after: { name: 'alpha', logGroup: '/a' }, limit: 50 })), ['/b:alpha']);
  assert.deepEqual(names(await repo.list({ ...A, limit: 2 })), ['/a:Zeta', '/a:alp%_x']);
});

test('delete removes one filter; deleting the log group removes its filters', async () => {
  await group('/g');
  await repo.put(filter('/g', 'a'));
  await repo.put(filter('/g', 'b'));
  assert.equal(await repo.delete({ ...A, name: '/g' }, 'a'), true);
  assert.equal(await repo.delete({ ...A, name: '/g' }, 'a'), false);
  assert.deepEqual((await repo.listForGroup({ ...A, name: '/g' })).map((f) => f.name), ['b']);
  await groups.deleteGroup({ ...A, name: '/g' });
  assert.deepEqual(await repo.listForGroup({ ...A, name: '/g' }), []);
});

test('countByGroup counts per group', async () => {
  await group('/a');
  await group('/b');
  await repo.put(filter('/a', 'x'));
  await repo.put(filter('/a', 'y'));
  assert.deepEqual([...(await repo.countByGroup(A.account, A.region, ['/a', '/b', '/c'])).entries()], [['/a', 2]]);
  assert.deepEqual(await repo.countByGroup(A.account, A.region, []), new Map());
});

test('concurrent puts of new filters to one group admit one at a time (separate connections)', { skip: engine.name === 'sqlite' && 'one process per SQLite store' }, async () => {
  await group('/g');
  const others = await Promise.all([1, 2, 3].map(() => engine.reopen(db)));
  const admitAtMostTwo = (o: MetricFilterRecord[]) => { if (o.length >= 2) throw new Error('limit'); };
  const results = await Promise.allSettled([repo, ...others.map((o) => new MetricFiltersStore(o))]
    .map((r, i) => r.put(filter('/g', `f${i}`), admitAtMostTwo)));
  for (const o of others) await o.close();
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
  assert.equal((await repo.listForGroup({ ...A, name: '/g' })).length, 2);
});
});
