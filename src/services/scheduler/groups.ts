/**
 * Schedule groups: CreateScheduleGroup, GetScheduleGroup, DeleteScheduleGroup, ListScheduleGroups,
 * and their tags (TagResource, UntagResource, ListTagsForResource: in Scheduler only groups carry
 * tags). The `default` group always exists and cannot be deleted. Deleting a group deletes its
 * schedules; AWS does it asynchronously (the group shows State DELETING meanwhile), Osprey at once.
 */
import type { Tag } from '@aws-sdk/client-scheduler';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { MAX_GROUPS, type SchedulerDeps } from './deps.ts';
import { DEFAULT_GROUP, groupArn, groupExists, groupNotFound, groupOfArn, validation } from './names.ts';
import { decodeToken, encodeToken, pageSize } from './paging.ts';
import type { GroupRecord } from './repo.ts';

/** Tags per resource (the TagList model allows 200; AWS's tagging limit is 50 user tags). */
const MAX_TAGS = 50;

function tagMap(current: Record<string, string>, list: Tag[]): Record<string, string> {
  const out = { ...current };
  for (const t of list) {
    if (t.Key!.toLowerCase().startsWith('aws:')) throw validation(`Tag keys beginning with aws: are reserved for AWS use: ${t.Key}`);
    out[t.Key!] = t.Value!;
  }
  if (Object.keys(out).length > MAX_TAGS) throw validation(`A resource can have at most ${MAX_TAGS} tags.`);
  return out;
}

const tagList = (tags: Record<string, string>): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

async function existing(deps: SchedulerDeps, ctx: Ctx, name: string): Promise<GroupRecord> {
  await deps.repo.ensureDefaultGroup(ctx, deps.clock.now());
  const g = await deps.repo.group(ctx, name);
  if (!g) throw groupNotFound(name);
  return g;
}

export async function createScheduleGroup(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'CreateScheduleGroup'>): Promise<CallOutput<'scheduler', 'CreateScheduleGroup'>> {
  const name = input.Name!;
  const arn = groupArn(ctx, name);
  const now = deps.clock.now();
  if (input.ClientToken !== undefined) {
    const seen = await deps.repo.token(ctx, input.ClientToken);
    if (seen?.operation === 'CreateScheduleGroup' && seen.resource === arn) return { ScheduleGroupArn: arn };
  }
  await deps.repo.ensureDefaultGroup(ctx, now);
  const tags = tagMap({}, input.Tags ?? []);
  if (await deps.repo.group(ctx, name)) throw groupExists(name);
  if ((await deps.repo.countGroups(ctx)) >= MAX_GROUPS) {
    throw new ServiceError('ServiceQuotaExceededException', `You have reached the quota of ${MAX_GROUPS} schedule groups for this account and Region.`);
  }
  if (!(await deps.repo.insertGroup(ctx, { name, createdAt: now, modifiedAt: now, tags }))) throw groupExists(name);
  if (input.ClientToken !== undefined) await deps.repo.recordToken(ctx, input.ClientToken, 'CreateScheduleGroup', arn, now);
  return { ScheduleGroupArn: arn };
}

export async function getScheduleGroup(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'GetScheduleGroup'>): Promise<CallOutput<'scheduler', 'GetScheduleGroup'>> {
  const g = await existing(deps, ctx, input.Name!);
  return { Arn: groupArn(ctx, g.name), Name: g.name, State: 'ACTIVE', CreationDate: new Date(g.createdAt), LastModificationDate: new Date(g.modifiedAt) };
}

export async function deleteScheduleGroup(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'DeleteScheduleGroup'>): Promise<CallOutput<'scheduler', 'DeleteScheduleGroup'>> {
  const name = input.Name!;
  if (name === DEFAULT_GROUP) throw validation('The default schedule group cannot be deleted.');
  const arn = groupArn(ctx, name);
  if (await deps.repo.deleteGroup(ctx, name)) {
    if (input.ClientToken !== undefined) await deps.repo.recordToken(ctx, input.ClientToken, 'DeleteScheduleGroup', arn, deps.clock.now());
    deps.changed();
    return {};
  }
  const seen = input.ClientToken === undefined ? undefined : await deps.repo.token(ctx, input.ClientToken);
  if (seen?.operation === 'DeleteScheduleGroup' && seen.resource === arn) return {};
  throw groupNotFound(name);
}

const isAfter = (v: unknown): v is { after: string } => typeof v === 'object' && v !== null && typeof (v as { after?: unknown }).after === 'string';

export async function listScheduleGroups(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'ListScheduleGroups'>): Promise<CallOutput<'scheduler', 'ListScheduleGroups'>> {
  const after = decodeToken(input.NextToken, isAfter)?.after;
  await deps.repo.ensureDefaultGroup(ctx, deps.clock.now());
  const limit = pageSize(input.MaxResults);
  const rows = await deps.repo.listGroups(ctx, { prefix: input.NamePrefix, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    ScheduleGroups: page.map((g) => ({
      Arn: groupArn(ctx, g.name), Name: g.name, State: 'ACTIVE', CreationDate: new Date(g.createdAt), LastModificationDate: new Date(g.modifiedAt),
    })),
    NextToken: rows.length > limit ? encodeToken({ after: page[page.length - 1]!.name }) : undefined,
  };
}

/** The group a tagging ARN names (ResourceNotFoundException for other accounts', Regions' or missing groups). */
async function taggedGroup(deps: SchedulerDeps, ctx: Ctx, resourceArn: string): Promise<GroupRecord> {
  const name = groupOfArn(ctx, resourceArn);
  if (name === undefined) throw groupNotFound(resourceArn);
  return existing(deps, ctx, name);
}

export async function tagResource(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'TagResource'>): Promise<CallOutput<'scheduler', 'TagResource'>> {
  const g = await taggedGroup(deps, ctx, input.ResourceArn!);
  await deps.repo.setGroupTags(ctx, g.name, tagMap(g.tags, input.Tags ?? []));
  return {};
}

export async function untagResource(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'UntagResource'>): Promise<CallOutput<'scheduler', 'UntagResource'>> {
  const g = await taggedGroup(deps, ctx, input.ResourceArn!);
  const tags = { ...g.tags };
  for (const k of input.TagKeys ?? []) delete tags[k];
  await deps.repo.setGroupTags(ctx, g.name, tags);
  return {};
}

export async function listTagsForResource(deps: SchedulerDeps, ctx: Ctx, input: CallInput<'scheduler', 'ListTagsForResource'>): Promise<CallOutput<'scheduler', 'ListTagsForResource'>> {
  const g = await taggedGroup(deps, ctx, input.ResourceArn!);
  return { Tags: tagList(g.tags) };
}
