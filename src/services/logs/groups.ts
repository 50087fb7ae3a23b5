import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { LogGroupRecord } from '../../store/meta/logs.ts';
import type { LogGroup } from '@aws-sdk/client-cloudwatch-logs';
import { asLogGroupClass } from './enums.ts';
import type { LogsDeps } from './deps.ts';
import { groupNotFound, logGroupArn, logGroupArnBare, required, resolveIdentifier } from './names.ts';
import { decodeToken, encodeToken } from './pagination.ts';
import { checkKmsKeyArn } from './kms.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

export async function createLogGroup(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'CreateLogGroup'>): Promise<CallOutput<'logs', 'CreateLogGroup'>> {
  const name = required(input.logGroupName, 'logGroupName');
  if (/^aws\//i.test(name)) {
    throw new ServiceError('InvalidParameterException', 'Log groups starting with AWS/ are reserved for AWS.');
  }
  const created = await deps.meta.createGroup({
    account: ctx.account,
    region: ctx.region,
    name,
    createdAt: ctx.clock.now(),
    retentionDays: null,
    kmsKeyId: input.kmsKeyId !== undefined ? checkKmsKeyArn(ctx, input.kmsKeyId) : null,
    logGroupClass: input.logGroupClass ?? 'STANDARD',
    deletionProtection: input.deletionProtectionEnabled ?? false,
    tags: input.tags ?? {},
  });
  if (!created) throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists');
  return {};
}

export async function deleteLogGroup(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'DeleteLogGroup'>): Promise<CallOutput<'logs', 'DeleteLogGroup'>> {
  const key = { account: ctx.account, region: ctx.region, name: required(input.logGroupName, 'logGroupName') };
  const group = await deps.meta.getGroup(key);
  if (!group) throw groupNotFound();
  if (group.deletionProtection) {
    throw new ServiceError('OperationAbortedException', 'Log group has deletion protection enabled. Disable it before deleting the log group.');
  }
  // Metadata first: once the group is gone no new events can be accepted for it.
  await deps.meta.deleteGroup(key);
  await deps.events.deleteGroup(ctx.account, ctx.region, key.name);
  return {};
}

const isNameToken = (v: unknown): v is { after: string } =>
  typeof v === 'object' && v !== null && typeof (v as { after?: unknown }).after === 'string';

export async function describeLogGroups(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'DescribeLogGroups'>): Promise<CallOutput<'logs', 'DescribeLogGroups'>> {
  if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
    throw new ServiceError('InvalidParameterException', 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  }
  if (input.logGroupIdentifiers !== undefined && (input.logGroupNamePrefix !== undefined || input.logGroupNamePattern !== undefined)) {
    throw new ServiceError('InvalidParameterException', 'logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.');
  }
  const limit = input.limit ?? 50;
  const after = input.nextToken !== undefined ? decodeToken(input.nextToken, isNameToken).after : undefined;
  const names = input.logGroupIdentifiers?.map((id) => {
    try {
      return resolveIdentifier(ctx, id).name;
    } catch {
      return undefined; // other accounts' groups are simply not listed
    }
  }).filter((n): n is string => n !== undefined);
  // One extra row tells whether another page exists without a second query.
  const rows = await deps.meta.listGroups({
    account: ctx.account,
    region: ctx.region,
    prefix: input.logGroupNamePrefix,
    pattern: input.logGroupNamePattern,
    logGroupClass: input.logGroupClass,
    names,
    after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const filterCounts = await deps.metricFilters.countByGroup(ctx.account, ctx.region, page.map((g) => g.name));
  return {
    logGroups: page.map((g) => describeGroup(ctx, g, filterCounts.get(g.name) ?? 0)),
    nextToken: rows.length > limit ? encodeToken({ after: page[page.length - 1].name }) : undefined,
  };
}

function describeGroup(ctx: Ctx, g: LogGroupRecord, metricFilterCount: number): LogGroup {
  return {
    logGroupName: g.name,
    creationTime: g.createdAt,
    retentionInDays: g.retentionDays ?? undefined,
    metricFilterCount,
    arn: logGroupArn(ctx, g.name),
    logGroupArn: logGroupArnBare(ctx, g.name),
    storedBytes: g.storedBytes,
    kmsKeyId: g.kmsKeyId ?? undefined,
    logGroupClass: asLogGroupClass(g.logGroupClass),
    deletionProtectionEnabled: g.deletionProtection,
  };
}
