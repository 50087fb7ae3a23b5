import type { SubscriptionFilter } from '@aws-sdk/client-cloudwatch-logs';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { SubscriptionFilterRecord } from '../../../store/meta/subscriptions.ts';
import { parseFilterPattern } from '../filter-pattern/parse.ts';
import { groupNotFound, required } from '../names.ts';
import { decodeToken, encodeToken } from '../pagination.ts';
import type { SubscriptionDeps } from './deps.ts';
import { SUBSCRIPTION_TOPIC, type SubscriptionRowPayload } from './payload.ts';
import { resolveForPut } from './resolve.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

/** "Each log group can have up to two subscription filters associated with it." */
export const MAX_SUBSCRIPTION_FILTERS_PER_GROUP = 2;

export async function putSubscriptionFilter(
  deps: SubscriptionDeps,
  ctx: Ctx,
  input: CallInput<'logs', 'PutSubscriptionFilter'>,
): Promise<CallOutput<'logs', 'PutSubscriptionFilter'>> {
  const key = { account: ctx.account, region: ctx.region, name: required(input.logGroupName, 'logGroupName') };
  const filterName = required(input.filterName, 'filterName');
  const filterPattern = required(input.filterPattern, 'filterPattern');
  const destinationArn = required(input.destinationArn, 'destinationArn');
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();
  parseFilterPattern(filterPattern);
  // Never accepted silently: these change what is delivered, and Osprey does not produce it yet.
  if (input.emitSystemFields !== undefined && input.emitSystemFields.length > 0) {
    throw new ServiceError('InvalidParameterException', 'emitSystemFields is not supported by Osprey yet; omit it.');
  }
  if (input.fieldSelectionCriteria !== undefined && input.fieldSelectionCriteria !== '') {
    throw new ServiceError('InvalidParameterException', 'fieldSelectionCriteria is not supported by Osprey yet; omit it.');
  }
  const target = await resolveForPut(deps, ctx, destinationArn);
  const now = ctx.clock.now();
  const { outcome, previous } = await deps.subs.putFilter({
    account: ctx.account,
    region: ctx.region,
    logGroup: key.name,
    name: filterName,
    filterPattern,
    destinationArn,
    roleArn: input.roleArn ?? null,
    distribution: input.distribution ?? 'ByLogStream',
    applyOnTransformedLogs: input.applyOnTransformedLogs ?? false,
    createdAt: now,
  }, MAX_SUBSCRIPTION_FILTERS_PER_GROUP);
  if (outcome === 'limit') throw new ServiceError('LimitExceededException', 'Resource limit exceeded.');

  // A stream destination gets CloudWatch's health-check CONTROL_MESSAGE when a subscription starts
  // delivering to it; Lambda functions do not.
  if (target.kind !== 'lambda' && previous?.destinationArn !== destinationArn) {
    const payload: SubscriptionRowPayload = { type: 'control', kind: target.kind, filterName, timestamp: now };
    await deps.outbox.enqueue([{ topic: SUBSCRIPTION_TOPIC, target: target.targetArn, payload: JSON.stringify(payload), items: 1 }], now);
  }
  return {};
}

interface FiltersToken {
  after: string;
  prefix: string;
}
const isFiltersToken = (v: unknown): v is FiltersToken =>
  typeof v === 'object' && v !== null && typeof (v as FiltersToken).after === 'string' && typeof (v as FiltersToken).prefix === 'string';

export async function describeSubscriptionFilters(
  deps: SubscriptionDeps,
  ctx: Ctx,
  input: CallInput<'logs', 'DescribeSubscriptionFilters'>,
): Promise<CallOutput<'logs', 'DescribeSubscriptionFilters'>> {
  const key = { account: ctx.account, region: ctx.region, name: required(input.logGroupName, 'logGroupName') };
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();
  const limit = input.limit ?? 50;
  const prefix = input.filterNamePrefix ?? '';
  let after: string | undefined;
  if (input.nextToken !== undefined) {
    const t = decodeToken(input.nextToken, isFiltersToken);
    if (t.prefix !== prefix) throw new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
    after = t.after;
  }
  const rows = await deps.subs.listFilters({
    account: ctx.account,
    region: ctx.region,
    logGroup: key.name,
    prefix: input.filterNamePrefix,
    after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return {
    subscriptionFilters: page.map(describeFilter),
    nextToken: rows.length > limit ? encodeToken({ after: page[page.length - 1].name, prefix }) : undefined,
  };
}

function describeFilter(f: SubscriptionFilterRecord): SubscriptionFilter {
  return {
    filterName: f.name,
    logGroupName: f.logGroup,
    filterPattern: f.filterPattern,
    destinationArn: f.destinationArn,
    roleArn: f.roleArn ?? undefined,
    distribution: f.distribution,
    applyOnTransformedLogs: f.applyOnTransformedLogs,
    creationTime: f.createdAt,
  };
}

export async function deleteSubscriptionFilter(
  deps: SubscriptionDeps,
  ctx: Ctx,
  input: CallInput<'logs', 'DeleteSubscriptionFilter'>,
): Promise<CallOutput<'logs', 'DeleteSubscriptionFilter'>> {
  const key = { account: ctx.account, region: ctx.region, name: required(input.logGroupName, 'logGroupName') };
  const filterName = required(input.filterName, 'filterName');
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();
  // Events already matched stay in the outbox and are still delivered, as with AWS's in-flight data.
  if (!(await deps.subs.deleteFilter(key, filterName))) {
    throw new ServiceError('ResourceNotFoundException', 'The specified subscription filter does not exist.');
  }
  return {};
}
