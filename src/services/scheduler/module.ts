/**
 * The EventBridge Scheduler module: schedule groups (the `default` one always there) and schedules
 * (at / rate / cron in an IANA time zone, start and end dates, flexible windows, enabled or
 * disabled, deleted after completion on request) in the metadata store; schedules fire through the kernel's
 * timers and ScheduleRunner and reach their targets (Lambda function URLs, SNS topics, log groups,
 * event buses) through durable outbox rows with the target's retry policy.
 */
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import type { SchedulerDeps } from './deps.ts';
import { SchedulerDelivery } from './delivery.ts';
import { createScheduleGroup, deleteScheduleGroup, getScheduleGroup, listScheduleGroups, listTagsForResource, tagResource, untagResource } from './groups.ts';
import { listSchedules } from './list-schedules.ts';
import { SchedulerStore } from './repo.ts';
import { createSchedulerRunner } from './runner.ts';
import { createSchedule, deleteSchedule, getSchedule, updateSchedule } from './schedules.ts';
import { SCHEDULER_MIGRATIONS } from './schema.ts';

export async function createScheduler(env: Env): Promise<ServiceModule<'scheduler'>> {
  await env.migrate('scheduler', SCHEDULER_MIGRATIONS);
  const now = () => env.clock.now();
  const repo = new SchedulerStore(env.db);
  const runner = createSchedulerRunner({ db: env.db, repo, outbox: env.outbox, clock: env.clock, log: env.log });
  const deps: SchedulerDeps = { repo, clock: env.clock, changed: () => runner.wake() };
  const delivery = new SchedulerDelivery({
    invoke: { call: env.call, serviceCtx: env.serviceCtx, lambdaFunctions: env.config.lambda.functions, streams: env.config.streams, timeoutMs: env.config.delivery.timeoutMs, now },
    schedules: repo, log: env.log, now,
  });
  const handlers: ServiceHandlers<'scheduler'> = {
    CreateSchedule: (ctx, input) => createSchedule(deps, ctx, input),
    GetSchedule: (ctx, input) => getSchedule(deps, ctx, input),
    UpdateSchedule: (ctx, input) => updateSchedule(deps, ctx, input),
    DeleteSchedule: (ctx, input) => deleteSchedule(deps, ctx, input),
    ListSchedules: (ctx, input) => listSchedules(deps, ctx, input),
    CreateScheduleGroup: (ctx, input) => createScheduleGroup(deps, ctx, input),
    GetScheduleGroup: (ctx, input) => getScheduleGroup(deps, ctx, input),
    DeleteScheduleGroup: (ctx, input) => deleteScheduleGroup(deps, ctx, input),
    ListScheduleGroups: (ctx, input) => listScheduleGroups(deps, ctx, input),
    TagResource: (ctx, input) => tagResource(deps, ctx, input),
    UntagResource: (ctx, input) => untagResource(deps, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(deps, ctx, input),
  };
  return { name: 'scheduler', handlers, deliveries: [delivery], jobs: [runner] };
}
