/** TagQueue, UntagQueue, ListQueueTags, and AWS's tag limits. */
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { resolveQueue, type SqsDeps } from './deps.ts';

const MAX_TAGS = 50;

export function checkTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw new ServiceError('InvalidParameterValue', `Too many tags added for queue. A queue can have at most ${MAX_TAGS} tags.`);
  for (const [k, v] of Object.entries(tags)) {
    if (k.length < 1 || k.length > 128) throw new ServiceError('InvalidParameterValue', `Tag key ${k} must be 1 to 128 characters.`);
    if (v.length > 256) throw new ServiceError('InvalidParameterValue', `Tag value for key ${k} must be at most 256 characters.`);
    if (k.toLowerCase().startsWith('aws:')) throw new ServiceError('InvalidParameterValue', 'Tag keys must not start with aws:.');
  }
}

export async function tagQueue(deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'TagQueue'>): Promise<CallOutput<'sqs', 'TagQueue'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'TagQueue');
  const tags = { ...q.tags, ...input.Tags };
  checkTags(tags);
  await deps.repo.setTags(q.id, tags);
  return {};
}

export async function untagQueue(deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'UntagQueue'>): Promise<CallOutput<'sqs', 'UntagQueue'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'UntagQueue');
  const tags = { ...q.tags };
  for (const k of input.TagKeys ?? []) delete tags[k];
  await deps.repo.setTags(q.id, tags);
  return {};
}

export async function listQueueTags(deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'ListQueueTags'>): Promise<CallOutput<'sqs', 'ListQueueTags'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'ListQueueTags');
  return Object.keys(q.tags).length > 0 ? { Tags: q.tags } : {};
}
