/**
 * Tags on canaries and groups: TagResource, UntagResource, ListTagsForResource (50 per resource,
 * `aws:` keys reserved). Only this account's and Region's ARNs resolve; anything else is
 * NotFoundException, as for a resource that does not exist.
 */
import { parseArn } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { SyntheticsDeps } from './deps.ts';

const MAX_TAGS = 50;

const badRequest = (message: string): ServiceError => new ServiceError('BadRequestException', message);

/** `current` with `add` merged in; AWS's limits checked. `wrap` turns a message into the operation's error. */
export function checkTags(current: Record<string, string>, add: Record<string, string>, wrap = (m: string) => new ServiceError('ValidationException', m)): Record<string, string> {
  const out = { ...current };
  for (const [k, v] of Object.entries(add)) {
    if (k.toLowerCase().startsWith('aws:')) throw wrap(`Tag keys beginning with aws: are reserved: ${k}`);
    out[k] = v;
  }
  if (Object.keys(out).length > MAX_TAGS) throw wrap(`A resource can have at most ${MAX_TAGS} tags.`);
  return out;
}

type Target = { kind: 'canary'; name: string } | { kind: 'group'; id: string };

function targetOf(ctx: Ctx, arn: string): Target {
  const p = parseArn(arn);
  const notFound = new ServiceError('NotFoundException', `Resource ${arn} does not exist.`, { status: 404 });
  if (!p || p.service !== 'synthetics' || p.account !== ctx.account || p.region !== ctx.region) throw notFound;
  const [kind, id] = [p.resource.slice(0, p.resource.indexOf(':')), p.resource.slice(p.resource.indexOf(':') + 1)];
  if (kind === 'canary') return { kind, name: id };
  if (kind === 'group') return { kind, id };
  throw notFound;
}

async function tagsOf(deps: SyntheticsDeps, ctx: Ctx, arn: string): Promise<{ tags: Record<string, string>; save(t: Record<string, string>): Promise<void> }> {
  const t = targetOf(ctx, arn);
  const notFound = new ServiceError('NotFoundException', `Resource ${arn} does not exist.`, { status: 404 });
  if (t.kind === 'canary') {
    const c = await deps.repo.canary(ctx, t.name);
    if (!c) throw notFound;
    return { tags: c.tags, save: (tags) => deps.repo.updateCanary(ctx, c.name, { tags }) };
  }
  const g = await deps.repo.group(ctx, t.id);
  if (!g || g.id !== t.id) throw notFound;
  return { tags: g.tags, save: (tags) => deps.repo.setGroupTags(ctx, g.id, tags) };
}

export async function tagResource(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'TagResource'>): Promise<CallOutput<'synthetics', 'TagResource'>> {
  const r = await tagsOf(deps, ctx, input.ResourceArn!);
  await r.save(checkTags(r.tags, input.Tags ?? {}, badRequest));
  return {};
}

export async function untagResource(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'UntagResource'>): Promise<CallOutput<'synthetics', 'UntagResource'>> {
  const r = await tagsOf(deps, ctx, input.ResourceArn!);
  const tags = { ...r.tags };
  for (const k of input.TagKeys ?? []) delete tags[k];
  await r.save(tags);
  return {};
}

export async function listTagsForResource(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'ListTagsForResource'>): Promise<CallOutput<'synthetics', 'ListTagsForResource'>> {
  return { Tags: (await tagsOf(deps, ctx, input.ResourceArn!)).tags };
}
