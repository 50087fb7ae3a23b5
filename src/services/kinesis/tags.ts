/**
 * Stream tags (AddTagsToStream, RemoveTagsFromStream, ListTagsForStream) and the ARN-based tag API
 * (TagResource, UntagResource, ListTagsForResource), which also tags consumers.
 */
import type { Tag } from '@aws-sdk/client-kinesis';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { resolveStream, type KinesisDeps } from './deps.ts';
import { resolveConsumerArn } from './consumers.ts';
import { checkTags, MAX_TAGS } from './tag-rules.ts';

const tagList = (tags: Record<string, string>): Tag[] =>
  Object.keys(tags).sort().map((k) => ({ Key: k, ...(tags[k] !== '' ? { Value: tags[k] } : {}) }));

/** The tags of a stream or consumer ARN, and how to store them. */
interface TagTarget { tags: Record<string, string>; save(tags: Record<string, string>): Promise<void> }

async function tagTarget(deps: KinesisDeps, ctx: Ctx, resourceArn: string): Promise<TagTarget> {
  if (/:stream\/[^/]+\/consumer\//.test(resourceArn)) {
    const { stream, consumer } = await resolveConsumerArn(deps, ctx, resourceArn);
    return { tags: consumer.tags, save: (tags) => deps.repo.setConsumerTags(stream.id, consumer.name, tags) };
  }
  const s = await resolveStream(deps, ctx, { StreamARN: resourceArn });
  return { tags: s.tags, save: (tags) => deps.repo.updateStream({ ...s, tags }) };
}

async function addTags(target: TagTarget, add: Record<string, string>): Promise<void> {
  const tags = { ...target.tags, ...add };
  checkTags(tags);
  await target.save(tags);
}

async function removeTags(target: TagTarget, keys: readonly string[]): Promise<void> {
  const tags = { ...target.tags };
  for (const k of keys) delete tags[k];
  await target.save(tags);
}

const streamTarget = async (deps: KinesisDeps, ctx: Ctx, input: { StreamName?: string; StreamARN?: string }): Promise<TagTarget> => {
  const s = await resolveStream(deps, ctx, input);
  return { tags: s.tags, save: (tags) => deps.repo.updateStream({ ...s, tags }) };
};

export async function addTagsToStream(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'AddTagsToStream'>): Promise<CallOutput<'kinesis', 'AddTagsToStream'>> {
  await addTags(await streamTarget(deps, ctx, input), input.Tags ?? {});
  return {};
}

export async function removeTagsFromStream(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'RemoveTagsFromStream'>): Promise<CallOutput<'kinesis', 'RemoveTagsFromStream'>> {
  await removeTags(await streamTarget(deps, ctx, input), input.TagKeys ?? []);
  return {};
}

export async function listTagsForStream(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'ListTagsForStream'>): Promise<CallOutput<'kinesis', 'ListTagsForStream'>> {
  const all = tagList((await resolveStream(deps, ctx, input)).tags).filter((t) => input.ExclusiveStartTagKey === undefined || t.Key! > input.ExclusiveStartTagKey);
  const limit = input.Limit ?? MAX_TAGS;
  return { Tags: all.slice(0, limit), HasMoreTags: all.length > limit };
}

export async function tagResource(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'TagResource'>): Promise<CallOutput<'kinesis', 'TagResource'>> {
  await addTags(await tagTarget(deps, ctx, input.ResourceARN!), input.Tags ?? {});
  return {};
}

export async function untagResource(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'UntagResource'>): Promise<CallOutput<'kinesis', 'UntagResource'>> {
  await removeTags(await tagTarget(deps, ctx, input.ResourceARN!), input.TagKeys ?? []);
  return {};
}

export async function listTagsForResource(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'ListTagsForResource'>): Promise<CallOutput<'kinesis', 'ListTagsForResource'>> {
  return { Tags: tagList((await tagTarget(deps, ctx, input.ResourceARN!)).tags) };
}
