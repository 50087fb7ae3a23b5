/**
 * The alarm history copy job against a real SQLite store and a real chDB engine: backfill in
 * batches, new rows on later passes, exactly once across a crash between insert and cursor update,
 * a clean stop in the middle of a backfill, and the 30-day retention of the SQLite items. Every
 * test owns its metadata store (its own `source`) and its accounts, so the shared table's rows are
 * told apart by account.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { AlarmStore, type HistoryItem } from '../../../store/meta/alarms.ts';
import { OutboxStore } from '../../../store/meta/outbox.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';
import { ChdbEngine, migrate, type SqlEngine } from '../../../store/telemetry/index.ts';
import { stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import { alarmHistoryCopyMigrations, AlarmHistoryCopy, AlarmHistoryCopyCursor, HISTORY_RETENTION_MS, type AlarmHistoryCopyDeps } from './history-copy.ts';

const REGION = 'us-east-1';
// Real time: the table drops items older than 30 days by TTL.
const NOW = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'osprey-alarm-history-copy-'));
let engine: ChdbEngine;

before(async () => {
  engine = await ChdbEngine.open({ path: dir });
  await migrate(engine);
});
after(async () => {
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const meta of await metaEngines()) describe(`alarm history copy from ${meta.name}`, () => {
// Every engine's tests own their accounts in the shared telemetry table.
const account = (n: number) => `${meta.name === 'sqlite' ? 1 : 2}${String(n).padStart(11, '0')}`;
const opened: { close(): Promise<void> }[] = [];
after(async () => { for (const db of opened) await db.close(); });

async function fresh(o: Partial<AlarmHistoryCopyDeps> = {}) {
  const db = await meta.open({ name: 'cloudwatch-alarm-history', migrations: alarmHistoryCopyMigrations(meta.name) });
  opened.push(db);
  const repo = new AlarmStore(db, new OutboxStore(db));
  const cursor = new AlarmHistoryCopyCursor(db);
  await cursor.init();
  const clock = new ManualClock(NOW);
  const deps: AlarmHistoryCopyDeps = { history: repo, cursor, engine, clock, log: silentLogger, batch: 3, ...o };
  return { db, repo, cursor, clock, deps, job: new AlarmHistoryCopy(deps) };
}

const item = (account: string, n: number, timestamp = NOW - 60_000 + n): HistoryItem => ({
  account, region: REGION, alarmName: `alarm-${n}`, alarmType: n % 2 ? 'MetricAlarm' : 'CompositeAlarm', timestamp,
  itemType: 'StateUpdate', summary: `Alarm updated from OK to ALARM (${n})`, data: JSON.stringify({ version: '1.0', n, quote: "it's \"x\"" }),
});

/** Writes history the way the alarm store does (here through DeleteAlarms of no alarm, which only records history). */
const write = (repo: AlarmStore, items: HistoryItem[]) => repo.delete(items[0]!.account, REGION, [], items);

async function stored(account: string): Promise<Record<string, string>[]> {
  return engine.query<Record<string, string>>(
    'SELECT toString(id) AS id, region, alarm_name, toString(alarm_type) AS alarm_type, toString(toUnixTimestamp64Milli(ts)) AS ms, ' +
    `toString(item_type) AS item_type, summary, data FROM alarm_history WHERE account = ${stringLiteral(account)} ORDER BY id`,
  );
}

test('a first pass backfills every existing item in batches, with its id, time and fields; later passes copy only new ones', async () => {
  const { repo, cursor, job } = await fresh();
  const items = Array.from({ length: 7 }, (_, i) => item(account(1), i));
  await write(repo, items);
  assert.equal(await job.copyAll(), 7);
  const rows = await stored(account(1));
  const ids = (await repo.historyAfter(0, 100)).map((h) => String(h.id));
  assert.deepEqual(rows.map((r) => r.id), ids);
  assert.deepEqual(rows.map((r) => [r.region, r.alarm_name, r.alarm_type, Number(r.ms), r.item_type, r.summary, r.data]),
    items.map((h) => [h.region, h.alarmName, h.alarmType, h.timestamp, h.itemType, h.summary, h.data]));
  assert.equal((await cursor.read()).copiedId, Number(ids.at(-1)));
  assert.equal((await cursor.read()).pending, undefined);

  assert.equal(await job.copyAll(), 0);
  await write(repo, [item(account(1), 7)]);
  assert.equal(await job.copyAll(), 1);
  assert.equal((await stored(account(1))).length, 8);
});

