import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import { parseArn } from '../../lib/arn.ts';
import type { GroupKey } from '../../store/meta/logs.ts';
import type { LogsDeps } from './deps.ts';
import { groupNotFound } from './names.ts';

/** AWS's per-resource tag limit for CloudWatch Logs. */
export const MAX_TAGS = 50;

/**
 * Tagging resolves `arn:aws:logs:<region>:<account>:log-group:<name>` (AWS documents the ARN without
 * the trailing `:*` here, and tolerates it). Other taggable Logs resources are added as they land.
 */
function groupFromArn(ctx: Ctx, resourceArn: string): GroupKey {
  const p = parseArn(resourceArn);
  const m = p && p.service === 'logs' ? /^log-group:(.+?)(:\*)?$/.exec(p.resource) : null;
  if (!p || !m) {
    throw new ServiceError('InvalidParameterException', `The ARN ${resourceArn} is not a valid CloudWatch Logs log group ARN.`);
  }
  if (p.account !== ctx.account || p.region !== ctx.region) throw new ServiceError('ResourceNotFoundException', `The resource ${resourceArn} does not exist.`);
  return { account: p.account, region: p.region, name: m[1] };
}

async function currentTags(deps: LogsDeps, key: GroupKey): Promise<Record<string, string>> {
  const g = await deps.meta.getGroup(key);
  if (!g) throw groupNotFound();
  return g.tags;
}

async function addTags(deps: LogsDeps, key: GroupKey, tags: Record<string, string>): Promise<void> {
  const merged = { ...(await currentTags(deps, key)), ...tags };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new ServiceError('TooManyTagsException', `A resource can have no more than ${MAX_TAGS} tags.`, { fields: { resourceName: key.name } });
  }
  await deps.meta.updateGroup(key, { tags: merged });
}

async function removeTags(deps: LogsDeps, key: GroupKey, keys: string[]): Promise<void> {
  const tags = { ...(await currentTags(deps, key)) };
  for (const k of keys) delete tags[k];
  await deps.meta.updateGroup(key, { tags });
}

export const tagResource = (deps: LogsDeps, ctx: Ctx, input: { resourceArn: string; tags: Record<string, string> }) =>
  addTags(deps, groupFromArn(ctx, input.resourceArn), input.tags);

export const untagResource = (deps: LogsDeps, ctx: Ctx, input: { resourceArn: string; tagKeys: string[] }) =>
  removeTags(deps, groupFromArn(ctx, input.resourceArn), input.tagKeys);

export async function listTagsForResource(deps: LogsDeps, ctx: Ctx, input: { resourceArn: string }) {
  return { tags: await currentTags(deps, groupFromArn(ctx, input.resourceArn)) };
}

const byName = (ctx: Ctx, logGroupName: string): GroupKey => ({ account: ctx.account, region: ctx.region, name: logGroupName });

/** The legacy (deprecated but still served) TagLogGroup family, keyed by group name. */
export const tagLogGroup = (deps: LogsDeps, ctx: Ctx, input: { logGroupName: string; tags: Record<string, string> }) =>
  addTags(deps, byName(ctx, input.logGroupName), input.tags);

export const untagLogGroup = (deps: LogsDeps, ctx: Ctx, input: { logGroupName: string; tags: string[] }) =>
  removeTags(deps, byName(ctx, input.logGroupName), input.tags);

export async function listTagsLogGroup(deps: LogsDeps, ctx: Ctx, input: { logGroupName: string }) {
  return { tags: await currentTags(deps, byName(ctx, input.logGroupName)) };
}
