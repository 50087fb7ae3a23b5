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
function tagTarget(deps: KinesisDeps, ctx: Ctx, resourceArn: string): { tags: Record<string, string>; save(tags: Record<string, string>): void } {
  if (/:stream\/[^/]+\/consumer\//.test(resourceArn)) {
    const { stream, consumer } = resolveConsumerArn(deps, ctx, resourceArn);
    return { tags: consumer.tags, save: (tags) => deps.repo.setConsumerTags(stream.id, consumer.name, tags) };
  }
  const s = resolveStream(deps, ctx, { StreamARN: resourceArn });
  return { tags: s.tags, save: (tags) => deps.repo.updateStream({ ...s, tags }) };
}

function addTags(target: ReturnType<typeof tagTarget>, add: Record<string, string>): void {
  const tags = { ...target.tags, ...add };
  checkTags(tags);
  target.save(tags);
}

function removeTags(target: ReturnType<typeof tagTarget>, keys: readonly string[]): void {
  const tags = { ...target.tags };
  for (const k of keys) delete tags[k];
  target.save(tags);
}

const streamTarget = (deps: KinesisDeps, ctx: Ctx, input: { StreamName?: string; StreamARN?: string }): ReturnType<typeof tagTarget> => {
  const s = resolveStream(deps, ctx, input);
  return { tags: s.tags, save: (tags) => deps.repo.updateStream({ ...s, tags }) };
};

export function addTagsToStream(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'AddTagsToStream'>): CallOutput<'kinesis', 'AddTagsToStream'> {
  addTags(streamTarget(deps, ctx, input), input.Tags ?? {});
  return {};
}

export function removeTagsFromStream(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'RemoveTagsFromStream'>): CallOutput<'kinesis', 'RemoveTagsFromStream'> {
  removeTags(streamTarget(deps, ctx, input), input.TagKeys ?? []);
  return {};
}

export function listTagsForStream(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'ListTagsForStream'>): CallOutput<'kinesis', 'ListTagsForStream'> {
  const all = tagList(resolveStream(deps, ctx, input).tags).filter((t) => input.ExclusiveStartTagKey === undefined || t.Key! > input.ExclusiveStartTagKey);
  const limit = input.Limit ?? MAX_TAGS;
  return { Tags: all.slice(0, limit), HasMoreTags: all.length > limit };
}

export function tagResource(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'TagResource'>): CallOutput<'kinesis', 'TagResource'> {
  addTags(tagTarget(deps, ctx, input.ResourceARN!), input.Tags ?? {});
  return {};
}

export function untagResource(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'UntagResource'>): CallOutput<'kinesis', 'UntagResource'> {
  removeTags(tagTarget(deps, ctx, input.ResourceARN!), input.TagKeys ?? []);
  return {};
}

export function listTagsForResource(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'ListTagsForResource'>): CallOutput<'kinesis', 'ListTagsForResource'> {
  return { Tags: tagList(tagTarget(deps, ctx, input.ResourceARN!).tags) };
}
