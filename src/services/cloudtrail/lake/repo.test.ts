/**
 * Lake's metadata on both engines: archive cursors per telemetry scope (a store from before
 * scopes keeps its one cursor), and queries left unfinished by nodes that are gone.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { metaEngines } from '../../../store/meta/test-support.ts';
import { LakeRepo, type EventDataStore, type LakeQuery } from './repo.ts';
import { LAKE_MIGRATIONS } from './schema.ts';

const store = (id: string, over: Partial<EventDataStore> = {}): EventDataStore => ({
  arn: `arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore/${id}`, id, account: '000000000000', region: 'us-east-1', name: `s-${id}`,
  status: 'ENABLED', advancedEventSelectors: [], multiRegionEnabled: true, retentionPeriod: 7, terminationProtectionEnabled: false,
  billingMode: 'EXTENDABLE_RETENTION_PRICING', created: 1, updated: 1, startSeq: 0, ...over,
});

const query = (id: string, status: LakeQuery['status'], node?: string): LakeQuery => ({
  id, account: '000000000000', region: 'us-east-1', storeArn: store('x').arn, statement: 'SELECT 1', status, created: 1, stats: {}, ...(node ? { node } : {}),
});

for (const engine of await metaEngines()) describe(`cloudtrail lake on ${engine.name}`, () => {
  async function open(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'cloudtrail', migrations: LAKE_MIGRATIONS });
    const a = await LakeRepo.open(db, 'aaaaaaaaaaaaaaaa');
    const b = await LakeRepo.open(db, 'bbbbbbbbbbbbbbbb');
    t.after(async () => { a.close(); b.close(); await db.close(); });
    return { db, a, b };
  }

  test('each telemetry store keeps its own archive cursor; a store from before scopes starts from its one cursor', async (t) => {
    const { db, a, b } = await open(t);
    const legacy = store('legacy');
    const scoped = store('scoped', { startScope: 'aaaaaaaaaaaaaaaa' });
    await a.put(legacy);
    await a.put(scoped);
    await db.run('INSERT INTO cloudtrail_lake_cursors (arn, seq) VALUES (?, 41)', [legacy.arn]);
    await db.run('INSERT INTO cloudtrail_lake_cursors (arn, seq) VALUES (?, 99)', [scoped.arn]);
    assert.equal(await a.cursor(legacy), 41);
    assert.equal(await a.cursor(scoped), undefined, 'a store created with scopes never reads the old table');
    await a.setCursor(legacy.arn, 50);
    await b.setCursor(scoped.arn, 7);
    assert.deepEqual([await a.cursor(legacy), await b.cursor(legacy), await a.cursor(scoped), await b.cursor(scoped)], [50, 41, undefined, 7]);
    await a.remove(scoped.arn);
    assert.equal(await b.cursor(scoped), undefined, 'removed with the store, in every scope');
  });

  test('the unfinished queries of nodes that are gone fail; live nodes\' and finished ones stay', async (t) => {
    const { a } = await open(t);
    await a.insertQuery(query('mine', 'RUNNING', 'node-a'));
    await a.insertQuery(query('other-live', 'QUEUED', 'node-b'));
    await a.insertQuery(query('dead', 'RUNNING', 'node-c'));
    await a.insertQuery(query('before-nodes', 'RUNNING'));
    await a.insertQuery(query('done', 'FINISHED', 'node-c'));
    assert.equal(await a.failAbandoned(['node-a', 'node-b']), 2);
    const status = async (id: string) => (await a.query(id))!.status;
    assert.deepEqual(
      [await status('mine'), await status('other-live'), await status('dead'), await status('before-nodes'), await status('done')],
      ['RUNNING', 'QUEUED', 'FAILED', 'FAILED', 'FINISHED'],
    );
    assert.match((await a.query('dead'))!.error!, /interrupted/);
    assert.equal((await a.query('mine'))!.node, 'node-a');
  });
});
