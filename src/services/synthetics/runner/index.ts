/**
 * The canary runner: the kernel's ScheduleRunner fires each RUNNING canary's timer (module
 * `synthetics`), a fire puts a run in the RunQueue (bounded concurrency, never two runs of one
 * canary), and the sync half moves canaries through their states and applies run retention.
 * After a restart, runs that were under way are recorded FAILED (the process running them died).
 *
 * On a cluster the whole runner runs on the holder of the `synthetics.canaries` lease (module.ts):
 * the queue's "never two runs of one canary", STOPPING → STOPPED once no run is busy, and the
 * recovery above all judge from this process's own queue, which is only right on the one node that
 * runs canaries. Each occurrence is also claimed through its timer, so even during a handover (old
 * holder not yet stopped, new one started) an occurrence runs once.
 */
import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Scope } from '../../../lib/arn.ts';
import { ScheduleRunner } from '../../../jobs/schedule-runner.ts';
import type { Job } from '../../../server/module.ts';
import { TimerStore, type Timer } from '../../../store/meta/timers.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { Clock } from '../../../lib/clock.ts';
import { nextRunAt, parseCanarySchedule } from '../schedule.ts';
import type { StoredCanary } from '../types.ts';
import { executeRun, type ExecuteDeps } from './execute.ts';
import { move, MODULE, parseKey, syncLifecycle, type SyncDeps } from './lifecycle-sync.ts';
import { publishRun, type PublishEnv } from './publish.ts';
import { RunQueue } from './run-queue.ts';
import { applyRetention } from './retention.ts';

export interface RunnerDeps extends Omit<ExecuteDeps, 'now'> {
  db: Sql;
  clock: Clock;
  env: PublishEnv;
  concurrency: number;
  /** How long a claimed occurrence stays this node's before another may fire it (config leaseMs). */
  leaseMs: number;
}

const RETENTION_EVERY_MS = 60_000;

export interface CanaryRunner extends Job {
  wake(): void;
  queue: RunQueue;
}

export function createCanaryRunner(deps: RunnerDeps): CanaryRunner {
  const now = () => deps.clock.now();
  const timers = new TimerStore(deps.db);
  const queue = new RunQueue(deps.concurrency, (err, key) => deps.env.log.error({ err, canary: parseKey(key)[2] }, 'synthetics: canary run failed unexpectedly'));
  const exec: ExecuteDeps = { ...deps, now };
  const sync: SyncDeps = { repo: deps.repo, timers, bus: deps.env.bus, log: deps.env.log, now, root: deps.root, busy: (k) => queue.has(k) };
  let retentionAt = 0;
  let schedules: ScheduleRunner | undefined;

  /** One scheduled occurrence: the run and its retries, then what the run changes on the canary. */
  const runOnce = async (s: Scope, name: string): Promise<void> => {
    const scheduledRunId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      const c = await deps.repo.canary(s, name);
      if (!c || (c.state !== 'RUNNING' && attempt === 0)) return;
      const done = await executeRun(exec, s, c, { scheduledRunId, retryAttempt: attempt });
      await publishRun(deps.env, s, c, done.run, done.result, done.logText, now());
      if (c.config.visualReference?.baseCanaryRunId === 'nextrun') {
        await deps.repo.updateCanary(s, name, { config: { ...c.config, visualReference: { ...c.config.visualReference, baseCanaryRunId: done.run.id } } });
      }
      if (done.run.state === 'PASSED' || attempt >= c.config.schedule.maxRetries) break;
    }
    const c = await deps.repo.canary(s, name);
    if (c && parseCanarySchedule(c.config.schedule.expression).kind === 'once') {
      await move(sync, { ...c, ...s }, ['RUNNING', 'STOPPING'], { state: 'STOPPED', lastStopped: now(), stateReason: 'The canary ran once (rate(0 minute)).' });
    }
    schedules?.wake();
  };

  const owner = {
    module: MODULE,
    async fire(t: Timer): Promise<number | null> {
      const [account, region, name] = parseKey(t.key);
      const s = { account, region };
      const c = await deps.repo.canary(s, name);
      if (!c || c.state !== 'RUNNING') return null;
      if (!queue.offer(t.key, () => runOnce(s, name))) {
        deps.env.log.warn({ canary: name, account, region }, 'synthetics: the previous run of this canary is still queued or running; this occurrence is skipped');
      }
      const schedule = parseCanarySchedule(c.config.schedule.expression);
      // The next occurrence after now: occurrences missed while busy or down are not made up.
      return nextRunAt(schedule, c.lastStarted ?? now(), Math.max(t.nextFireAt, now())) ?? null;
    },
    async sync(): Promise<void> {
      await syncLifecycle(sync);
      if (now() >= retentionAt) {
        retentionAt = now() + RETENTION_EVERY_MS;
        await applyRetention(deps.repo, now(), deps.env.log);
      }
    },
  };

  const recoverUnfinished = async () => {
    for (const r of await deps.repo.unfinishedRuns()) {
      await deps.repo.finishRun(r, { ...r, state: 'FAILED', stateReason: 'Osprey stopped while the run was in progress.', stateReasonCode: 'EXECUTION_FAILURE', completed: now() });
    }
    rmSync(`${deps.root}/scratch`, { recursive: true, force: true });
  };

  return {
    name: 'synthetics-canaries',
    queue,
    wake: () => schedules?.wake(),
    async start() {
      await recoverUnfinished();
      schedules = new ScheduleRunner({ timers, owner, clock: deps.clock, log: deps.env.log, leaseMs: deps.leaseMs });
      schedules.start();
    },
    async stop() {
      await schedules?.stop();
      queue.clear();
      await queue.idle();
    },
  };
}

export type { StoredCanary };
