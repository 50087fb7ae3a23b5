/**
 * A periodic job over telemetry that keeps cursors (store/meta/scoped-cursors.ts): with an
 * embedded store per node every node runs it over its own data; with a shared ClickHouse server
 * one node runs it, under the named lease, so records are not delivered once per node.
 */
import type { TelemetryScope } from '../store/telemetry/scope.ts';
import { LeasedTask, leaseOf, type LeaseEnv, type LeaseOf } from './leased-task.ts';
import { PeriodicTask } from './periodic-task.ts';

/** `name` is the job's, and the lease's with a shared store. */
export interface TelemetryTaskOptions extends LeaseOf {
  intervalMs: number;
  task: () => Promise<void>;
  scope: TelemetryScope;
}

export interface TelemetryTask {
  start(): void;
  runNow(): Promise<void>;
  kick(): void;
  stop(): Promise<void>;
}

export function telemetryTask(o: TelemetryTaskOptions): TelemetryTask {
  return o.scope.shared ? oneNodeTask(o) : new PeriodicTask(o.name, o.intervalMs, o.task, o.log);
}

/**
 * A periodic job that runs on one node of a cluster, under the lease named after it, at its own
 * interval (anomaly training: its output is shared metadata whatever the telemetry).
 */
export function oneNodeTask(o: Omit<TelemetryTaskOptions, 'scope'>): TelemetryTask {
  // The lease is renewed at least three times per lease period; a job with a longer interval runs
  // on the passes at which its interval has elapsed (or after a kick), not on every renewal.
  const renewMs = Math.min(o.intervalMs, Math.floor(o.leaseMs / 3));
  let lastRun = Number.NEGATIVE_INFINITY;
  let kicked = false;
  const leased = new LeasedTask({
    name: o.name, owner: o.owner, leases: o.leases, clock: o.clock, log: o.log, leaseMs: o.leaseMs, intervalMs: renewMs,
    task: async () => {
      const now = o.clock.now();
      if (!kicked && now - lastRun < o.intervalMs) return;
      kicked = false;
      lastRun = now;
      await o.task();
    },
  });
  return {
    start: () => leased.start(),
    runNow: () => { kicked = true; return leased.runNow(); },
    kick: () => { kicked = true; leased.kick(); },
    stop: () => leased.stop(),
  };
}

/** What a module's Env offers for telemetryTask (structural: jobs/ does not depend on the server). */
export interface TelemetryTaskEnv extends LeaseEnv {
  telemetryScope: TelemetryScope;
}

/** telemetryTask with the rest taken from the module's Env. */
export function telemetryTaskOf(env: TelemetryTaskEnv, name: string, intervalMs: number, task: () => Promise<void>): TelemetryTask {
  return telemetryTask({ ...leaseOf(env, name), intervalMs, task, scope: env.telemetryScope });
}
