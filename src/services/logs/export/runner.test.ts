import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { KeyStore } from '../../../store/keys/key-store.ts';
import type { ExportTaskRepo } from '../../../store/meta/export-tasks.ts';
import { cancelExportTask, createExportTask, describeExportTasks, type ExportTaskDeps } from './handlers.ts';
import { ExportRunner, type ExportRunnerOptions } from './runner.ts';
import { FakeLogs, MemorySink, memoryTaskRepo } from './test-fakes.ts';

const A = '111111111111';
const R = 'us-east-1';
const T0 = Date.UTC(2024, 4, 1);
const clock = new ManualClock(T0 + 3_600_000);
const ctx: Ctx = { account: A, region: R, principalArn: 'p', accessKeyId: 'k', requestId: 'r', clock, log: silentLogger };

async function world(opts: { streams?: number; perStream?: number } = {}) {
  const logs = new FakeLogs();
  logs.addGroup(A, R, '/app');
  for (let s = 0; s < (opts.streams ?? 2); s++) {
    logs.put(A, R, '/app', `s${s}`, Array.from({ length: opts.perStream ?? 5 }, (_, i) => ({ ts: T0 + i, message: `s${s}-m${i}` })));
  }
  const sink = new MemorySink();
  const tasks = await memoryTaskRepo();
  const destinations = { sink: (b: string) => (b === 'exports' ? sink : undefined) };
  const runner = (over: Partial<ExportRunnerOptions> = {}) => new ExportRunner({
    tasks, meta: logs, events: logs, keys: KeyStore.fromMaster(Buffer.alloc(32)), destinations, clock, log: silentLogger,
    pollMs: 60_000, ...over,
  });
  const deps = (r?: ExportRunner): ExportTaskDeps => ({ meta: logs, tasks, destinations, runner: r });
  return { logs, sink, tasks, runner, deps };
}

const create = (deps: ExportTaskDeps) =>
  createExportTask(deps, ctx, { logGroupName: '/app', from: T0, to: T0 + 100, destination: 'exports' }).then((r) => r.taskId!);

/** The task as DescribeExportTasks shows it (which always sets status and executionInfo). */
const status = async (deps: ExportTaskDeps, taskId: string) => {
  const t = (await describeExportTasks(deps, ctx, { taskId })).exportTasks![0]!;
  return { ...t, status: t.status!, executionInfo: t.executionInfo! };
};

test('a new task goes PENDING → RUNNING → COMPLETED and its objects are written', async () => {
  const w = await world();
  const r = w.runner();
  await r.start();
  const hold = w.sink.hold((k) => k.endsWith('.gz'));
  const taskId = await create(w.deps(r));
  await hold.reached;
  assert.deepEqual((await status(w.deps(), taskId)).status, { code: 'RUNNING', message: 'Started Successfully' });
  hold.release();
  await r.idle();
  const t = await status(w.deps(), taskId);
  assert.deepEqual(t.status, { code: 'COMPLETED', message: 'Completed successfully' });
  assert.equal(t.executionInfo.completionTime, clock.now());
  assert.deepEqual([...w.sink.objects.keys()].sort(),
    ['aws-logs-write-test', `exportedlogs/${taskId}/s0/000000.gz`, `exportedlogs/${taskId}/s1/000000.gz`]);
  await r.close();
});

test('CancelExportTask on a RUNNING task: it ends CANCELLED and the runner stops writing', async () => {
  const w = await world({ streams: 3 });
  const r = w.runner();
  await r.start();
  const hold = w.sink.hold((k) => k.includes('/s0/'));
  const taskId = await create(w.deps(r));
  await hold.reached;
  await cancelExportTask(w.deps(r), ctx, { taskId });
  hold.release();
  await r.idle();
  assert.deepEqual((await status(w.deps(), taskId)).status, { code: 'CANCELLED', message: 'Cancelled by user' });
  assert.ok(!w.sink.puts.some((k) => k.includes('/s1/') || k.includes('/s2/')), `wrote after the cancel: ${w.sink.puts}`);
  await r.close();
});

