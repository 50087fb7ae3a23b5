import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from '../../store/meta/test-support.ts';
import { FirehoseRepo } from './repo.ts';
import { FIREHOSE_MIGRATIONS } from './schema.ts';
import type { StoredDestination } from './destination.ts';

for (const engine of await metaEngines()) describe(`firehose repo on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'firehose', migrations: FIREHOSE_MIGRATIONS });
    t.after(() => db.close());
    return new FirehoseRepo(db);
  }
  const stream = (name: string, type: 'DirectPut' | 'KinesisStreamAsSource' = 'DirectPut') => ({
    account: '000000000000', region: 'us-east-1', name, type, version: 1, destination: { kind: 's3' } as unknown as StoredDestination,
    source: undefined, encryption: undefined, tags: [], createdAt: 1, updatedAt: 1,
  });

  test('streams: insert, look up, list by name and type, update, delete', async (t) => {
    const repo = await fresh(t);
    const a = await repo.insert(stream('a'));
    await repo.insert(stream('b', 'KinesisStreamAsSource'));
    assert.equal((await repo.get({ account: '000000000000', region: 'us-east-1', name: 'a' }))!.id, a.id);
    assert.deepEqual(await repo.names('000000000000', 'us-east-1', undefined, '', 10), ['a', 'b']);
    assert.deepEqual(await repo.names('000000000000', 'us-east-1', 'DirectPut', '', 10), ['a']);
    assert.deepEqual(await repo.names('000000000000', 'us-east-1', undefined, 'a', 10), ['b']);
    assert.equal(await repo.count('000000000000', 'us-east-1'), 2);
    await repo.update(a.id, { version: 2, tags: [{ Key: 'k', Value: 'v' }], updatedAt: 5 });
    const u = (await repo.byId(a.id))!;
    assert.deepEqual([u.version, u.tags, u.updatedAt, u.destination], [2, [{ Key: 'k', Value: 'v' }], 5, { kind: 's3' }]);
    await repo.addRecords(a.id, 1, [Buffer.from('x')]);
    await repo.delete(a.id);
    assert.equal(await repo.byId(a.id), undefined);
    assert.deepEqual((await repo.all()).map((s) => s.name), ['b']);
  });

  test('records come back in order as Buffers; deleting some keeps the rest', async (t) => {
    const repo = await fresh(t);
    const s = await repo.insert(stream('s'));
    const data = Array.from({ length: 250 }, (_, i) => Buffer.from(`r${i}`));
    const seqs = await repo.addRecords(s.id, 7, data);
    assert.equal(seqs.length, 250);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    const rows = await repo.records(s.id);
    assert.deepEqual(rows.map((r) => r.seq), seqs);
    assert.ok(Buffer.isBuffer(rows[0]!.data));
    assert.deepEqual(rows.map((r) => r.data.toString()), data.map((d) => d.toString()));
    await repo.deleteRecords(seqs.slice(0, 120));
    assert.deepEqual((await repo.records(s.id)).map((r) => r.seq), seqs.slice(120));
  });

  test('shard records and their checkpoint commit together; a null position keeps the last one', async (t) => {
    const repo = await fresh(t);
    const s = await repo.insert(stream('k', 'KinesisStreamAsSource'));
    const seqs = await repo.addShardRecords(s.id, 'shardId-0', [{ arrivedAt: 1, data: Buffer.from('a') }], '100', false);
    assert.equal(seqs.length, 1);
    await repo.addShardRecords(s.id, 'shardId-0', [], undefined, true);
    assert.deepEqual([...(await repo.checkpoints(s.id))], [['shardId-0', { sequenceNumber: '100', closed: true }]]);
  });
});
