/**
 * The archive against chDB: a store keeping more than 90 days copies its records into lake_events,
 * keeps seeing them once trail_events dropped them, never counts a record twice while the tail is
 * not yet copied, and drops archived rows past its retention.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { silentLogger } from '../../../lib/logger.ts';
import { openTestMetaDb } from '../../../store/meta/test-support.ts';
import { openTelemetry, type Telemetry } from '../../../store/telemetry/index.ts';
import { LAKE_EVENTS_MIGRATION, LakeArchive } from './archive.ts';
import { LakeRepo, type EventDataStore } from './repo.ts';
import { LAKE_MIGRATIONS } from './schema.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-05T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'osprey-lake-archive-'));
let t: Telemetry;

before(async () => {
  t = await openTelemetry({ kind: 'chdb', path: dir });
  for (const s of LAKE_EVENTS_MIGRATION.statements) await t.trailEvents.engine.exec(s);
});
after(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const row = (seq: number, eventTime: number, name: string) => ({
  account: '000000000000', region: 'us-east-1', eventTime, seq, eventId: `a${seq}`, eventCategory: 'Management', eventSource: 'logs.amazonaws.com',
  eventName: name, readOnly: false, username: 'alice', accessKeyId: 'AKIA1', errorCode: '', resourceTypes: [], resourceNames: [],
  record: JSON.stringify({ eventName: name }),
});

test('a long-retention store keeps its records after trail_events lost them, each seen once', async () => {
  const db = await openTestMetaDb({ name: 'cloudtrail', migrations: LAKE_MIGRATIONS });
  const repo = await LakeRepo.open(db);
  const store: EventDataStore = {
    arn: 'arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore/11111111-1111-4111-8111-111111111111', id: '11111111-1111-4111-8111-111111111111',
    account: '000000000000', region: 'us-east-1', name: 'long', status: 'ENABLED',
    advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }], multiRegionEnabled: false,
    retentionPeriod: 365, terminationProtectionEnabled: false, billingMode: 'EXTENDABLE_RETENTION_PRICING', created: NOW - 400 * DAY, updated: NOW, startSeq: 0,
  };
  await repo.put(store);
  const archive = new LakeArchive(t.trailEvents.engine, repo, silentLogger);
  await archive.start();
  const count = async () => {
    const [r] = await t.trailEvents.engine.query<{ n: string }>(`SELECT count() AS n FROM ${await archive.source(store, NOW)} AS s`);
    return Number(r!.n);
  };
  await t.trailEvents.append([row(1, NOW - 80 * DAY, 'Oldest'), row(2, NOW - 30 * DAY, 'Old'), row(3, NOW - DAY, 'Recent')]);
  assert.equal(await count(), 3, 'before any copy, the tail comes from trail_events');
  await archive.copyAll(NOW);
  assert.equal(await repo.cursor(store), 3);
  await t.trailEvents.append([row(4, NOW - 1000, 'Newest')]);
  assert.equal(await count(), 4, 'archive up to the cursor plus the uncopied tail, nothing twice');
  await t.trailEvents.engine.exec('TRUNCATE TABLE trail_events');
  assert.equal(await count(), 3, 'archived records outlive trail_events');
  // 300 days later, with 365 days of retention, the record from 80 days before NOW has expired.
  await archive.expire(NOW + 300 * DAY);
  const [left] = await t.trailEvents.engine.query<{ n: string }>(`SELECT count() AS n FROM lake_events WHERE store_id = '${store.id}'`);
  assert.equal(Number(left!.n), 2, 'the record past the retention is dropped from the archive');
});

test('nodes with their own telemetry: a store starts by seq where it was created and by time elsewhere; cursors and removals per node', async () => {
  const db = await openTestMetaDb({ name: 'cloudtrail', migrations: LAKE_MIGRATIONS });
  const [a, b] = [await LakeRepo.open(db, 'aaaaaaaaaaaaaaaa'), await LakeRepo.open(db, 'bbbbbbbbbbbbbbbb')];
  const id = '22222222-2222-4222-8222-222222222222';
  const created = NOW - 10 * 60_000;
  const store: EventDataStore = {
    arn: `arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore/${id}`, id, account: '000000000000', region: 'us-east-1', name: 'scoped',
    status: 'ENABLED', advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }], multiRegionEnabled: false,
    retentionPeriod: 365, terminationProtectionEnabled: false, billingMode: 'EXTENDABLE_RETENTION_PRICING', created, updated: created,
    startSeq: 5, startScope: 'aaaaaaaaaaaaaaaa',
  };
  await a.put(store);
  await b.reload();
  const [onA, onB] = [new LakeArchive(t.trailEvents.engine, a, silentLogger), new LakeArchive(t.trailEvents.engine, b, silentLogger)];
  await onA.start();
  await onB.start();
  await t.trailEvents.engine.exec('TRUNCATE TABLE trail_events');
  await t.trailEvents.append([
    row(4, NOW - 5 * 60_000, 'StoredBeforeCreationOnA'), row(6, created - 20 * 60_000, 'LongBefore'),
    row(7, created - 30_000, 'BeganJustBefore'), row(8, NOW - 60_000, 'After'),
  ]);
  const names = async (archive: LakeArchive) => (await t.trailEvents.engine.query<{ n: string }>(
    `SELECT event_name AS n FROM ${await archive.source(store, NOW)} AS s ORDER BY seq`)).map((r) => r.n);
  assert.deepEqual(await names(onA), ['BeganJustBefore', 'After'], 'the creating node: records stored after its start seq');
  assert.deepEqual(await names(onB), ['StoredBeforeCreationOnA', 'After'], 'another node: calls made since the creation');
  await onA.copyAll(NOW);
  assert.equal(await a.cursor(store), 8);
  assert.equal(await b.cursor(store), undefined, 'the other node has archived nothing of its own yet');
  assert.deepEqual(await names(onB), ['StoredBeforeCreationOnA', 'After']);
  // A removes the store; B (whose telemetry here is the same table) drops its archived rows.
  await a.remove(store.arn);
  await b.reload();
  await onB.expire(NOW);
  const [left] = await t.trailEvents.engine.query<{ n: string }>(`SELECT count() AS n FROM lake_events WHERE store_id = '${id}'`);
  assert.equal(Number(left!.n), 0);
  a.close();
  b.close();
});
