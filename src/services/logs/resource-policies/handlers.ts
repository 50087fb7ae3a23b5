import { randomUUID } from 'node:crypto';
import type { ResourcePolicy } from '@aws-sdk/client-cloudwatch-logs';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { parseArn } from '../../../lib/arn.ts';
import type { LogsMetaRepo } from '../../../store/meta/logs.ts';
import type { PolicyScope, ResourcePolicyRecord, ResourcePolicyRepo } from '../../../store/meta/resource-policies.ts';
import { groupNotFound } from '../names.ts';
import { decodeToken, encodeToken } from '../pagination.ts';
import { checkAccountPolicyLength, normalizePolicyDocument, parsePolicyDocument } from './document.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

/** AWS: "An account can have a maximum of 10 policies without resourceARN and one per LogGroup resourceARN". */
export const MAX_ACCOUNT_POLICIES = 10;

export interface ResourcePolicyDeps {
  meta: Pick<LogsMetaRepo, 'getGroup'>;
  policies: ResourcePolicyRepo;
}

const invalid = (message: string) => new ServiceError('InvalidParameterException', message);

const revisionMismatch = () =>
  new ServiceError('OperationAbortedException', 'The expected revision ID does not match the current revision of the resource policy. ' +
    'Describe the policy (DescribeResourcePolicies with resourceArn) and retry with its revisionId.');

/** A log group ARN of this account and region (with or without the trailing `:*`) → the group's name. */
function logGroupOf(ctx: Ctx, resourceArn: string): string {
  const p = parseArn(resourceArn);
  const m = p && p.service === 'logs' ? /^log-group:(.+?)(:\*)?$/.exec(p.resource) : null;
  if (!p || !m) {
    throw invalid(`Invalid resourceArn ${resourceArn}: resource policies attach to log groups (arn:aws:logs:<region>:<account>:log-group:<name>).`);
  }
  if (p.account !== ctx.account || p.region !== ctx.region) throw groupNotFound();
  return m[1];
}

/** The ResourcePolicy shape; `normalize` gives the stored form DescribeResourcePolicies returns. */
function describePolicy(p: ResourcePolicyRecord, region: string, normalize: boolean): ResourcePolicy {
  return {
    policyName: p.policyName ?? undefined,
    policyDocument: normalize ? normalizePolicyDocument(p.document, region) : p.document,
    lastUpdatedTime: p.updatedAt,
    policyScope: p.scope,
    resourceArn: p.resourceArn ?? undefined,
    revisionId: p.revisionId ?? undefined,
  };
}

export async function putResourcePolicy(deps: ResourcePolicyDeps, ctx: Ctx, input: CallInput<'logs', 'PutResourcePolicy'>): Promise<CallOutput<'logs', 'PutResourcePolicy'>> {
  if (input.policyDocument === undefined) throw invalid('policyDocument is required.');
  if (input.resourceArn === undefined) return putAccountPolicy(deps, ctx, input.policyName, input.policyDocument);
  if (input.policyName !== undefined) throw invalid('policyName and resourceArn are mutually exclusive: give policyName for an account-level policy, resourceArn for a log group policy.');
  const logGroup = logGroupOf(ctx, input.resourceArn);
  parsePolicyDocument(input.policyDocument);
  if (!(await deps.meta.getGroup({ account: ctx.account, region: ctx.region, name: logGroup }))) throw groupNotFound();
  const current = await deps.policies.get(ctx.account, ctx.region, 'RESOURCE', logGroup);
  // Concurrent writers: an update names the revision it read; a first write names none.
  if ((current?.revisionId ?? undefined) !== input.expectedRevisionId) throw revisionMismatch();
  const record: ResourcePolicyRecord = {
    account: ctx.account, region: ctx.region, scope: 'RESOURCE', policyName: null, logGroup, resourceArn: input.resourceArn,
    document: input.policyDocument, revisionId: randomUUID(), updatedAt: ctx.clock.now(),
  };
  await deps.policies.put(record, MAX_ACCOUNT_POLICIES);
  return { resourcePolicy: describePolicy(record, ctx.region, false), revisionId: record.revisionId ?? undefined };
}

