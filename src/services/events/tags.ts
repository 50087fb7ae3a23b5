/** TagResource, UntagResource, ListTagsForResource for event buses and rules (by ARN). */
import type { Tag } from '@aws-sdk/client-eventbridge';
import { parseArn } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { EventsDeps } from './deps.ts';
import { DEFAULT_BUS, validation } from './names.ts';
import type { In, Out } from './types.ts';

const MAX_TAGS = 50;

export function tagMap(list: Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) out[t.Key!] = t.Value!;
  if (Object.keys(out).length > MAX_TAGS) throw new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
  return out;
}

type Resource = { kind: 'bus'; bus: string } | { kind: 'rule'; bus: string; rule: string };

function resourceOf(ctx: Ctx, arn: string): Resource {
  const a = parseArn(arn);
  const notFound = () => new ServiceError('ResourceNotFoundException', `Resource ${arn} does not exist.`);
  if (!a || a.service !== 'events') throw validation(`Parameter ResourceARN is not valid. Reason: ${arn} is not an event bus or rule ARN.`);
  if (a.account !== ctx.account || a.region !== ctx.region) throw notFound();
  const [kind, ...rest] = a.resource.split('/');
  if (kind === 'event-bus' && rest.length === 1) return { kind: 'bus', bus: rest[0]! };
  if (kind === 'rule' && rest.length === 1) return { kind: 'rule', bus: DEFAULT_BUS, rule: rest[0]! };
  if (kind === 'rule' && rest.length === 2) return { kind: 'rule', bus: rest[0]!, rule: rest[1]! };
  throw validation(`Parameter ResourceARN is not valid. Reason: ${arn} is not an event bus or rule ARN.`);
}

async function read(deps: EventsDeps, ctx: Ctx, arn: string): Promise<{ r: Resource; tags: Record<string, string> }> {
  const r = resourceOf(ctx, arn);
  if (r.kind === 'bus' && r.bus === DEFAULT_BUS) await deps.repo.ensureDefaultBus(ctx, deps.clock.now());
  const found = r.kind === 'bus' ? await deps.repo.getBus(ctx, r.bus) : await deps.repo.getRule(ctx, r.bus, r.rule);
  if (!found) throw new ServiceError('ResourceNotFoundException', r.kind === 'bus' ? `Event bus ${r.bus} does not exist.` : `Rule ${r.rule} does not exist on EventBus ${r.bus}.`);
  return { r, tags: found.tags };
}

async function write(deps: EventsDeps, ctx: Ctx, r: Resource, tags: Record<string, string>): Promise<void> {
  if (Object.keys(tags).length > MAX_TAGS) throw new ServiceError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.');
  if (r.kind === 'bus') await deps.repo.updateBus(ctx, r.bus, { tags });
  else await deps.repo.setRuleTags(ctx, r.bus, r.rule, tags);
}

export async function tagResource(deps: EventsDeps, ctx: Ctx, input: In<'TagResource'>): Promise<Out<'TagResource'>> {
  const { r, tags } = await read(deps, ctx, input.ResourceARN!);
  await write(deps, ctx, r, { ...tags, ...tagMap(input.Tags) });
  return {};
}

export async function untagResource(deps: EventsDeps, ctx: Ctx, input: In<'UntagResource'>): Promise<Out<'UntagResource'>> {
  const { r, tags } = await read(deps, ctx, input.ResourceARN!);
  for (const k of input.TagKeys ?? []) delete tags[k];
  await write(deps, ctx, r, tags);
  return {};
}

export async function listTagsForResource(deps: EventsDeps, ctx: Ctx, input: In<'ListTagsForResource'>): Promise<Out<'ListTagsForResource'>> {
  const { tags } = await read(deps, ctx, input.ResourceARN!);
  return { Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) };
}
