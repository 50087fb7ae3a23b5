import { after, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DashboardStore, type DashboardRecord } from './dashboards.ts';
import { metaEngines } from './test-support.ts';
import type { MetaDb } from './sql/types.ts';

for (const engine of await metaEngines()) describe(`dashboards on ${engine.name}`, () => {
let repo: DashboardStore;
let db: MetaDb | undefined;
const A = '111111111111';
const B = '222222222222';

const dash = (name: string, over: Partial<DashboardRecord> = {}): DashboardRecord => ({
  account: A, name, body: '{"widgets":[]}', lastModified: 1000, size: 14, ...over,
});

beforeEach(async () => {
  await db?.close();
  db = await engine.open();
  repo = new DashboardStore(db);
});
after(async () => db?.close());

test('put creates, then replaces body, size and time by (account, name)', async () => {
  await repo.put(dash('d'));
  const replaced = dash('d', { body: '{"widgets":[{"type":"text"}]}', lastModified: 2000, size: 29 });
  await repo.put(replaced);
  assert.deepEqual(await repo.get(A, 'd'), replaced);
  assert.equal(await repo.get(B, 'd'), undefined);
});

test('list sorts by name, filters by case-sensitive prefix and account, pages after a name, and omits bodies', async () => {
  for (const n of ['b', 'a_1', 'A-1', 'a%x', 'c']) await repo.put(dash(n));
  await repo.put(dash('a_other', { account: B }));
  const names = async (q: { prefix?: string; after?: string; limit?: number }) =>
    (await repo.list({ account: A, limit: 100, ...q })).map((d) => d.name);
  assert.deepEqual(await names({}), ['A-1', 'a%x', 'a_1', 'b', 'c']);
  assert.deepEqual(await names({ prefix: 'a' }), ['a%x', 'a_1']);
  assert.deepEqual(await names({ prefix: 'a_' }), ['a_1']);
  assert.deepEqual(await names({ after: 'a_1', limit: 2 }), ['b', 'c']);
  const [first] = await repo.list({ account: A, limit: 1 });
  assert.deepEqual(first, { account: A, name: 'A-1', lastModified: 1000, size: 14 });
});

test('deleteAll deletes every name, or none and reports the missing ones', async () => {
  await repo.put(dash('x'));
  await repo.put(dash('y'));
  assert.deepEqual(await repo.deleteAll(A, ['x', 'nope', 'y', 'gone']), ['nope', 'gone']);
  assert.ok(await repo.get(A, 'x'));
  assert.ok(await repo.get(A, 'y'));
  assert.deepEqual(await repo.deleteAll(A, ['x', 'y']), []);
  assert.equal(await repo.get(A, 'x'), undefined);
  assert.deepEqual(await repo.deleteAll(B, ['y']), ['y']);
});
});