async function putAccountPolicy(
  deps: ResourcePolicyDeps,
  ctx: Ctx,
  policyName: string | undefined,
  document: string,
): Promise<CallOutput<'logs', 'PutResourcePolicy'>> {
  if (policyName === undefined || policyName === '') throw invalid('policyName is required for an account-level resource policy.');
  checkAccountPolicyLength(document);
  parsePolicyDocument(document);
  const record: ResourcePolicyRecord = {
    account: ctx.account, region: ctx.region, scope: 'ACCOUNT', policyName, logGroup: null, resourceArn: null,
    document, revisionId: null, updatedAt: ctx.clock.now(),
  };
  const r = await deps.policies.put(record, MAX_ACCOUNT_POLICIES);
  if (!r.ok) throw new ServiceError('LimitExceededException', 'Resource limit exceeded.');
  return { resourcePolicy: describePolicy(record, ctx.region, false) };
}

const isAfterToken = (v: unknown): v is { a: string } => typeof v === 'object' && v !== null && typeof (v as { a?: unknown }).a === 'string';

export async function describeResourcePolicies(
  deps: ResourcePolicyDeps,
  ctx: Ctx,
  input: CallInput<'logs', 'DescribeResourcePolicies'>,
): Promise<CallOutput<'logs', 'DescribeResourcePolicies'>> {
  // A resourceArn asks for that log group's policy; otherwise the scope decides (ACCOUNT by default).
  const logGroup = input.resourceArn !== undefined ? logGroupOf(ctx, input.resourceArn) : undefined;
  const scope: PolicyScope = logGroup !== undefined ? 'RESOURCE' : input.policyScope ?? 'ACCOUNT';
  if (logGroup !== undefined && input.policyScope === 'ACCOUNT') throw invalid('policyScope ACCOUNT cannot be combined with a resourceArn.');
  const limit = input.limit ?? 50;
  const after = input.nextToken !== undefined ? decodeToken(input.nextToken, isAfterToken).a : undefined;
  const rows = await deps.policies.list({ account: ctx.account, region: ctx.region, scope, logGroup, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    resourcePolicies: page.map((p) => describePolicy(p, ctx.region, true)),
    nextToken: rows.length > limit && last ? encodeToken({ a: (scope === 'ACCOUNT' ? last.policyName : last.logGroup) ?? '' }) : undefined,
  };
}

export async function deleteResourcePolicy(
  deps: ResourcePolicyDeps,
  ctx: Ctx,
  input: CallInput<'logs', 'DeleteResourcePolicy'>,
): Promise<CallOutput<'logs', 'DeleteResourcePolicy'>> {
  if (input.resourceArn === undefined) {
    if (input.policyName === undefined) throw invalid('Either policyName or resourceArn must be specified.');
    if (!(await deps.policies.delete(ctx.account, ctx.region, 'ACCOUNT', input.policyName))) {
      throw new ServiceError('ResourceNotFoundException', `Policy with name [${input.policyName}] does not exist.`);
    }
    return {};
  }
  const logGroup = logGroupOf(ctx, input.resourceArn);
  const current = await deps.policies.get(ctx.account, ctx.region, 'RESOURCE', logGroup);
  if (!current) throw new ServiceError('ResourceNotFoundException', `Policy for resource [${input.resourceArn}] does not exist.`);
  if (input.expectedRevisionId === undefined) throw invalid('expectedRevisionId is required to delete a resource-scoped policy.');
  if (input.expectedRevisionId !== current.revisionId) throw revisionMismatch();
  await deps.policies.delete(ctx.account, ctx.region, 'RESOURCE', logGroup);
  return {};
}
