import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import { parseArn } from '../../lib/arn.ts';
import type { GroupKey } from '../../store/meta/logs.ts';
import type { LogsDeps } from './deps.ts';
import { groupNotFound, required } from './names.ts';
import { destinationNotFound } from './subscriptions/resolve.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

/** AWS's per-resource tag limit for CloudWatch Logs. */
export const MAX_TAGS = 50;

/** A taggable Logs resource: a log group or a destination (AWS tags exactly these two). */
type Taggable = { kind: 'group'; key: GroupKey } | { kind: 'destination'; key: GroupKey };

/**
 * Tagging resolves `arn:aws:logs:<region>:<account>:log-group:<name>` (AWS documents the ARN without
 * the trailing `:*` here, and tolerates it) and `arn:aws:logs:<region>:<account>:destination:<name>`.
 */
function taggableFromArn(ctx: Ctx, resourceArn: string): Taggable {
  const p = parseArn(resourceArn);
  const group = p && p.service === 'logs' ? /^log-group:(.+?)(:\*)?$/.exec(p.resource) : null;
  const destination = p && p.service === 'logs' ? /^destination:(.+)$/.exec(p.resource) : null;
  if (!p || (!group && !destination)) {
    throw new ServiceError('InvalidParameterException',
      `The ARN ${resourceArn} is not a valid CloudWatch Logs log group or destination ARN ` +
        '(arn:aws:logs:<region>:<account>:log-group:<name> or arn:aws:logs:<region>:<account>:destination:<name>).');
  }
  if (p.account !== ctx.account || p.region !== ctx.region) throw new ServiceError('ResourceNotFoundException', `The resource ${resourceArn} does not exist.`);
  const key = { account: p.account, region: p.region, name: (group ?? destination)![1] };
  return group ? { kind: 'group', key } : { kind: 'destination', key };
}

async function currentTags(deps: LogsDeps, r: Taggable): Promise<Record<string, string>> {
  if (r.kind === 'destination') {
    const d = await deps.subscriptions?.subs.getDestination(r.key);
    if (!d) throw destinationNotFound();
    return d.tags;
  }
  const g = await deps.meta.getGroup(r.key);
  if (!g) throw groupNotFound();
  return g.tags;
}

async function storeTags(deps: LogsDeps, r: Taggable, tags: Record<string, string>): Promise<void> {
  if (r.kind === 'group') {
    await deps.meta.updateGroup(r.key, { tags });
    return;
  }
  if (!(await deps.subscriptions?.subs.setDestinationTags(r.key, tags))) throw destinationNotFound();
}

async function addTags(deps: LogsDeps, r: Taggable, tags: Record<string, string>): Promise<void> {
  const merged = { ...(await currentTags(deps, r)), ...tags };
  if (Object.keys(merged).length > MAX_TAGS) {
    throw new ServiceError('TooManyTagsException', `A resource can have no more than ${MAX_TAGS} tags.`, { fields: { resourceName: r.key.name } });
  }
  await storeTags(deps, r, merged);
}

async function removeTags(deps: LogsDeps, r: Taggable, keys: string[]): Promise<void> {
  const tags = { ...(await currentTags(deps, r)) };
  for (const k of keys) delete tags[k];
  await storeTags(deps, r, tags);
}

const byArn = (ctx: Ctx, resourceArn: string | undefined): Taggable => taggableFromArn(ctx, required(resourceArn, 'resourceArn'));

export async function tagResource(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'TagResource'>): Promise<CallOutput<'logs', 'TagResource'>> {
  await addTags(deps, byArn(ctx, input.resourceArn), required(input.tags, 'tags'));
  return {};
}

export async function untagResource(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'UntagResource'>): Promise<CallOutput<'logs', 'UntagResource'>> {
  await removeTags(deps, byArn(ctx, input.resourceArn), required(input.tagKeys, 'tagKeys'));
  return {};
}

export async function listTagsForResource(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'ListTagsForResource'>): Promise<CallOutput<'logs', 'ListTagsForResource'>> {
  return { tags: await currentTags(deps, byArn(ctx, input.resourceArn)) };
}

const byName = (ctx: Ctx, logGroupName: string | undefined): Taggable =>
  ({ kind: 'group', key: { account: ctx.account, region: ctx.region, name: required(logGroupName, 'logGroupName') } });

/** The legacy (deprecated but still served) TagLogGroup family, keyed by group name. */
export async function tagLogGroup(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'TagLogGroup'>): Promise<CallOutput<'logs', 'TagLogGroup'>> {
  await addTags(deps, byName(ctx, input.logGroupName), required(input.tags, 'tags'));
  return {};
}

export async function untagLogGroup(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'UntagLogGroup'>): Promise<CallOutput<'logs', 'UntagLogGroup'>> {
  await removeTags(deps, byName(ctx, input.logGroupName), required(input.tags, 'tags'));
  return {};
}

export async function listTagsLogGroup(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'ListTagsLogGroup'>): Promise<CallOutput<'logs', 'ListTagsLogGroup'>> {
  return { tags: await currentTags(deps, byName(ctx, input.logGroupName)) };
}
