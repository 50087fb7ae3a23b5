import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { openTestMetaDb } from '../../../store/meta/test-support.ts';
import { DISK_NEARLY_FULL, STORE_UNAVAILABLE } from '../event-types.ts';
import { HealthRepo, type Incident } from '../repo.ts';
import { HEALTH_MIGRATIONS } from '../schema.ts';
import type { Check, Condition } from './check.ts';
import { IncidentMonitor } from './monitor.ts';

const T0 = Date.UTC(2026, 0, 1);

async function setup(found: () => Condition[] | Promise<Condition[]>) {
  const db = await openTestMetaDb({ name: 'health', migrations: HEALTH_MIGRATIONS });
  const repo = new HealthRepo(db);
  const clock = new ManualClock(T0);
  const sent: Incident[] = [];
  const check: Check = { name: 'fake', types: [DISK_NEARLY_FULL], run: async () => found() };
  const make = async () => {
    const m = new IncidentMonitor([check], repo, clock, (i) => sent.push(i), silentLogger);
    await m.load();
    return m;
  };
  return { db, repo, clock, sent, make };
}

const disk: Condition = { typeCode: DISK_NEARLY_FULL, entity: '/data', description: 'Disk nearly full.' };

test('a condition opens one incident, kept while it lasts, and closes with an end time when it clears', async () => {
  let now: Condition[] = [disk];
  const { repo, clock, sent, make } = await setup(() => now);
  const m = await make();
  await m.runOnce();
  clock.advance(10_000);
  await m.runOnce();
  assert.equal((await repo.all()).length, 1, 'the same condition is one incident');
  const [opened] = (await repo.open());
  assert.equal(opened!.startTime, T0);
  assert.match(opened!.arn, /^arn:aws:health:global::event\/OSPREY\/OSPREY_DISK_NEARLY_FULL\/OSPREY_DISK_NEARLY_FULL_[0-9A-F]+$/);
  now = [];
  clock.advance(10_000);
  await m.runOnce();
  assert.equal((await repo.open()).length, 0);
  const closed = (await repo.get(opened!.arn))!;
  assert.equal(closed.endTime, T0 + 20_000);
  assert.deepEqual(sent.map((i) => i.endTime === undefined ? 'open' : 'closed'), ['open', 'closed']);
});

test('open incidents survive a restart and close on the new process\'s first pass', async () => {
  let now: Condition[] = [disk];
  const { repo, sent, make } = await setup(() => now);
  await (await make()).runOnce();
  now = [];
  await (await make()).runOnce();
  assert.equal((await repo.all()).length, 1);
  assert.ok((await repo.all())[0]!.endTime !== undefined);
  assert.equal(sent.length, 2);
});

test('a check that cannot run leaves its incidents as they are', async () => {
  let fail = false;
  const { repo, make } = await setup(() => {
    if (fail) throw new Error('statfs failed');
    return [disk];
  });
  const m = await make();
  await m.runOnce();
  fail = true;
  await m.runOnce();
  assert.equal((await repo.open()).length, 1);
});

test('while the metadata store cannot write, state changes wait and are stored (and announced) once it can', async () => {
  let now: Condition[] = [{ typeCode: STORE_UNAVAILABLE, entity: 'metadata-store', description: 'SQLite failed.' }];
  const { db, repo, clock, sent } = await setup(() => now);
  let broken = true;
  const store = { open: () => repo.open(), save: async (i: Incident) => {
    if (broken) throw new Error('SQLITE_READONLY');
    await repo.save(i);
  } };
  const check: Check = { name: 'stores', types: [STORE_UNAVAILABLE], run: async () => now };
  const m = new IncidentMonitor([check], store, clock, (i) => sent.push(i), silentLogger);
  await m.runOnce();
  assert.equal(sent.length, 0, 'nothing announced before it is stored');
  now = [];
  clock.advance(30_000);
  broken = false;
  await m.runOnce();
  const [i] = (await repo.all());
  assert.equal(i!.startTime, T0);
  assert.equal(i!.endTime, T0 + 30_000);
  assert.equal(sent.length, 2);
  await db.close();
});

test('a node\'s monitor leaves another node\'s open incidents alone (one metadata store, entities name the node)', async () => {
  const { db, repo, clock, sent } = await setup(() => []);
  const checkOf = (found: Condition[]): Check => ({ name: 'disk', types: [DISK_NEARLY_FULL], run: async () => found });
  const onB: Condition = { typeCode: DISK_NEARLY_FULL, entity: 'host-b:/srv/osprey', description: 'Disk nearly full on B.' };
  const b = new IncidentMonitor([checkOf([onB])], repo, clock, (i) => sent.push(i), silentLogger, { entities: new Set([onB.entity]) });
  await b.load();
  await b.runOnce();
  // Node A starts (or restarts) with a healthy disk: B's incident is not A's to close.
  const a = new IncidentMonitor([checkOf([])], new HealthRepo(db), clock, (i) => sent.push(i), silentLogger, { entities: new Set(['host-a:/srv/osprey']) });
  await a.load();
  clock.advance(10_000);
  await a.runOnce();
  assert.deepEqual((await repo.open()).map((i) => i.entity), ['host-b:/srv/osprey']);
  assert.equal(sent.length, 1);
});
