import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { LogsMetaRepo } from '../../../store/meta/logs.ts';
import type { OutboxRepo } from '../../../store/meta/outbox.ts';
import type { SubscriptionsRepo } from '../../../store/meta/subscriptions.ts';
import { SubscriptionDelivery } from './delivery.ts';
import type { SubscriptionDeps } from './deps.ts';
import { deleteDestination, describeDestinations, putDestination, putDestinationPolicy } from './destinations.ts';
import { deleteSubscriptionFilter, describeSubscriptionFilters, putSubscriptionFilter } from './filters.ts';
import { SubscriptionIngestHook } from './ingest-hook.ts';
import { DeliveryTargets, type DeliveryTargetsConfig } from './targets.ts';
import type { StreamCalls } from '../../../server/targets/stream-records.ts';
import type { ServiceHandlersFor } from '../../../protocol/operations.ts';

export type { SubscriptionDeps } from './deps.ts';
export { DeliveryTargets } from './targets.ts';
export { SubscriptionDelivery } from './delivery.ts';
export { SubscriptionIngestHook } from './ingest-hook.ts';

export type SubscriptionHandlers = ServiceHandlersFor<'logs', 
  | 'PutSubscriptionFilter' | 'DescribeSubscriptionFilters' | 'DeleteSubscriptionFilter'
  | 'PutDestination' | 'PutDestinationPolicy' | 'DescribeDestinations' | 'DeleteDestination'
>;

/** The Logs operations this folder serves, for logsHandlers()'s table. */
export function subscriptionHandlers(deps: SubscriptionDeps): SubscriptionHandlers {
  return {
    PutSubscriptionFilter: (ctx, input) => putSubscriptionFilter(deps, ctx, input),
    DescribeSubscriptionFilters: (ctx, input) => describeSubscriptionFilters(deps, ctx, input),
    DeleteSubscriptionFilter: (ctx, input) => deleteSubscriptionFilter(deps, ctx, input),
    PutDestination: (ctx, input) => putDestination(deps, ctx, input),
    PutDestinationPolicy: (ctx, input) => putDestinationPolicy(deps, ctx, input),
    DescribeDestinations: (ctx, input) => describeDestinations(deps, ctx, input),
    DeleteDestination: (ctx, input) => deleteDestination(deps, ctx, input),
  };
}

export interface LogSubscriptions {
  /** For LogsDeps.subscriptions (the handlers). */
  deps: SubscriptionDeps;
  /** For LogsDeps.hooks. */
  hook: SubscriptionIngestHook;
  /** For the DeliveryWorker's handlers. */
  delivery: SubscriptionDelivery;
}

/** Builds everything subscription filters need from the stores and the config's target mappings. */
export function createLogSubscriptions(opts: {
  meta: LogsMetaRepo;
  subs: SubscriptionsRepo;
  outbox: OutboxRepo;
  targets: DeliveryTargetsConfig;
  /** Per-request delivery timeout. */
  timeoutMs: number;
  clock: Clock;
  log: Logger;
  /** Osprey's own Kinesis / Firehose, for stream ARNs not mapped in `streams`. */
  streams: StreamCalls;
}): LogSubscriptions {
  const targets = new DeliveryTargets(opts.targets);
  for (const problem of targets.problems()) opts.log.warn(`ignoring delivery target: ${problem}`);
  const deps: SubscriptionDeps = { meta: opts.meta, subs: opts.subs, outbox: opts.outbox, targets, streams: opts.streams };
  return {
    deps,
    hook: new SubscriptionIngestHook(deps, opts.clock, opts.log),
    delivery: new SubscriptionDelivery({ targets, streams: opts.streams, clock: opts.clock, log: opts.log, timeoutMs: opts.timeoutMs }),
  };
}
