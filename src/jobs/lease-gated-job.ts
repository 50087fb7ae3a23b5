/**
 * A job with a loop of its own (a ScheduleRunner and what it feeds) that must run on one node of
 * a cluster at a time: it is started on the node that takes the named lease and stopped when that
 * node loses it (another node took it after this one could not renew) or stops — stop() waits for
 * the job's stop before the lease is released, so the next holder never overlaps a clean handover.
 * A holder that dies stops renewing, and another node starts the job within one lease period
 * (plus a pass). On a single node the lease is always this node's.
 */
import { LeasedTask, type LeasedTaskOptions } from './leased-task.ts';

export interface GatedJob {
  name: string;
  start(): void | Promise<void>;
  stop(): Promise<void>;
}

export type LeaseGateOptions = Omit<LeasedTaskOptions, 'task' | 'lost' | 'intervalMs'> & {
  /** How often the lease is renewed (default a third of the lease, the longest allowed). */
  intervalMs?: number;
};

export interface LeaseGatedJob extends GatedJob {
  /** Whether the job runs on this node now. */
  readonly running: boolean;
}

export function leaseGated(job: GatedJob, o: LeaseGateOptions): LeaseGatedJob {
  let running = false;
  const lease = new LeasedTask({
    ...o,
    intervalMs: o.intervalMs ?? Math.floor(o.leaseMs / 3),
    async task() {
      if (running) return;
      // Marked running once started: a start that failed is tried again at the next pass.
      await job.start();
      running = true;
    },
    async lost() {
      if (!running) return;
      running = false;
      await job.stop();
    },
  });
  return {
    name: job.name,
    get running() {
      return running;
    },
    // The first pass right away: a single node (or the first of a cluster) starts the job at once.
    start: () => (lease.start(), lease.kick()),
    stop: () => lease.stop(),
  };
}
