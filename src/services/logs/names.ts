import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import { arn, parseArn } from '../../lib/arn.ts';
import type { GroupKey } from '../../store/meta/logs.ts';

/** `arn:aws:logs:<region>:<account>:log-group:<name>:*` — the form DescribeLogGroups' `arn` has. */
export const logGroupArn = (ctx: Pick<Ctx, 'account' | 'region'>, name: string): string =>
  arn('logs', ctx, `log-group:${name}:*`);

/** The form without the trailing `:*` (DescribeLogGroups' `logGroupArn`, tagging APIs). */
export const logGroupArnBare = (ctx: Pick<Ctx, 'account' | 'region'>, name: string): string =>
  arn('logs', ctx, `log-group:${name}`);

export const logStreamArn = (ctx: Pick<Ctx, 'account' | 'region'>, group: string, stream: string): string =>
  arn('logs', ctx, `log-group:${group}:log-stream:${stream}`);

/**
 * A member the model requires. The protocol layer has already refused a request without it (with
 * this same wording); the SDK types still say `| undefined`, so handlers narrow through here.
 */
export function required<T>(value: T | undefined, member: string): T {
  if (value === undefined) throw missingMember(member);
  return value;
}

/** `member` is the Coral-style path, e.g. `logEvents.3.member.message`. */
export const missingMember = (member: string): ServiceError =>
  new ServiceError('ValidationException', `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);

export const groupNotFound = (): ServiceError =>
  new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');

export const streamNotFound = (): ServiceError =>
  new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');

/**
 * Resolves `logGroupName` / `logGroupIdentifier` (a name or an ARN) to this caller's group key.
 * AWS requires exactly one of the two where both exist.
 */
export function groupKey(ctx: Ctx, input: { logGroupName?: string; logGroupIdentifier?: string }): GroupKey {
  const { logGroupName, logGroupIdentifier } = input;
  if (logGroupName !== undefined && logGroupIdentifier !== undefined) {
    throw new ServiceError('InvalidParameterException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (logGroupName !== undefined) return { account: ctx.account, region: ctx.region, name: logGroupName };
  if (logGroupIdentifier === undefined) {
    throw new ServiceError('InvalidParameterException', 'Either logGroupName or logGroupIdentifier must be specified.');
  }
  return resolveIdentifier(ctx, logGroupIdentifier);
}

/**
 * An ARN-shaped identifier that names no log group is refused in the frame of AWS's validation
 * messages ("1 validation error detected: Value '…' at 'logGroupIdentifier' …"), the one AWS uses
 * for identifiers its pattern refuses (such as the `…:*` form), naming the member (`field`).
 */
export function resolveIdentifier(ctx: Ctx, identifier: string, field = 'logGroupIdentifier'): GroupKey {
  if (!identifier.startsWith('arn:')) return { account: ctx.account, region: ctx.region, name: identifier };
  const p = parseArn(identifier);
  const m = p && p.service === 'logs' ? /^log-group:(.+?)(:\*)?$/.exec(p.resource) : null;
  if (!p || !m) {
    throw new ServiceError(
      'InvalidParameterException',
      `1 validation error detected: Value '${identifier}' at '${field}' failed to satisfy constraint: ` +
        'Member must be a log group name or a log group ARN (arn:<partition>:logs:<region>:<account-id>:log-group:<log-group-name>)',
    );
  }
  if (p.account !== ctx.account || p.region !== ctx.region) {
    // Cross-account observability (monitoring accounts) is not offered; such groups are not visible.
    throw groupNotFound();
  }
  return { account: p.account, region: p.region, name: m[1] };
}
