/** TagResource / UntagResource / ListTagsForResource for alarm ARNs. */
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { AlarmDeps } from './deps.ts';
import { alarmNameFromArn } from './arn.ts';

const MAX_TAGS = 50;

function alarmFor(d: AlarmDeps, ctx: Ctx, arn: string) {
  const name = alarmNameFromArn(arn, ctx);
  const a = name === undefined ? undefined : d.repo.get(ctx.account, ctx.region, name);
  if (a === undefined) throw new ServiceError('ResourceNotFoundException', `The resource ${arn} does not exist.`, { status: 404 });
  return a;
}

export function tagResource(d: AlarmDeps, ctx: Ctx, input: { ResourceARN: string; Tags: { Key: string; Value: string }[] }) {
  const a = alarmFor(d, ctx, input.ResourceARN);
  const tags = { ...a.tags, ...Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value])) };
  if (Object.keys(tags).length > MAX_TAGS) throw new ServiceError('LimitExceededException', `A resource can have at most ${MAX_TAGS} tags.`);
  d.repo.setTags(a.account, a.region, a.name, tags);
  return {};
}

export function untagResource(d: AlarmDeps, ctx: Ctx, input: { ResourceARN: string; TagKeys: string[] }) {
  const a = alarmFor(d, ctx, input.ResourceARN);
  const tags = { ...a.tags };
  for (const k of input.TagKeys) delete tags[k];
  d.repo.setTags(a.account, a.region, a.name, tags);
  return {};
}

export function listTagsForResource(d: AlarmDeps, ctx: Ctx, input: { ResourceARN: string }) {
  const a = alarmFor(d, ctx, input.ResourceARN);
  return { Tags: Object.entries(a.tags).map(([Key, Value]) => ({ Key, Value })) };
}
