/** One scheduled invocation as the outbox carries it: everything delivery needs without reading the schedule again. */
import type { Target } from '@aws-sdk/client-scheduler';

export const TARGET_TOPIC = 'scheduler.target';
/** The principal targets see Scheduler act as (resource policies of topics and log groups decide on it). */
export const SCHEDULER_PRINCIPAL = 'scheduler.amazonaws.com';

export interface ScheduledInvocation {
  account: string;
  region: string;
  group: string;
  name: string;
  scheduleArn: string;
  /** The target as it was when the occurrence fired (a later update does not change a pending delivery). */
  target: Target;
  scheduledAt: number;
  /** When the occurrence fired (its due time, or later): MaximumEventAgeInSeconds counts from here. */
  firedAt: number;
  /** Stable across retries (a log group target writes one stream per occurrence). */
  occurrenceId: string;
  /** The schedule's revision and the schedulers' change count when it fired (ahead of time): delivery checks both. */
  revision?: string;
  generation?: number;
  /** The schedule's last occurrence with ActionAfterCompletion DELETE: delivery deletes it when done. */
  deleteAfter?: boolean;
}
