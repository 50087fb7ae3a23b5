import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, metaEngines, twoNodes } from '../../store/meta/test-support.ts';
import { OpenShardCache } from './deps.ts';
import { KinesisRepo, type NewShard, type StreamRow } from './repo.ts';
import { KINESIS_MIGRATIONS } from './schema.ts';

const stream: Omit<StreamRow, 'id'> = {
  account: '000000000000', region: 'us-east-1', name: 'routed', streamId: 'sid-routed', mode: 'PROVISIONED', retentionHours: 24, createdAt: 1,
  encryptionType: 'NONE', keyId: undefined, shardMetrics: [], tags: {}, maxRecordKib: 1024, nextShard: 1,
};
const shard = (idx: number, start: string, end: string): NewShard => ({
  idx, parent: undefined, adjacentParent: undefined, hashStart: start, hashEnd: end, startingSeq: String(idx), endingSeq: undefined, createdAt: 1, closedAt: undefined,
});

for (const engine of await metaEngines()) describe(`kinesis shard routes on ${engine.name}`, () => {
  test('a reshard on one node re-routes records on the others', async (t) => {
    const db = await engine.open({ name: 'kinesis', migrations: KINESIS_MIGRATIONS });
    t.after(() => db.close());
    const { a, b } = await twoNodes(engine, db, t);
    const [repoA, repoB] = [new KinesisRepo(a.db), new KinesisRepo(b.db)];
    const [routesA, routesB] = [new OpenShardCache(repoA, a.changes), new OpenShardCache(repoB, b.changes)];
    const s = await repoA.insertStream(stream, [shard(0, '0', '99')]);
    assert.deepEqual((await routesB.get(s.id)).map((r) => r.idx), [0], 'node B caches the one shard');
    await repoA.reshard(s, { close: [{ idx: 0, endingSeq: '5' }], open: [shard(1, '0', '49'), shard(2, '50', '99')], closedAt: 2 });
    routesA.forget(s.id);
    assert.deepEqual((await routesA.get(s.id)).map((r) => r.idx), [1, 2]);
    await eventually('node B to drop its routes', async () => (await routesB.get(s.id)).map((r) => r.idx).join() === '1,2');
  });
});
