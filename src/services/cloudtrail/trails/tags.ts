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

function trailTags(deps: Deps, ctx: Ctx, resourceId: string | undefined): { arn: string; tags: Record<string, string> } {
  const id = resourceId ?? '';
  const ref = parseTrailArn(id);
  const tags = ref.account === ctx.account ? deps.trails.tags(id) : undefined;
  if (!tags) throw new ServiceError('ResourceNotFoundException', `Resource ${id} was not found.`);
  return { arn: id, tags };
}

export function addTags(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'AddTags'>): CallOutput<'cloudtrail', 'AddTags'> {
  const { arn, tags } = trailTags(deps, ctx, input.ResourceId);
  deps.trails.setTags(arn, mergeTags(tags, input.TagsList ?? []));
  return {};
}

export function removeTags(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'RemoveTags'>): CallOutput<'cloudtrail', 'RemoveTags'> {
  const { arn, tags } = trailTags(deps, ctx, input.ResourceId);
  // AWS removes a tag named in the list; a given Value must match the tag's.
  for (const t of input.TagsList ?? []) {
    if (t.Key !== undefined && (t.Value === undefined || tags[t.Key] === t.Value)) delete tags[t.Key];
  }
  deps.trails.setTags(arn, tags);
  return {};
}

export function listTags(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'ListTags'>): CallOutput<'cloudtrail', 'ListTags'> {
  const ids = input.ResourceIdList ?? [];
  if (ids.length > MAX_RESOURCES) {
    throw new ServiceError('InvalidParameterException', `ResourceIdList can name at most ${MAX_RESOURCES} resources; ${ids.length} were given.`);
  }
  return { ResourceTagList: ids.map((id) => ({ ResourceId: id, TagsList: tagList(trailTags(deps, ctx, id).tags) })) };
}
