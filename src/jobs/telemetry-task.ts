/**
 * A periodic job over telemetry that keeps cursors (store/meta/scoped-cursors.ts): with an
 * embedded store per node every node runs it over its own data; with a shared ClickHouse server
 * one node runs it, under the named lease, so records are not delivered once per node.
 */
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { LeaseStore } from '../store/meta/leases.ts';
import type { TelemetryScope } from '../store/telemetry/scope.ts';
import { LeasedTask } from './leased-task.ts';
import { PeriodicTask } from './periodic-task.ts';

export interface TelemetryTaskOptions {
  /** The job's name, and the lease's name with a shared store. */
  name: string;
  intervalMs: number;
  task: () => Promise<void>;
  scope: TelemetryScope;
  nodeId: string;
  leases: LeaseStore;
  leaseMs: number;
  clock: Clock;
  log: Logger;
}

export interface TelemetryTask {
  start(): void;
  runNow(): Promise<void>;
  kick(): void;
  stop(): Promise<void>;
}

export function telemetryTask(o: TelemetryTaskOptions): TelemetryTask {
  if (!o.scope.shared) return new PeriodicTask(o.name, o.intervalMs, o.task, o.log);
  // Renewals come at least three times per lease period, whatever the job's own interval.
  return new LeasedTask({
    name: o.name, owner: o.nodeId, leases: o.leases, clock: o.clock, log: o.log, leaseMs: o.leaseMs,
    intervalMs: Math.min(o.intervalMs, Math.floor(o.leaseMs / 3)), task: () => o.task(),
  });
}
