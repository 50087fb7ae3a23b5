import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from '../../store/meta/test-support.ts';
import { KinesisRepo, type NewShard, type StreamRow } from './repo.ts';
import { KINESIS_MIGRATIONS } from './schema.ts';

const stream = (name: string, mode: StreamRow['mode'] = 'PROVISIONED'): Omit<StreamRow, 'id'> => ({
  account: '000000000000', region: 'us-east-1', name, streamId: `sid-${name}`, mode, retentionHours: 24, createdAt: 1,
  encryptionType: 'NONE', keyId: undefined, shardMetrics: [], tags: { a: '1' }, maxRecordKib: 1024, nextShard: 2,
});
const shard = (idx: number, seq: string, parent?: number): NewShard => ({
  idx, parent, adjacentParent: undefined, hashStart: String(idx), hashEnd: String(idx + 1), startingSeq: seq, endingSeq: undefined, createdAt: 1, closedAt: undefined,
});

for (const engine of await metaEngines()) describe(`kinesis repo on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'kinesis', migrations: KINESIS_MIGRATIONS });
    t.after(() => db.close());
    return new KinesisRepo(db);
  }

  test('the iterator key is made once and kept', async (t) => {
    const repo = await fresh(t);
    const k = await repo.iteratorKey();
    assert.ok(Buffer.isBuffer(k) && k.length === 32);
    assert.deepEqual(await repo.iteratorKey(), k);
  });

  test('streams with their shards: insert, look up, list, update, count, delete', async (t) => {
    const repo = await fresh(t);
    const s = await repo.insertStream(stream('b'), [shard(0, '100'), shard(1, '101')]);
    await repo.insertStream(stream('a', 'ON_DEMAND'), []);
    assert.equal((await repo.stream('000000000000', 'us-east-1', 'b'))!.id, s.id);
    assert.equal((await repo.streamByStreamId('sid-b'))!.name, 'b');
    assert.deepEqual((await repo.listStreams('000000000000', 'us-east-1', '', 10)).map((x) => x.name), ['a', 'b']);
    assert.equal(await repo.openShardCount('000000000000', 'us-east-1'), 2);
    assert.equal(await repo.onDemandStreamCount('000000000000', 'us-east-1'), 1);
    await repo.updateStream({ ...s, retentionHours: 48, tags: { b: '2' }, shardMetrics: ['ALL'] });
    const u = (await repo.stream('000000000000', 'us-east-1', 'b'))!;
    assert.deepEqual([u.retentionHours, u.tags, u.shardMetrics], [48, { b: '2' }, ['ALL']]);
    assert.equal(await repo.maxShardSequence(), '101');
    await repo.deleteStream(s.id);
    assert.equal(await repo.stream('000000000000', 'us-east-1', 'b'), undefined);
    assert.deepEqual(await repo.shards(s.id), []);
  });

  test('reshard closes and opens shards and moves the counter; old closed shards are dropped', async (t) => {
    const repo = await fresh(t);
    const s = await repo.insertStream(stream('s'), [shard(0, '100'), shard(1, '101')]);
    await repo.reshard(s, { close: [{ idx: 0, endingSeq: '200' }], open: [shard(2, '201', 0), shard(3, '202', 0)], closedAt: 50 });
    const all = await repo.shards(s.id);
    assert.deepEqual(all.map((x) => [x.idx, x.endingSeq, x.closedAt, x.parent]), [[0, '200', 50, undefined], [1, undefined, undefined, undefined], [2, undefined, undefined, 0], [3, undefined, undefined, 0]]);
    assert.equal((await repo.stream('000000000000', 'us-east-1', 's'))!.nextShard, 4);
    assert.equal(await repo.maxShardSequence(), '202');
    assert.equal((await repo.shard(s.id, 2))!.hashStart, '2');
    await repo.dropShardsClosedBefore(s.id, 51);
    assert.deepEqual((await repo.shards(s.id)).map((x) => x.idx), [1, 2, 3]);
  });

  test('consumers: insert, tag, list by name, delete', async (t) => {
    const repo = await fresh(t);
    const s = await repo.insertStream(stream('s'), []);
    await repo.insertConsumer({ stream: s.id, name: 'z', createdAt: 5, tags: {} });
    await repo.insertConsumer({ stream: s.id, name: 'c', createdAt: 6, tags: {} });
    await repo.setConsumerTags(s.id, 'z', { k: 'v' });
    assert.deepEqual((await repo.consumers(s.id)).map((c) => c.name), ['c', 'z']);
    assert.deepEqual((await repo.consumer(s.id, 'z'))!.tags, { k: 'v' });
    await repo.deleteConsumer(s.id, 'z');
    assert.equal(await repo.consumer(s.id, 'z'), undefined);
  });
});
