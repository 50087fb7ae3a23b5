/**
 * Groups: CreateGroup, GetGroup, DeleteGroup, ListGroups, AssociateResource, DisassociateResource,
 * ListGroupResources, ListAssociatedGroups. A group is named case-insensitively uniquely and found by
 * its Id or its name. Quotas: 20 groups, 10 canaries per group. Osprey keeps groups per Region (AWS's
 * are global): a group holds the canaries of its own Region.
 */
import { randomBytes } from 'node:crypto';
import { parseArn } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { MAX_GROUP_RESOURCES, MAX_GROUPS, type SyntheticsDeps } from './deps.ts';
import { canaryNotFound, conflict, groupArn, groupNotFound, validation } from './names.ts';
import { decodeToken, encodeToken } from './paging.ts';
import { groupShape } from './shapes.ts';
import { checkTags } from './tags.ts';
import type { GroupRecord } from './types.ts';

async function existingGroup(deps: SyntheticsDeps, ctx: Ctx, idOrName: string): Promise<GroupRecord> {
  const g = await deps.repo.group(ctx, idOrName);
  if (!g) throw groupNotFound(idOrName);
  return g;
}

/** A canary ARN of this account and Region whose canary exists. */
async function canaryOfArn(deps: SyntheticsDeps, ctx: Ctx, arn: string): Promise<string> {
  const p = parseArn(arn);
  if (!p || p.service !== 'synthetics' || !p.resource.startsWith('canary:')) throw validation(`${arn} is not a canary ARN.`);
  const name = p.resource.slice('canary:'.length);
  if (p.account !== ctx.account || p.region !== ctx.region || !(await deps.repo.canary(ctx, name))) throw canaryNotFound(name);
  return arn;
}

export async function createGroup(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'CreateGroup'>): Promise<CallOutput<'synthetics', 'CreateGroup'>> {
  const name = input.Name!;
  if (await deps.repo.group(ctx, name)) throw conflict(`A group named ${name} already exists.`);
  if ((await deps.repo.countGroups(ctx)) >= MAX_GROUPS) {
    throw new ServiceError('ServiceQuotaExceededException', `You have reached the quota of ${MAX_GROUPS} groups.`, { status: 402 });
  }
  const now = deps.clock.now();
  const g: GroupRecord = { id: randomBytes(13).toString('hex'), name, createdAt: now, modifiedAt: now, tags: checkTags({}, input.Tags ?? {}) };
  if (!(await deps.repo.insertGroup(ctx, g))) throw conflict(`A group named ${name} already exists.`);
  return { Group: groupShape(ctx, g) };
}

export async function getGroup(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'GetGroup'>): Promise<CallOutput<'synthetics', 'GetGroup'>> {
  return { Group: groupShape(ctx, await existingGroup(deps, ctx, input.GroupIdentifier!)) };
}

export async function deleteGroup(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'DeleteGroup'>): Promise<CallOutput<'synthetics', 'DeleteGroup'>> {
  const g = await existingGroup(deps, ctx, input.GroupIdentifier!);
  await deps.repo.deleteGroup(ctx, g.id);
  return {};
}

export async function listGroups(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'ListGroups'>): Promise<CallOutput<'synthetics', 'ListGroups'>> {
  const limit = input.MaxResults ?? 20;
  const rows = await deps.repo.listGroups(ctx, { after: input.NextToken === undefined ? undefined : decodeToken(input.NextToken), limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { Groups: page.map((g) => ({ Id: g.id, Name: g.name, Arn: groupArn(ctx, g.id) })), NextToken: rows.length > limit ? encodeToken(page.at(-1)!.id) : undefined };
}

export async function associateResource(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'AssociateResource'>): Promise<CallOutput<'synthetics', 'AssociateResource'>> {
  const g = await existingGroup(deps, ctx, input.GroupIdentifier!);
  const arn = await canaryOfArn(deps, ctx, input.ResourceArn!);
  const members = await deps.repo.groupResources(ctx, g.id);
  if (!members.includes(arn) && members.length >= MAX_GROUP_RESOURCES) {
    throw new ServiceError('ServiceQuotaExceededException', `A group can contain at most ${MAX_GROUP_RESOURCES} canaries.`, { status: 402 });
  }
  await deps.repo.associate(ctx, g.id, arn);
  return {};
}

export async function disassociateResource(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'DisassociateResource'>): Promise<CallOutput<'synthetics', 'DisassociateResource'>> {
  const g = await existingGroup(deps, ctx, input.GroupIdentifier!);
  if (!(await deps.repo.disassociate(ctx, g.id, input.ResourceArn!))) {
    throw new ServiceError('ResourceNotFoundException', `${input.ResourceArn} is not in group ${g.name}.`, { status: 404 });
  }
  return {};
}

function pageOf<T>(items: T[], token: string | undefined, max: number | undefined, key: (t: T) => string): { page: T[]; next?: string } {
  const after = token === undefined ? '' : decodeToken(token);
  const rest = items.filter((i) => key(i) > after);
  const limit = max ?? 20;
  const page = rest.slice(0, limit);
  return { page, next: rest.length > limit ? encodeToken(key(page.at(-1)!)) : undefined };
}

export async function listGroupResources(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'ListGroupResources'>): Promise<CallOutput<'synthetics', 'ListGroupResources'>> {
  const g = await existingGroup(deps, ctx, input.GroupIdentifier!);
  const { page, next } = pageOf(await deps.repo.groupResources(ctx, g.id), input.NextToken, input.MaxResults, (a) => a);
  return { Resources: page, NextToken: next };
}

export async function listAssociatedGroups(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'ListAssociatedGroups'>): Promise<CallOutput<'synthetics', 'ListAssociatedGroups'>> {
  const arn = await canaryOfArn(deps, ctx, input.ResourceArn!);
  const { page, next } = pageOf(await deps.repo.groupsOf(ctx, arn), input.NextToken, input.MaxResults, (g) => g.id);
  return { Groups: page.map((g) => ({ Id: g.id, Name: g.name, Arn: groupArn(ctx, g.id) })), NextToken: next };
}
