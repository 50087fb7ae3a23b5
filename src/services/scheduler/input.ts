/**
 * What a target receives: Target.Input with Scheduler's context attributes replaced (user guide,
 * "Adding context attributes"), or `{}` when the schedule has no Input. AWS says only that it then
 * "delivers a default notification to the target" without documenting its shape; `{}` is what the
 * console's templated Lambda / Step Functions / EventBridge targets send by default, and it is valid
 * JSON for every target Osprey delivers to.
 */
import { randomBytes } from 'node:crypto';

export interface ContextValues {
  scheduleArn: string;
  scheduledAt: number;
  executionId: string;
  attempt: number;
}

export const DEFAULT_INPUT = '{}';

/** `2022-03-22T18:59:43Z`: the scheduled time to the second, as the user guide shows it. */
export const scheduledTimeText = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** An execution id shaped like AWS's examples (`d32c5kddcf5bb8c3`): 16 lowercase base-36 characters. */
export function newExecutionId(): string {
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz';
  return [...randomBytes(16)].map((b) => digits[b % 36]).join('');
}

export function renderInput(input: string | undefined, c: ContextValues): string {
  if (input === undefined) return DEFAULT_INPUT;
  return input
    .replaceAll('<aws.scheduler.schedule-arn>', c.scheduleArn)
    .replaceAll('<aws.scheduler.scheduled-time>', scheduledTimeText(c.scheduledAt))
    .replaceAll('<aws.scheduler.execution-id>', c.executionId)
    .replaceAll('<aws.scheduler.attempt-number>', String(c.attempt));
}
