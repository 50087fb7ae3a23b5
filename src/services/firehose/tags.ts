/** TagDeliveryStream, UntagDeliveryStream, ListTagsForDeliveryStream, Start/StopDeliveryStreamEncryption. */
import type { Tag } from '@aws-sdk/client-firehose';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { resolveStream, type FirehoseDeps } from './deps.ts';
import { invalid } from './destination.ts';

const MAX_TAGS = 50;

export function checkTags(tags: Tag[]): void {
  if (tags.length > MAX_TAGS) throw new ServiceError('LimitExceededException', `A Firehose stream can have at most ${MAX_TAGS} tags.`);
  for (const t of tags) {
    if ((t.Key ?? '').toLowerCase().startsWith('aws:')) throw invalid(`Tag key ${t.Key} is invalid: keys must not start with aws:.`);
  }
}

export async function tagDeliveryStream(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'TagDeliveryStream'>): Promise<CallOutput<'firehose', 'TagDeliveryStream'>> {
  const s = await resolveStream(deps, ctx, input.DeliveryStreamName);
  const byKey = new Map(s.tags.map((t) => [t.Key!, t]));
  for (const t of input.Tags ?? []) byKey.set(t.Key!, t);
  const tags = [...byKey.values()];
  checkTags(tags);
  await deps.repo.update(s.id, { tags, updatedAt: s.updatedAt });
  return {};
}

export async function untagDeliveryStream(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'UntagDeliveryStream'>): Promise<CallOutput<'firehose', 'UntagDeliveryStream'>> {
  const s = await resolveStream(deps, ctx, input.DeliveryStreamName);
  const drop = new Set(input.TagKeys ?? []);
  await deps.repo.update(s.id, { tags: s.tags.filter((t) => !drop.has(t.Key!)), updatedAt: s.updatedAt });
  return {};
}

export async function listTagsForDeliveryStream(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'ListTagsForDeliveryStream'>): Promise<CallOutput<'firehose', 'ListTagsForDeliveryStream'>> {
  const s = await resolveStream(deps, ctx, input.DeliveryStreamName);
  const sorted = [...s.tags].sort((a, b) => (a.Key! < b.Key! ? -1 : 1)).filter((t) => !input.ExclusiveStartTagKey || t.Key! > input.ExclusiveStartTagKey);
  const limit = input.Limit ?? 50;
  return { Tags: sorted.slice(0, limit), HasMoreTags: sorted.length > limit };
}

export async function startEncryption(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'StartDeliveryStreamEncryption'>): Promise<CallOutput<'firehose', 'StartDeliveryStreamEncryption'>> {
  const s = await resolveStream(deps, ctx, input.DeliveryStreamName);
  if (s.type !== 'DirectPut') throw invalid(`Server-side encryption cannot be configured for a ${s.type} stream.`);
  const e = input.DeliveryStreamEncryptionConfigurationInput ?? { KeyType: 'AWS_OWNED_CMK' };
  if (e.KeyType === 'CUSTOMER_MANAGED_CMK' && !e.KeyARN) throw invalid('KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.');
  if (e.KeyType === 'AWS_OWNED_CMK' && e.KeyARN) throw invalid('KeyARN must not be given when KeyType is AWS_OWNED_CMK.');
  await deps.repo.update(s.id, { encryption: { KeyType: e.KeyType!, ...(e.KeyARN ? { KeyARN: e.KeyARN } : {}), Status: 'ENABLED' }, updatedAt: s.updatedAt });
  return {};
}

export async function stopEncryption(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'StopDeliveryStreamEncryption'>): Promise<CallOutput<'firehose', 'StopDeliveryStreamEncryption'>> {
  const s = await resolveStream(deps, ctx, input.DeliveryStreamName);
  if (s.type !== 'DirectPut') throw invalid(`Server-side encryption cannot be configured for a ${s.type} stream.`);
  await deps.repo.update(s.id, { encryption: { KeyType: s.encryption?.KeyType ?? 'AWS_OWNED_CMK', Status: 'DISABLED' }, updatedAt: s.updatedAt });
  return {};
}
