/** AddTags, RemoveTags, ListTags for trails (ResourceId / ResourceIdList are trail ARNs). */
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { parseTrailArn } from './names.ts';
import { mergeTags, tagList } from './tag-list.ts';

type Deps = Pick<CloudTrailDeps, 'trails'>;

/** ListTags takes at most 20 resources per call (AWS's limit). */
const MAX_RESOURCES = 20;

async function trailTags(deps: Deps, ctx: Ctx, resourceId: string | undefined): Promise<{ arn: string; tags: Record<string, string> }> {
  const id = resourceId ?? '';
  const ref = parseTrailArn(id);
  const tags = ref.account === ctx.account ? await deps.trails.tags(id) : undefined;
  if (!tags) throw new ServiceError('ResourceNotFoundException', `Resource ${id} was not found.`);
  return { arn: id, tags };
}

export async function addTags(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'AddTags'>): Promise<CallOutput<'cloudtrail', 'AddTags'>> {
  const { arn, tags } = await trailTags(deps, ctx, input.ResourceId);
  await deps.trails.setTags(arn, mergeTags(tags, input.TagsList ?? []));
  return {};
}

export async function removeTags(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'RemoveTags'>): Promise<CallOutput<'cloudtrail', 'RemoveTags'>> {
  const { arn, tags } = await trailTags(deps, ctx, input.ResourceId);
  // AWS removes a tag named in the list; a given Value must match the tag's.
  for (const t of input.TagsList ?? []) {
    if (t.Key !== undefined && (t.Value === undefined || tags[t.Key] === t.Value)) delete tags[t.Key];
  }
  await deps.trails.setTags(arn, tags);
  return {};
}

export async function listTags(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'ListTags'>): Promise<CallOutput<'cloudtrail', 'ListTags'>> {
  const ids = input.ResourceIdList ?? [];
  if (ids.length > MAX_RESOURCES) {
    throw new ServiceError('InvalidParameterException', `ResourceIdList can name at most ${MAX_RESOURCES} resources; ${ids.length} were given.`);
  }
  const list = [];
  for (const id of ids) list.push({ ResourceId: id, TagsList: tagList((await trailTags(deps, ctx, id)).tags) });
  return { ResourceTagList: list };
}
