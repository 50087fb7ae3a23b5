import type { Clock } from '../../lib/clock.ts';
import type { SchedulerRepo } from './repo.ts';

export interface SchedulerDeps {
  repo: SchedulerRepo;
  clock: Clock;
  /** A schedule changed in this process: the runner syncs its timers now instead of within a second. */
  changed(): void;
}

/**
 * Quotas (Scheduler user guide, "Quotas"): schedules per account and Region (10,000,000, adjustable)
 * and schedule groups per account and Region (500).
 */
export const MAX_SCHEDULES = 10_000_000;
export const MAX_GROUPS = 500;
