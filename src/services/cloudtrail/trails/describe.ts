/** GetTrail, DescribeTrails, ListTrails: a Region sees its own trails and the account's multi-region trails (shadow trails). */
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { checkTrailName, findTrail, isArn, parseTrailArn } from './names.ts';
import { trailInfo, trailShape } from './shape.ts';
import type { Trail } from './types.ts';

type Deps = Pick<CloudTrailDeps, 'trails'>;

/** ListTrails' page size (AWS does not document one). */
export const LIST_TRAILS_PAGE = 50;

export function getTrail(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'GetTrail'>): CallOutput<'cloudtrail', 'GetTrail'> {
  return { Trail: trailShape(findTrail(deps.trails, ctx, input.Name)) };
}

/**
 * Without names: this Region's trails, plus (includeShadowTrails, the default) the account's
 * multi-region trails homed elsewhere. Names match this Region's trails only; ARNs reach any
 * Region of the caller's account. Unknown names are left out, not an error (as AWS does).
 */
export function describeTrails(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'DescribeTrails'>): CallOutput<'cloudtrail', 'DescribeTrails'> {
  const shadows = input.includeShadowTrails ?? true;
  const visible = deps.trails.trailsFor(ctx.account, ctx.region).filter((t) => shadows || t.region === ctx.region);
  const names = input.trailNameList ?? [];
  if (names.length === 0) return { trailList: visible.map(trailShape) };
  const out: Trail[] = [];
  for (const n of names) {
    let t: Trail | undefined;
    if (isArn(n)) {
      const ref = parseTrailArn(n);
      t = ref.account === ctx.account ? deps.trails.get(n) : undefined;
      if (t && !shadows && t.region !== ctx.region) t = undefined;
    } else {
      checkTrailName(n);
      t = visible.find((x) => x.name === n);
    }
    if (t && !out.includes(t)) out.push(t);
  }
  return { trailList: out.map(trailShape) };
}

/** One page of trails after the token (the last ARN of the previous page, base64). */
export function pageTrails(trails: readonly Trail[], token: string | undefined, size: number): { page: Trail[]; next?: string } {
  let start = 0;
  if (token !== undefined) {
    const after = Buffer.from(token, 'base64url').toString('utf8');
    if (!after.startsWith('arn:')) throw new ServiceError('InvalidTokenException', 'The NextToken is not valid.');
    start = trails.findIndex((t) => t.arn > after);
    if (start === -1) start = trails.length;
  }
  const page = trails.slice(start, start + size);
  const more = start + size < trails.length;
  return { page, ...(more ? { next: Buffer.from(page.at(-1)!.arn, 'utf8').toString('base64url') } : {}) };
}

export function listTrails(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'ListTrails'>): CallOutput<'cloudtrail', 'ListTrails'> {
  const sorted = [...deps.trails.trailsFor(ctx.account, ctx.region)].sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  const { page, next } = pageTrails(sorted, input.NextToken, LIST_TRAILS_PAGE);
  return { Trails: page.map(trailInfo), ...(next ? { NextToken: next } : {}) };
}
