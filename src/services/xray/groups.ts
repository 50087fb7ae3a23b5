/**
 * X-Ray groups: a name and a filter expression (checked when saved) that GetServiceGraph and
 * `group.name = "…"` filters use. Every region has the `Default` group, which holds all traces and
 * cannot be changed or deleted.
 */
import { randomBytes } from 'node:crypto';
import type {
  CreateGroupRequest, CreateGroupResult, DeleteGroupRequest, DeleteGroupResult, GetGroupRequest, GetGroupResult, GetGroupsResult, Group, UpdateGroupRequest, UpdateGroupResult,
} from '@aws-sdk/client-xray';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { filterError, invalidRequest } from './errors.ts';
import { parseFilterExpression } from './filter-expression/index.ts';
import type { GroupRecord } from './repo.ts';
import { checkTags } from './tag-checks.ts';

const DEFAULT_GROUP = 'Default';
/** "Groups per Region: 25" (X-Ray service quotas), the Default group not counted. */
export const MAX_GROUPS = 25;
const GROUP_NAME = /^[A-Za-z0-9_.-]{1,32}$/;

function defaultGroup(ctx: Ctx): GroupRecord {
  return { name: DEFAULT_GROUP, arn: `arn:aws:xray:${ctx.region}:${ctx.account}:group/${DEFAULT_GROUP}`, insightsEnabled: false, notificationsEnabled: false };
}

function toApi(g: GroupRecord): Group {
  return {
    GroupName: g.name, GroupARN: g.arn, ...(g.filterExpression ? { FilterExpression: g.filterExpression } : {}),
    InsightsConfiguration: { InsightsEnabled: g.insightsEnabled, NotificationsEnabled: g.notificationsEnabled },
  };
}

function checkExpression(expression: string | undefined): void {
  if (expression === undefined) return;
  try {
    parseFilterExpression(expression);
  } catch (e) {
    filterError(e);
  }
}

async function find(deps: XrayDeps, ctx: Ctx, input: { GroupName?: string; GroupARN?: string }): Promise<GroupRecord> {
  if (!input.GroupName && !input.GroupARN) throw invalidRequest('Either GroupName or GroupARN is required.');
  const all = [defaultGroup(ctx), ...(await deps.repo.groups(ctx))];
  const g = all.find((x) => (input.GroupName ? x.name === input.GroupName : x.arn === input.GroupARN));
  if (!g) throw invalidRequest(`Group not found: ${input.GroupName ?? input.GroupARN}`);
  return g;
}

export async function createGroup(deps: XrayDeps, ctx: Ctx, input: CreateGroupRequest): Promise<CreateGroupResult> {
  const name = input.GroupName ?? '';
  if (!GROUP_NAME.test(name)) throw invalidRequest('GroupName must be 1-32 characters of letters, numbers, periods, underscores and hyphens.');
  if (name === DEFAULT_GROUP || await deps.repo.group(ctx, name)) throw invalidRequest(`Group ${name} already exists.`);
  if ((await deps.repo.groups(ctx)).length >= MAX_GROUPS) throw invalidRequest(`You have reached the maximum of ${MAX_GROUPS} groups in this Region.`);
  checkExpression(input.FilterExpression);
  const arn = `arn:aws:xray:${ctx.region}:${ctx.account}:group/${name}/${randomBytes(13).toString('hex').toUpperCase()}`;
  const tags = await checkTags(deps, ctx, arn, input.Tags ?? []);
  const g: GroupRecord = {
    name, arn,
    ...(input.FilterExpression ? { filterExpression: input.FilterExpression } : {}),
    insightsEnabled: input.InsightsConfiguration?.InsightsEnabled ?? false,
    notificationsEnabled: input.InsightsConfiguration?.NotificationsEnabled ?? false,
  };
  await deps.repo.putGroup(ctx, g);
  await deps.repo.putTags(ctx, arn, tags);
  return { Group: toApi(g) };
}

export async function getGroup(deps: XrayDeps, ctx: Ctx, input: GetGroupRequest): Promise<GetGroupResult> {
  return { Group: toApi(await find(deps, ctx, input)) };
}

export async function getGroups(deps: XrayDeps, ctx: Ctx): Promise<GetGroupsResult> {
  return { Groups: [defaultGroup(ctx), ...(await deps.repo.groups(ctx))].map(toApi) };
}

export async function updateGroup(deps: XrayDeps, ctx: Ctx, input: UpdateGroupRequest): Promise<UpdateGroupResult> {
  const g = await find(deps, ctx, input);
  if (g.name === DEFAULT_GROUP) throw invalidRequest('The Default group cannot be updated.');
  // An empty expression clears the filter (the group then holds every trace, as one created without).
  const cleared = input.FilterExpression === '';
  if (!cleared) checkExpression(input.FilterExpression);
  const { filterExpression: _old, ...rest } = g;
  const next: GroupRecord = {
    ...(cleared ? rest : g),
    ...(input.FilterExpression ? { filterExpression: input.FilterExpression } : {}),
    insightsEnabled: input.InsightsConfiguration?.InsightsEnabled ?? g.insightsEnabled,
    notificationsEnabled: input.InsightsConfiguration?.NotificationsEnabled ?? g.notificationsEnabled,
  };
  await deps.repo.putGroup(ctx, next);
  return { Group: toApi(next) };
}

export async function deleteGroup(deps: XrayDeps, ctx: Ctx, input: DeleteGroupRequest): Promise<DeleteGroupResult> {
  const g = await find(deps, ctx, input);
  if (g.name === DEFAULT_GROUP) throw invalidRequest('The Default group cannot be deleted.');
  await deps.repo.deleteGroup(ctx, g.name);
  await deps.repo.removeTags(ctx, g.arn);
  return {};
}
