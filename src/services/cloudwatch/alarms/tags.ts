/** TagResource / UntagResource / ListTagsForResource for alarm ARNs. */
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { AlarmRecord } from '../../../store/meta/alarms.ts';
import { required } from '../inputs.ts';
import type { AlarmDeps } from './deps.ts';
import { alarmNameFromArn } from './arn.ts';
import { tagsOf } from './config.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

const MAX_TAGS = 50;

async function alarmFor(d: AlarmDeps, ctx: Ctx, resourceArn: string | undefined): Promise<AlarmRecord> {
  const arn = required(resourceArn, 'ResourceARN');
  const name = alarmNameFromArn(arn, ctx);
  const a = name === undefined ? undefined : await d.repo.get(ctx.account, ctx.region, name);
  if (a === undefined) throw new ServiceError('ResourceNotFoundException', `The resource ${arn} does not exist.`, { status: 404 });
  return a;
}

export async function tagResource(d: AlarmDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'TagResource'>): Promise<CallOutput<'cloudwatch', 'TagResource'>> {
  const a = await alarmFor(d, ctx, input.ResourceARN);
  const tags = { ...a.tags, ...tagsOf(required(input.Tags, 'Tags')) };
  if (Object.keys(tags).length > MAX_TAGS) throw new ServiceError('LimitExceededException', `A resource can have at most ${MAX_TAGS} tags.`);
  await d.repo.setTags(a.account, a.region, a.name, tags);
  return {};
}

export async function untagResource(d: AlarmDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'UntagResource'>): Promise<CallOutput<'cloudwatch', 'UntagResource'>> {
  const a = await alarmFor(d, ctx, input.ResourceARN);
  const tags = { ...a.tags };
  for (const k of required(input.TagKeys, 'TagKeys')) delete tags[k];
  await d.repo.setTags(a.account, a.region, a.name, tags);
  return {};
}

export async function listTagsForResource(d: AlarmDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'ListTagsForResource'>): Promise<CallOutput<'cloudwatch', 'ListTagsForResource'>> {
  const a = await alarmFor(d, ctx, input.ResourceARN);
  return { Tags: Object.entries(a.tags).map(([Key, Value]) => ({ Key, Value })) };
}
