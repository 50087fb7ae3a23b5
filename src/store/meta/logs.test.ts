import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LogsMetaStore } from './logs.ts';
import { InsightsQueryStore } from './insights-queries.ts';
import { QueryDefinitionStore } from './query-definitions.ts';
import { metaEngines } from './test-support.ts';

const K = { account: '1', region: 'r' };
const group = (name: string) => ({ ...K, name, createdAt: 1, retentionDays: null, kmsKeyId: null, logGroupClass: 'STANDARD', deletionProtection: false, tags: {} });

for (const engine of await metaEngines()) describe(`logs metadata on ${engine.name}`, () => {
  test('groups: duplicate create, case-sensitive pattern, names list, pagination; ingest keeps min/max and counts', async () => {
    const db = await engine.open();
    after(() => db.close());
    const meta = new LogsMetaStore(db);
    for (const n of ['/a/Err', '/a/err', '/b']) assert.equal(await meta.createGroup(group(n)), true);
    assert.equal(await meta.createGroup(group('/b')), false);
    const names = async (q: object) => (await meta.listGroups({ ...K, limit: 10, ...q })).map((g) => g.name);
    assert.deepEqual(await names({ pattern: 'Err' }), ['/a/Err']);
    assert.deepEqual(await names({ names: ['/b', '/a/err', '/nope'] }), ['/a/err', '/b']);
    assert.deepEqual(await names({ names: [] }), []);
    assert.deepEqual(await names({ after: '/a/err' }), ['/b']);
    const k = { ...K, name: '/b' };
    assert.equal(await meta.createStream(k, 's', 2), true);
    assert.equal(await meta.createStream(k, 's', 3), false);
    assert.equal(await meta.recordIngest(k, 's', { firstTs: 50, lastTs: 60, ingestionTime: 70, bytes: 10 }), 1);
    assert.equal(await meta.recordIngest(k, 's', { firstTs: 40, lastTs: 55, ingestionTime: 80, bytes: 5 }), 2);
    assert.equal(await meta.recordIngest(k, 'missing', { firstTs: 1, lastTs: 1, ingestionTime: 1, bytes: 1 }), 0);
    const s = await meta.getStream(k, 's');
    assert.deepEqual([s?.firstEventTs, s?.lastEventTs, s?.lastIngestionTime, s?.storedBytes], [40, 60, 80, 15]);
    assert.deepEqual(await meta.groupTimeRange(k), { first: 40, last: 60 });
    assert.equal(await meta.groupTimeRange({ ...K, name: '/a/err' }), undefined);
    await meta.setStoredBytes(k, new Map([['s', 3]]));
    assert.equal((await meta.getGroup(k))?.storedBytes, 3);
    assert.equal(await meta.updateGroup(k, { retentionDays: 7, tags: { a: 'b' } }), true);
    assert.deepEqual((await meta.groupsWithRetention()).map((g) => [g.name, g.retentionDays, g.tags]), [['/b', 7, { a: 'b' }]]);
    await meta.createStream(k, 't', 2);
    const streams = await meta.listStreams({ ...K, logGroup: '/b', orderBy: 'LastEventTime', descending: true, offset: 0, limit: 10 });
    assert.deepEqual(streams.map((x) => x.name), ['s', 't']);
    assert.equal(await meta.deleteGroup(k), true);
    assert.equal(await meta.getStream(k, 's'), undefined);
  });

  test('insights queries move only from the given statuses; definitions page by (name, id)', async () => {
    const db = await engine.open();
    after(() => db.close());
    const q = new InsightsQueryStore(db);
    await q.insert({ queryId: 'q1', ...K, queryString: 'fields @message', logGroups: ['/a'], createdAt: 10 });
    await q.insert({ queryId: 'q2', ...K, queryString: 'fields @message', logGroups: ['/a'], createdAt: 20 });
    assert.equal(await q.transition('q1', ['Scheduled'], 'Running'), true);
    assert.equal(await q.transition('q1', ['Scheduled'], 'Running'), false);
    assert.equal(await q.transition('q1', ['Running'], 'Complete', { durationMs: 5, results: [[{ field: 'a', value: 'b' }]], statistics: { recordsMatched: 1, recordsScanned: 2, bytesScanned: 3 } }), true);
    const got = await q.get('1', 'r', 'q1');
    assert.deepEqual([got?.status, got?.durationMs, got?.results, got?.error], ['Complete', 5, [[{ field: 'a', value: 'b' }]], null]);
    assert.deepEqual((await q.list('1', 'r', undefined, 10, 0)).map((x) => x.queryId), ['q2', 'q1']);
    assert.deepEqual((await q.list('1', 'r', 'Complete', 10, 0)).map((x) => x.queryId), ['q1']);
    assert.equal(await q.failInterrupted(), 1);
    assert.equal(await q.purgeOlderThan(15), 1);
    const d = new QueryDefinitionStore(db);
    for (const [id, name] of [['2', 'b'], ['1', 'b'], ['3', 'a']]) {
      await d.upsert({ ...K, id: id!, name: name!, queryString: 'x', logGroupNames: [], queryLanguage: 'CWLI', lastModified: 1 });
    }
    await d.upsert({ ...K, id: '3', name: 'a', queryString: 'y', logGroupNames: ['/g'], queryLanguage: 'CWLI', lastModified: 2 });
    assert.equal(await d.count('1', 'r'), 3);
    assert.deepEqual((await d.list('1', 'r', undefined, ['b', '1'], 10)).map((x) => x.id), ['2']);
    assert.deepEqual((await d.list('1', 'r', 'a', undefined, 10)).map((x) => [x.id, x.queryString, x.logGroupNames]), [['3', 'y', ['/g']]]);
    assert.equal(await d.delete('1', 'r', '3'), true);
    assert.equal(await d.get('1', 'r', '3'), undefined);
  });
});
