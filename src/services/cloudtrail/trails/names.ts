/** Trail names and ARNs: AWS's naming rules and how an operation's `Name`/`TrailName` finds a trail. */
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { arn, parseArn } from '../../../lib/arn.ts';
import type { Trail, TrailRepo } from './types.ts';

export const trailArn = (scope: { account: string; region: string }, name: string): string => arn('cloudtrail', scope, `trail/${name}`);

const invalidName = (msg: string) => new ServiceError('InvalidTrailNameException', msg);

/** AWS's trail-name rules (CreateTrail: "Name"); throws InvalidTrailNameException with AWS's wording. */
export function checkTrailName(name: string): void {
  if (name.length < 3) throw invalidName(`Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`);
  if (name.length > 128) throw invalidName(`Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`);
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw invalidName('Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  }
  if (!/^[A-Za-z0-9]/.test(name)) throw invalidName('Trail name must starts with a letter or number.');
  if (!/[A-Za-z0-9]$/.test(name)) throw invalidName('Trail name must ends with a letter or number.');
  if (/[._-]{2}/.test(name)) throw invalidName('Trail name cannot have adjacent periods, underscores or dashes (such as my._trail or my--trail).');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) throw invalidName('Trail name cannot be formatted as an IP address (such as 192.168.5.4).');
}

export const isArn = (v: string): boolean => v.startsWith('arn:');

/** A trail ARN's parts; CloudTrailARNInvalidException when it is not one. */
export function parseTrailArn(value: string): { account: string; region: string; name: string } {
  const p = parseArn(value);
  const name = p?.resource.startsWith('trail/') ? p.resource.slice('trail/'.length) : '';
  if (!p || p.service !== 'cloudtrail' || !p.region || !/^\d{12}$/.test(p.account) || name === '') {
    throw new ServiceError('CloudTrailARNInvalidException', `ARN ${value} is invalid.`);
  }
  return { account: p.account, region: p.region, name };
}

export const trailNotFound = (ctx: Ctx, nameOrArn: string): ServiceError =>
  new ServiceError('TrailNotFoundException', `Unknown trail: ${isArn(nameOrArn) ? nameOrArn : trailArn(ctx, nameOrArn)} for the user: ${ctx.account}`);

/**
 * The trail an operation names, by name (a trail of this region, or a multi-region trail's shadow)
 * or by ARN (any region of the caller's account). `home`: the operation changes the trail, which
 * AWS allows only in its home region.
 */
export function findTrail(repo: TrailRepo, ctx: Ctx, nameOrArn: string | undefined, opts: { home?: boolean } = {}): Trail {
  if (nameOrArn === undefined || nameOrArn === '') throw new ServiceError('TrailNotProvidedException', 'Trail name or ARN must be specified.');
  let trail: Trail | undefined;
  if (isArn(nameOrArn)) {
    const ref = parseTrailArn(nameOrArn);
    // Another account's trail is unknown to the caller, whatever its ARN says.
    trail = ref.account === ctx.account ? repo.get(nameOrArn) : undefined;
  } else {
    checkTrailName(nameOrArn);
    trail = repo.trailsFor(ctx.account, ctx.region).find((t) => t.name === nameOrArn);
  }
  if (!trail) throw trailNotFound(ctx, nameOrArn);
  if (opts.home && trail.region !== ctx.region) {
    throw new ServiceError('InvalidHomeRegionException',
      `The trail ${trail.arn} was created in ${trail.region}; update, delete or start and stop logging for it only in its home region ${trail.region}.`);
  }
  return trail;
}