test('a destination that fails mid-export makes the task FAILED with the reason', async () => {
  const w = await world();
  const r = w.runner();
  await r.start();
  const taskId = await create(w.deps()); // the write test succeeds …
  w.sink.failWith = new Error('SlowDown: please reduce your request rate'); // … the data does not
  r.wake();
  await r.idle();
  const t = await status(w.deps(), taskId);
  assert.equal(t.status.code, 'FAILED');
  assert.match(t.status.message!, /SlowDown/);
  await r.close();
});

test('a crashed runner\'s RUNNING task is restarted from scratch at start-up and completes with the same objects', async () => {
  const w = await world({ perStream: 20 });
  // The dying runner's writes of s1 never return (its process is gone); the restarted one's do.
  let reached!: () => void;
  const stuck = new Promise<void>((r) => (reached = r));
  let unblock!: () => void;
  const gate = new Promise<void>((r) => (unblock = r));
  const dyingSink = {
    put: async (k: string, b: Buffer, s?: AbortSignal) => {
      if (k.includes('/s1/')) {
        reached();
        await gate;
      }
      return w.sink.put(k, b, s);
    },
    close: async () => {},
  };
  const dying = w.runner({ pageSize: 4, destinations: { sink: () => dyingSink } });
  await dying.start();
  const taskId = await create(w.deps(dying));
  await stuck; // s0 written, s1 in flight: now the process "dies" (no close, no release)
  const written = new Map(w.sink.objects);

  const restarted = w.runner({ pageSize: 4 });
  await w.tasks.releaseAll(); // what the kernel's start does on SQLite (store/meta/dead-claims.ts)
  await restarted.start();
  await restarted.idle();
  const t = await status(w.deps(), taskId);
  assert.equal(t.status.code, 'COMPLETED');
  assert.deepEqual((await w.tasks.get(A, R, taskId))?.attempts, 2);
  for (const [k, v] of written) assert.deepEqual(w.sink.objects.get(k), v, `${k} rewritten identically`);
  assert.ok(w.sink.objects.has(`exportedlogs/${taskId}/s1/000000.gz`));

  const puts = w.sink.puts.length;
  unblock(); // the dead runner wakes up: its lease is gone, it must not touch the task again
  await dying.idle();
  assert.equal((await status(w.deps(), taskId)).status.code, 'COMPLETED');
  assert.equal(w.sink.puts.length, puts + 1, 'only the put already in flight lands');
  await dying.close();
  await restarted.close();
});

test('graceful shutdown hands the task back; the next runner finishes it', async () => {
  const w = await world();
  const first = w.runner();
  await first.start();
  const hold = w.sink.hold((k) => k.endsWith('.gz'));
  const taskId = await create(w.deps(first));
  await hold.reached;
  await first.close(); // aborts the held put
  assert.equal((await status(w.deps(), taskId)).status.code, 'RUNNING');
  hold.release();
  const second = w.runner(); // nothing released at start: the lease was released on close
  await second.start();
  await second.idle();
  assert.equal((await status(w.deps(), taskId)).status.code, 'COMPLETED');
  await second.close();
});

test('a task whose bucket is no longer configured, or that keeps killing its runner, fails', async () => {
  const w = await world();
  const taskId = await create(w.deps());
  const r = w.runner({ destinations: { sink: () => undefined } });
  await r.start();
  await r.idle();
  const t = await status(w.deps(), taskId);
  assert.equal(t.status.code, 'FAILED');
  assert.match(t.status.message!, /no longer configured/);
  await r.close();

  const w2 = await world();
  const id2 = await create(w2.deps());
  const repo: ExportTaskRepo = w2.tasks;
  for (let i = 0; i < 3; i++) {
    await repo.claim('crashing', clock.now(), 1000, 'x');
    await repo.releaseAll();
  }
  const r2 = w2.runner({ maxAttempts: 3 });
  await r2.start();
  await r2.idle();
  assert.match((await status(w2.deps(), id2)).status.message!, /interrupted 3 times/);
  await r2.close();
});
