/** AddTagsToResource, RemoveTagsFromResource, ListTagsForResource for ResourceType Parameter. */
import type { Tag } from '@aws-sdk/client-ssm';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { SsmDeps } from './deps.ts';
import { parseSelector, validation } from './names.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const MAX_TAGS = 50;

export function tagsFromList(list: Tag[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list) {
    if (t.Key!.toLowerCase().startsWith('aws:')) throw validation(`Tag keys beginning with aws: are reserved: ${t.Key}`);
    out[t.Key!] = t.Value!;
  }
  if (Object.keys(out).length > MAX_TAGS) throw new ServiceError('TooManyTagsError', `A resource can have at most ${MAX_TAGS} tags.`);
  return out;
}

/** Only parameters are served here; other Systems Manager resource types get AWS's error. */
async function parameterTags(deps: SsmDeps, ctx: Ctx, type: string | undefined, id: string | undefined): Promise<{ name: string; tags: Record<string, string> }> {
  if (type !== 'Parameter') {
    throw new ServiceError('InvalidResourceType', `The resource type ${type} is not served by Osprey's Systems Manager, which holds only Parameter Store parameters.`);
  }
  const name = parseSelector(ctx, id!).name;
  const tags = await deps.repo.tags(ctx, name);
  if (!tags) throw new ServiceError('InvalidResourceId', `The resource ID ${id} is not valid. Verify the ID and try again.`);
  return { name, tags };
}

export async function addTagsToResource(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'AddTagsToResource'>): Promise<CallOutput<'ssm', 'AddTagsToResource'>> {
  const { name, tags } = await parameterTags(deps, ctx, input.ResourceType, input.ResourceId);
  await deps.repo.setTags(ctx, name, tagsFromList([...Object.entries(tags).map(([Key, Value]) => ({ Key, Value })), ...(input.Tags ?? [])]));
  return {};
}

export async function removeTagsFromResource(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'RemoveTagsFromResource'>): Promise<CallOutput<'ssm', 'RemoveTagsFromResource'>> {
  const { name, tags } = await parameterTags(deps, ctx, input.ResourceType, input.ResourceId);
  for (const k of input.TagKeys ?? []) delete tags[k];
  await deps.repo.setTags(ctx, name, tags);
  return {};
}

export async function listTagsForResource(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'ListTagsForResource'>): Promise<CallOutput<'ssm', 'ListTagsForResource'>> {
  const { tags } = await parameterTags(deps, ctx, input.ResourceType, input.ResourceId);
  return { TagList: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
}
