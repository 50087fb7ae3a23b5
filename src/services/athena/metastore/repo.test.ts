import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from '../../../store/meta/test-support.ts';
import { ATHENA_MIGRATIONS } from '../schema.ts';
import { MetastoreStore } from './repo.ts';
import type { TableRecord } from './types.ts';

const S = { account: '000000000000', region: 'us-east-1' };
const table = (database: string, name: string, location = 's3://b/t/'): TableRecord =>
  ({ database, name, kind: 'EXTERNAL_TABLE', columns: [], partitionKeys: [], location, properties: {} } as unknown as TableRecord);

for (const engine of await metaEngines()) describe(`athena metastore on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'athena', migrations: ATHENA_MIGRATIONS });
    t.after(() => db.close());
    return new MetastoreStore(db);
  }

  test('databases and tables: a taken name is refused unless replacing; deleting a database takes its tables and partitions', async (t) => {
    const m = await fresh(t);
    assert.equal(await m.insertDatabase(S, { name: 'd', properties: {}, createdAt: 1 }), true);
    assert.equal(await m.insertDatabase(S, { name: 'd', properties: {}, createdAt: 2 }), false);
    assert.deepEqual((await m.databases(S)).map((d) => d.createdAt), [1]);
    assert.equal(await m.putTable(S, table('d', 't'), false), true);
    assert.equal(await m.putTable(S, table('d', 't', 's3://b/other/'), false), false);
    assert.equal((await m.table(S, 'd', 't'))!.location, 's3://b/t/');
    assert.equal(await m.putTable(S, table('d', 't', 's3://b/other/'), true), true);
    assert.equal((await m.table(S, 'd', 't'))!.location, 's3://b/other/');
    await m.putTable(S, table('d', 'a'), false);
    assert.deepEqual((await m.tables(S, 'd')).map((x) => x.name), ['a', 't']);
    assert.deepEqual(await m.addPartitions(S, 'd', 't', [{ values: ['1'], location: 's3://b/t/1/', createdAt: 1 }]), [{ values: ['1'], location: 's3://b/t/1/', createdAt: 1 }]);
    await m.deleteDatabase(S, 'd');
    assert.equal(await m.database(S, 'd'), undefined);
    assert.deepEqual(await m.tables(S), []);
    assert.deepEqual(await m.partitions(S, 'd', 't'), []);
  });

  test('partitions: existing values are left alone; drop counts those that existed', async (t) => {
    const m = await fresh(t);
    await m.putTable(S, table('d', 't'), false);
    const p = (v: string) => ({ values: [v, 'x'], location: `s3://b/t/${v}/`, createdAt: 1 });
    assert.equal((await m.addPartitions(S, 'd', 't', [p('2'), p('1')])).length, 2);
    assert.deepEqual((await m.addPartitions(S, 'd', 't', [p('1'), p('3')])).map((x) => x.values[0]), ['3']);
    assert.deepEqual((await m.partitions(S, 'd', 't')).map((x) => x.values[0]), ['1', '2', '3']);
    assert.equal(await m.dropPartitions(S, 'd', 't', [['1', 'x'], ['9', 'x']]), 1);
    await m.deleteTable(S, 'd', 't');
    assert.equal(await m.table(S, 'd', 't'), undefined);
    assert.deepEqual(await m.partitions(S, 'd', 't'), []);
  });
});
