import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from './test-support.ts';
import { ExportTaskStore, type NewExportTask } from './export-tasks.ts';
import type { MetaDb } from './sql/types.ts';

for (const engine of await metaEngines()) describe(`export tasks on ${engine.name}`, () => {
const opened: MetaDb[] = [];
after(async () => { for (const db of opened) await db.close(); });

async function repo(): Promise<ExportTaskStore> {
  const db = await engine.open();
  opened.push(db);
  return new ExportTaskStore(db);
}

let n = 0;
const task = (over: Partial<NewExportTask> = {}): NewExportTask => ({
  taskId: `t-${++n}`,
  account: '111111111111',
  region: 'us-east-1',
  taskName: null,
  logGroup: '/app',
  logStreamPrefix: null,
  from: 0,
  to: 10,
  destination: 'b',
  destinationPrefix: null,
  createdAt: 1000 + n,
  ...over,
});

test('only one PENDING or RUNNING task per account and region; finished ones do not count', async () => {
  const r = await repo();
  const a = task();
  assert.equal(await r.insert(a, 'Pending'), 'ok');
  assert.equal(await r.insert(task(), 'Pending'), 'limit');
  assert.equal(await r.insert(task({ region: 'eu-west-1' }), 'Pending'), 'ok');
  assert.equal(await r.insert(task({ account: '222222222222' }), 'Pending'), 'ok');
  assert.equal(await r.hasActive('111111111111', 'us-east-1'), true);

  const claimed = await r.claim('w', 0, 1000, 'Started Successfully');
  assert.equal(claimed?.taskId, a.taskId);
  assert.equal(await r.insert(task(), 'Pending'), 'limit', 'RUNNING still counts');
  assert.equal(await r.finish(a.taskId, 'w', 'COMPLETED', 'Completed successfully', 5), true);
  assert.equal(await r.hasActive('111111111111', 'us-east-1'), false);
  assert.equal(await r.insert(task(), 'Pending'), 'ok');
});

test('claim takes the oldest PENDING task, counts the attempt and sets the lease', async () => {
  const r = await repo();
  const first = task({ account: '1' });
  const second = task({ account: '2' });
  await r.insert(first, 'Pending');
  await r.insert(second, 'Pending');
  const c1 = await r.claim('w1', 100, 50, 'Started Successfully');
  assert.equal(c1?.taskId, first.taskId);
  assert.equal(c1?.status, 'RUNNING');
  assert.equal(c1?.statusMessage, 'Started Successfully');
  assert.equal(c1?.attempts, 1);
  assert.equal((await r.claim('w2', 100, 50, 'x'))?.taskId, second.taskId);
  assert.equal(await r.claim('w3', 100, 50, 'x'), undefined, 'both leases are live');
});

test('an expired lease lets another runner take the task over; the old owner can no longer touch it', async () => {
  const r = await repo();
  const t = task();
  await r.insert(t, 'Pending');
  await r.claim('old', 0, 100, 'x');
  assert.equal(await r.claim('new', 50, 100, 'x'), undefined);
  const taken = await r.claim('new', 101, 100, 'x');
  assert.equal(taken?.attempts, 2);
  assert.equal(await r.heartbeat(t.taskId, 'old', 102, 100), false);
  assert.equal(await r.finish(t.taskId, 'old', 'COMPLETED', 'done', 103), false);
  assert.equal(await r.heartbeat(t.taskId, 'new', 102, 100), true);
  assert.equal(await r.finish(t.taskId, 'new', 'COMPLETED', 'done', 103), true);
});

test('releaseAll (start-up) makes RUNNING tasks claimable at once, without waiting for the lease', async () => {
  const r = await repo();
  const t = task();
  await r.insert(t, 'Pending');
  await r.claim('dead', 0, 1_000_000, 'x');
  assert.equal(await r.claim('next', 1, 1000, 'x'), undefined);
  assert.equal(await r.releaseAll(), 1);
  const again = await r.claim('next', 1, 1000, 'x');
  assert.equal(again?.taskId, t.taskId);
  assert.equal(again?.attempts, 2);
});

test('releaseOwnedBy frees the tasks of dead runners only (a restarted node\'s predecessor), by owner prefix', async () => {
  const r = await repo();
  const [mine, live] = [task(), task()];
  await r.insert(mine, 'Pending');
  await r.insert(live, 'Pending');
  await r.claim('host:1:aa/export-1', 0, 1_000_000, 'x');
  await r.claim('host:2:bb/export-2', 0, 1_000_000, 'x');
  assert.equal(await r.releaseOwnedBy(['host:1:aa/']), 1);
  const again = await r.claim('host:3:cc/export-3', 1, 1000, 'x');
  assert.equal(again?.taskId, mine.taskId, 'the dead runner\'s task, not the live one\'s');
  assert.equal(await r.claim('host:3:cc/export-3', 1, 1000, 'x'), undefined);
});

test('cancel moves PENDING and RUNNING tasks to CANCELLED, reports finished and missing ones', async () => {
  const r = await repo();
  const pending = task({ account: '1' });
  const running = task({ account: '2' });
  await r.insert(pending, 'Pending');
  await r.insert(running, 'Pending');
  await r.claim('w', 0, 1000, 'x'); // the older one: pending
  assert.equal(await r.cancel('1', 'us-east-1', pending.taskId, 7, 'Cancelled by user'), 'cancelled');
  const got = await r.get('1', 'us-east-1', pending.taskId);
  assert.equal(got?.status, 'CANCELLED');
  assert.equal(got?.completedAt, 7);
  assert.equal(await r.heartbeat(pending.taskId, 'w', 8, 1000), false, 'the runner sees the cancel');
  assert.equal(await r.cancel('2', 'us-east-1', running.taskId, 7, 'Cancelled by user'), 'cancelled');
  assert.equal(await r.cancel('1', 'us-east-1', pending.taskId, 9, 'Cancelled by user'), 'finished');
  assert.equal(await r.cancel('1', 'us-east-1', 'nope', 9, 'Cancelled by user'), 'missing');
  assert.equal(await r.cancel('2', 'us-east-1', pending.taskId, 9, 'Cancelled by user'), 'missing', 'other accounts do not see it');
});

test('list is newest first, filtered by task id or status, and pages by position', async () => {
  const r = await repo();
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const t = task({ account: '9' });
    ids.push(t.taskId);
    assert.equal(await r.insert(t, 'Pending'), 'ok');
    // Only one can be active: finish each before the next.
    await r.cancel('9', 'us-east-1', t.taskId, 1, 'Cancelled by user');
  }
  const p1 = await r.list({ account: '9', region: 'us-east-1', limit: 2 });
  assert.deepEqual(p1.tasks.map((t) => t.taskId), [ids[4], ids[3]]);
  const p2 = await r.list({ account: '9', region: 'us-east-1', limit: 2, before: p1.positions[1] });
  assert.deepEqual(p2.tasks.map((t) => t.taskId), [ids[2], ids[1]]);
  assert.deepEqual((await r.list({ account: '9', region: 'us-east-1', limit: 50, taskId: ids[0] })).tasks.map((t) => t.taskId), [ids[0]]);
  assert.equal((await r.list({ account: '9', region: 'us-east-1', limit: 50, status: 'COMPLETED' })).tasks.length, 0);
  assert.equal((await r.list({ account: '9', region: 'us-east-1', limit: 50, status: 'CANCELLED' })).tasks.length, 5);
  assert.equal((await r.list({ account: '8', region: 'us-east-1', limit: 50 })).tasks.length, 0);
});

test('runners claiming at the same time on separate connections never get the same task', async () => {
  const r = await repo();
  for (let i = 0; i < 6; i++) await r.insert(task({ account: `c${i}` }), 'Pending');
  const db = opened.at(-1)!;
  const others = await Promise.all([1, 2].map(() => engine.reopen(db)));
  opened.push(...others);
  const stores = [r, ...others.map((o) => new ExportTaskStore(o))];
  const claimed = (await Promise.all(stores.flatMap((s, w) => [0, 1, 2].map(() => s.claim(`w${w}`, 0, 1000, 'x')))))
    .filter((t) => t !== undefined).map((t) => t.taskId);
  assert.equal(new Set(claimed).size, claimed.length, 'a task was claimed twice');
  assert.equal(claimed.length, 6);
});
});