test('a crash between the insert and the cursor update stores the batch once, even with items written meanwhile', async () => {
  let crash = true;
  const crashing: Pick<SqlEngine, 'insert'> = {
    insert: async (...args) => {
      await engine.insert(...args);
      if (crash) throw new Error('killed after the insert');
    },
  };
  const first = await fresh({ engine: crashing });
  await write(first.repo, [1, 2].map((n) => item(account(2), n)));
  await assert.rejects(first.job.copyAll(), /killed after the insert/);
  assert.ok((await first.cursor.read()).pending, 'the batch is still pending');
  // Written before the restart: a naive re-read would make a different (larger) batch, with another token.
  await write(first.repo, [3, 4].map((n) => item(account(2), n)));

  crash = false;
  const restarted = new AlarmHistoryCopy({ ...first.deps, engine });
  await restarted.copyAll();
  const rows = await stored(account(2));
  assert.deepEqual(rows.map((r) => r.alarm_name), ['alarm-1', 'alarm-2', 'alarm-3', 'alarm-4']);
  assert.equal((await first.cursor.read()).pending, undefined);
});

test('another metadata store with the same ids is not mistaken for a copy', async () => {
  const a = await fresh();
  const b = await fresh();
  assert.notEqual((await a.cursor.read()).source, (await b.cursor.read()).source);
  await write(a.repo, [item(account(3), 1)]);
  await write(b.repo, [item(account(4), 1)]);
  await a.job.copyAll();
  await b.job.copyAll();
  assert.equal((await stored(account(3))).length, 1);
  assert.equal((await stored(account(4))).length, 1);
});

test('nodes with their own telemetry stores each copy every item; one node\'s progress does not move another\'s', async () => {
  const { db, repo } = await fresh();
  // Two more nodes on this metadata store, each inserting into its own (recording) store.
  const nodes = await Promise.all(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'].map(async (id) => {
    const copied: string[] = [];
    const cursor = new AlarmHistoryCopyCursor(db, { id, shared: false });
    await cursor.init();
    const recording: Pick<SqlEngine, 'insert'> = {
      insert: async (_table, _columns, payload) => { copied.push(...payload.toString().trim().split('\n')); },
    };
    return { copied, job: new AlarmHistoryCopy({ history: repo, cursor, engine: recording, clock: new ManualClock(NOW), log: silentLogger, batch: 2 }) };
  }));
  await write(repo, [1, 2, 3].map((n) => item(account(9), n)));
  await nodes[0]!.job.copyAll();
  await write(repo, [item(account(9), 4)]);
  await nodes[1]!.job.copyAll();
  await nodes[0]!.job.copyAll();
  for (const n of nodes) assert.equal(n.copied.filter((l) => l.includes(account(9))).length, 4);
});

test('stop() ends a backfill between batches and resolves once nothing is in flight', async () => {
  let inFlight = 0;
  let inserts = 0;
  const counting: Pick<SqlEngine, 'insert'> = {
    insert: async (...args) => {
      inFlight++;
      try {
        await engine.insert(...args);
        inserts++;
      } finally {
        inFlight--;
      }
    },
  };
  const { repo, cursor, job } = await fresh({ engine: counting, batch: 1, intervalMs: 60_000, retentionIntervalMs: 60_000 });
  await write(repo, Array.from({ length: 200 }, (_, i) => item(account(5), i)));
  job.start();
  while (inserts === 0) await new Promise((r) => setImmediate(r));
  await job.stop();
  assert.equal(inFlight, 0);
  const copied = (await stored(account(5))).length;
  assert.ok(copied < 200, `stopped before the end of the backfill (${copied} copied)`);
  assert.equal(copied, inserts);
  assert.equal((await cursor.read()).pending, undefined, 'the last batch committed');
});

test('retention deletes exactly the items older than 30 days, in every account', async () => {
  const { repo, clock, job } = await fresh({ batch: 2 });
  const cutoff = NOW - HISTORY_RETENTION_MS;
  await write(repo, [item(account(6), 1, cutoff - 86_400_000), item(account(6), 2, cutoff - 1), item(account(6), 3, cutoff)]);
  await write(repo, [item(account(7), 4, cutoff - 1), item(account(7), 5, NOW)]);
  assert.equal(await job.prune(), 3);
  assert.deepEqual((await repo.historyAfter(0, 10)).map((h) => h.alarmName), ['alarm-3', 'alarm-5']);
  clock.advance(1);
  assert.equal(await job.prune(), 1);
  assert.deepEqual((await repo.historyAfter(0, 10)).map((h) => h.alarmName), ['alarm-5']);
});
});
