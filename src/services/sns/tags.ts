/** TagResource, UntagResource, ListTagsForResource (topics are SNS's only taggable resource). */
import type { Tag } from '@aws-sdk/client-sns';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { TopicKey } from '../../store/meta/sns.ts';
import type { SnsDeps } from './deps.ts';
import { invalidParameter, parseTopicArn, required } from './names.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const MAX_TAGS = 50;

export function tagsFromList(list: Tag[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list) {
    const key = required(t.Key, 'Key');
    const value = required(t.Value, 'Value');
    if (key.length < 1 || key.length > 128) throw invalidParameter('Tags', `tag key '${key}' must be 1 to 128 characters long`);
    if (value.length > 256) throw invalidParameter('Tags', `the value of tag '${key}' must be at most 256 characters long`);
    if (key.toLowerCase().startsWith('aws:')) throw invalidParameter('Tags', 'tag keys starting with aws: are reserved');
    out[key] = value;
  }
  return out;
}

export function checkTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) {
    throw new ServiceError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
  }
}

const resourceNotFound = () => new ServiceError('ResourceNotFound', 'Resource does not exist');

function resourceKey(ctx: Ctx, arn: string | undefined): TopicKey {
  const k = parseTopicArn(arn);
  if (!k) throw invalidParameter('ResourceArn');
  if (k.account !== ctx.account || k.region !== ctx.region) throw resourceNotFound();
  return k;
}

async function loadTags(deps: SnsDeps, k: TopicKey): Promise<Record<string, string>> {
  const topic = await deps.repo.getTopic(k);
  if (!topic) throw resourceNotFound();
  return topic.tags;
}

export async function tagResource(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'TagResource'>): Promise<CallOutput<'sns', 'TagResource'>> {
  const k = resourceKey(ctx, input.ResourceArn);
  const tags = { ...(await loadTags(deps, k)), ...tagsFromList(required(input.Tags, 'Tags')) };
  checkTags(tags);
  if (!(await deps.repo.updateTopic(k, { tags }))) throw resourceNotFound();
  return {};
}

export async function untagResource(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'UntagResource'>): Promise<CallOutput<'sns', 'UntagResource'>> {
  const k = resourceKey(ctx, input.ResourceArn);
  const tags = { ...(await loadTags(deps, k)) };
  for (const key of required(input.TagKeys, 'TagKeys')) delete tags[key];
  if (!(await deps.repo.updateTopic(k, { tags }))) throw resourceNotFound();
  return {};
}

export async function listTagsForResource(
  deps: SnsDeps,
  ctx: Ctx,
  input: CallInput<'sns', 'ListTagsForResource'>,
): Promise<CallOutput<'sns', 'ListTagsForResource'>> {
  const tags = await loadTags(deps, resourceKey(ctx, input.ResourceArn));
  return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
}
