/** CreateSchedule, GetSchedule, UpdateSchedule, DeleteSchedule. */
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { MAX_SCHEDULES, type SchedulerDeps } from './deps.ts';
import { DEFAULT_GROUP, groupNotFound, scheduleArn, scheduleExists, scheduleNotFound } from './names.ts';
import type { ScheduleRecord } from './repo.ts';
import { scheduleFields } from './validate.ts';

/** A retried call (the SDKs resend the same ClientToken) answers as the first did. */
async function replayed(deps: SchedulerDeps, ctx: Ctx, token: string | undefined, operation: string, arn: string): Promise<boolean> {
  if (token === undefined) return false;
  const seen = await deps.repo.token(ctx, token);
  return seen !== undefined && seen.operation === operation && seen.resource === arn;
}

async function requireGroup(deps: SchedulerDeps, ctx: Ctx, group: string): Promise<void> {
  await deps.repo.ensureDefaultGroup(ctx, deps.clock.now());
  if (!(await deps.repo.group(ctx, group))) throw groupNotFound(group);
}

export async function createSchedule(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'CreateSchedule'>): Promise<CallOutput<'scheduler', 'CreateSchedule'>> {
  const group = input.GroupName ?? DEFAULT_GROUP;
  const arn = scheduleArn(ctx, group, input.Name!);
  if (await replayed(deps, ctx, input.ClientToken, 'CreateSchedule', arn)) return { ScheduleArn: arn };
  const now = deps.clock.now();
  const fields = scheduleFields(input, now);
  await requireGroup(deps, ctx, group);
  if (await deps.repo.schedule(ctx, group, input.Name!)) throw scheduleExists(input.Name!);
  if ((await deps.repo.countSchedules(ctx)) >= MAX_SCHEDULES) {
    throw new ServiceError('ServiceQuotaExceededException', `You have reached the quota of ${MAX_SCHEDULES} schedules for this account and Region.`);
  }
  const record: ScheduleRecord = { ...fields, group, name: input.Name!, createdAt: now, modifiedAt: now, revision: randomUUID() };
  if (!(await deps.repo.insertSchedule(ctx, record))) throw scheduleExists(input.Name!);
  if (input.ClientToken !== undefined) await deps.repo.recordToken(ctx, input.ClientToken, 'CreateSchedule', arn, now);
  deps.changed();
  return { ScheduleArn: arn };
}

export async function getSchedule(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'GetSchedule'>): Promise<CallOutput<'scheduler', 'GetSchedule'>> {
  const group = input.GroupName ?? DEFAULT_GROUP;
  const r = await deps.repo.schedule(ctx, group, input.Name!);
  if (!r) throw scheduleNotFound(input.Name!);
  return {
    Arn: scheduleArn(ctx, group, r.name), GroupName: group, Name: r.name, ScheduleExpression: r.expression,
    ScheduleExpressionTimezone: r.timezone, Description: r.description, State: r.state, KmsKeyArn: r.kmsKeyArn,
    StartDate: r.startDate === undefined ? undefined : new Date(r.startDate), EndDate: r.endDate === undefined ? undefined : new Date(r.endDate),
    CreationDate: new Date(r.createdAt), LastModificationDate: new Date(r.modifiedAt),
    Target: r.target, FlexibleTimeWindow: r.flexibleWindow, ActionAfterCompletion: r.actionAfterCompletion,
  };
}

/** UpdateSchedule replaces the whole definition: members left out return to their defaults (API reference). */
export async function updateSchedule(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'UpdateSchedule'>): Promise<CallOutput<'scheduler', 'UpdateSchedule'>> {
  const group = input.GroupName ?? DEFAULT_GROUP;
  const arn = scheduleArn(ctx, group, input.Name!);
  const current = await deps.repo.schedule(ctx, group, input.Name!);
  if (!current) throw scheduleNotFound(input.Name!);
  const now = deps.clock.now();
  const fields = scheduleFields(input, now);
  const record: ScheduleRecord = { ...fields, group, name: current.name, createdAt: current.createdAt, modifiedAt: now, revision: randomUUID() };
  if (!(await deps.repo.updateSchedule(ctx, record))) throw scheduleNotFound(input.Name!);
  deps.changed();
  return { ScheduleArn: arn };
}

export async function deleteSchedule(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'DeleteSchedule'>): Promise<CallOutput<'scheduler', 'DeleteSchedule'>> {
  const group = input.GroupName ?? DEFAULT_GROUP;
  const arn = scheduleArn(ctx, group, input.Name!);
  if (await deps.repo.deleteSchedule(ctx, group, input.Name!)) {
    if (input.ClientToken !== undefined) await deps.repo.recordToken(ctx, input.ClientToken, 'DeleteSchedule', arn, deps.clock.now());
    deps.changed();
    return {};
  }
  if (await replayed(deps, ctx, input.ClientToken, 'DeleteSchedule', arn)) return {};
  throw scheduleNotFound(input.Name!);
}
