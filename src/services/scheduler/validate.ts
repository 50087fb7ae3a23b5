/**
 * CreateSchedule / UpdateSchedule input beyond what the model checks: the expression (the schedule
 * library's AWS text), the time zone, the date range, the flexible window, and a target Osprey can
 * invoke. Returns the schedule's stored fields.
 */
import type { CreateScheduleInput } from '@aws-sdk/client-scheduler';
import { InvalidSchedule, isValidTimezone, parseSchedulerExpression } from '../../lib/schedule/index.ts';
import { targetRef } from '../../server/targets/target-ref.ts';
import { renderInput } from './input.ts';
import { validation } from './names.ts';
import type { ScheduleRecord } from './repo.ts';

type Fields = Omit<ScheduleRecord, 'group' | 'name' | 'createdAt' | 'modifiedAt' | 'revision'>;

/** Recurring schedules may start a little in the past (the API reference: at most 5 minutes). */
const START_GRACE_MS = 5 * 60_000;
/** Target kinds this module invokes (the others EventBridge reaches are its own features). */
const DELIVERABLE = new Set(['lambda', 'sns', 'sqs', 'logs', 'event-bus']);

function checkExpression(expr: string): 'at' | 'rate' | 'cron' {
  try {
    return parseSchedulerExpression(expr).kind;
  } catch (e) {
    if (e instanceof InvalidSchedule) throw validation(e.message);
    throw e;
  }
}

function checkDates(kind: string, start: Date | undefined, end: Date | undefined, now: number): void {
  // at() ignores StartDate and EndDate (API reference), so only recurring schedules are checked.
  if (kind === 'at') return;
  if (start && start.getTime() < now - START_GRACE_MS) throw validation('The StartDate you specify cannot be earlier than 5 minutes ago.');
  if (end && end.getTime() <= now) throw validation('The EndDate you specify cannot be earlier than the current time.');
  if (start && end && end.getTime() <= start.getTime()) throw validation('The EndDate you specify must be after the StartDate.');
}

function checkWindow(w: CreateScheduleInput['FlexibleTimeWindow']): void {
  if (w?.Mode === 'FLEXIBLE' && w.MaximumWindowInMinutes === undefined) {
    throw validation('MaximumWindowInMinutes is required when the FlexibleTimeWindow Mode is FLEXIBLE.');
  }
  if (w?.Mode === 'OFF' && w.MaximumWindowInMinutes !== undefined) {
    throw validation('MaximumWindowInMinutes can only be set when the FlexibleTimeWindow Mode is FLEXIBLE.');
  }
}

function checkTarget(t: NonNullable<CreateScheduleInput['Target']>): void {
  const ref = targetRef(t.Arn!);
  if (!ref || !DELIVERABLE.has(ref.kind)) {
    throw validation(
      `Invalid target ${t.Arn}: Osprey's Scheduler invokes Lambda functions (mapped in lambda.functions), SNS topics, ` +
        'CloudWatch Logs log groups and EventBridge event buses; universal (aws-sdk) and other templated targets are not served.',
    );
  }
  // SqsParameters (API reference): the message group a FIFO queue target needs.
  if (ref.kind === 'sqs' && ref.name.endsWith('.fifo') && !t.SqsParameters?.MessageGroupId) {
    throw validation('SqsParameters.MessageGroupId is required for an Amazon SQS FIFO queue target.');
  }
  if (ref.kind === 'event-bus' && !t.EventBridgeParameters) {
    throw validation('EventBridgeParameters (DetailType and Source) are required for an EventBridge event bus target.');
  }
  // The API reference: templated Lambda, Step Functions and EventBridge targets take well-formed JSON.
  // Checked with the context attributes replaced, so `"n": <aws.scheduler.attempt-number>` passes.
  if ((ref.kind === 'lambda' || ref.kind === 'event-bus') && t.Input !== undefined) {
    try {
      JSON.parse(renderInput(t.Input, { scheduleArn: t.Arn!, scheduledAt: 0, executionId: 'x', attempt: 1 }));
    } catch {
      throw validation(`Invalid target input: the Input of a ${ref.kind === 'lambda' ? 'Lambda' : 'EventBridge'} target must be well-formed JSON.`);
    }
  }
}

export function scheduleFields(input: CreateScheduleInput, now: number): Fields {
  const kind = checkExpression(input.ScheduleExpression!);
  const tz = input.ScheduleExpressionTimezone;
  if (tz !== undefined && !isValidTimezone(tz)) throw validation(`Invalid ScheduleExpressionTimezone ${tz}: use an IANA time zone name, e.g. Europe/Paris.`);
  checkDates(kind, input.StartDate, input.EndDate, now);
  checkWindow(input.FlexibleTimeWindow);
  checkTarget(input.Target!);
  return {
    expression: input.ScheduleExpression!, timezone: tz, startDate: input.StartDate?.getTime(), endDate: input.EndDate?.getTime(),
    description: input.Description, state: input.State ?? 'ENABLED', kmsKeyArn: input.KmsKeyArn, target: input.Target!,
    flexibleWindow: input.FlexibleTimeWindow!, actionAfterCompletion: input.ActionAfterCompletion ?? 'NONE',
  };
}
