/**
 * Where a trail delivers, checked as CloudTrail checks them at CreateTrail/UpdateTrail: the bucket
 * must be one Osprey can write to (the operator's bucket mapping, `export.buckets`), the log group
 * must exist in the caller's account and the trail's region (asked of the Logs service through
 * env.call), and a log group needs a role ARN (accepted as given: Osprey has no IAM to check it).
 */
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import { arn, parseArn } from '../../../lib/arn.ts';
import type { Env } from '../../../server/module.ts';

export function checkBucket(env: Env, bucket: string): void {
  if (!Object.hasOwn(env.config.export.buckets ?? {}, bucket)) {
    throw new ServiceError('S3BucketDoesNotExistException',
      `S3 bucket ${bucket} does not exist. Osprey writes trail logs only to buckets mapped by the operator (config export.buckets or OSPREY_EXPORT_BUCKETS).`);
  }
}

export function checkS3KeyPrefix(prefix: string): void {
  if (prefix.length > 200) throw new ServiceError('InvalidS3PrefixException', `S3KeyPrefix is too long: at most 200 characters, got ${prefix.length}.`);
}

/** The log group name a CloudWatchLogsLogGroupArn names (`arn:…:log-group:<name>:*`; the `:*` is optional here). */
export function logGroupNameOfArn(value: string): string | undefined {
  const p = parseArn(value);
  if (!p || p.service !== 'logs' || !p.resource.startsWith('log-group:')) return undefined;
  const name = p.resource.slice('log-group:'.length).replace(/:\*$/, '');
  return name === '' ? undefined : name;
}

const invalidGroup = (msg = 'CloudTrail cannot validate the specified log group ARN.') =>
  new ServiceError('InvalidCloudWatchLogsLogGroupArnException', msg);

export async function checkLogGroup(env: Env, ctx: Ctx, groupArn: string): Promise<void> {
  const name = logGroupNameOfArn(groupArn);
  const p = parseArn(groupArn);
  if (!name || !p) throw invalidGroup();
  if (p.account !== ctx.account || p.region !== ctx.region) {
    throw invalidGroup(`CloudTrail cannot validate the specified log group ARN: the log group must be in this account (${ctx.account}) and Region (${ctx.region}).`);
  }
  const svc = env.serviceCtx({ account: ctx.account, region: ctx.region, principalArn: ctx.principalArn });
  let found = false;
  try {
    const out = await env.call('logs', 'DescribeLogGroups', svc, { logGroupNamePrefix: name });
    found = (out.logGroups ?? []).some((g) => g.logGroupName === name);
  } catch (e) {
    env.log.warn({ logGroupArn: groupArn, error: (e as Error).message }, 'cloudtrail: could not check a trail log group');
  }
  if (!found) throw invalidGroup(`CloudTrail cannot validate the specified log group ARN: log group ${name} does not exist.`);
}

export function checkRoleArn(roleArn: string): void {
  const p = parseArn(roleArn);
  if (!p || p.service !== 'iam' || !p.resource.startsWith('role/')) {
    throw new ServiceError('InvalidCloudWatchLogsRoleArnException', `CloudWatchLogsRoleArn ${roleArn} is not an IAM role ARN.`);
  }
}

/** KmsKeyId as AWS stores it: a full key (or alias) ARN. */
export function kmsKeyArn(ctx: Ctx, keyId: string): string {
  if (keyId.startsWith('arn:')) return keyId;
  return arn('kms', ctx, keyId.startsWith('alias/') ? keyId : `key/${keyId}`);
}
