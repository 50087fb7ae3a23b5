/** CreateTrail, UpdateTrail, DeleteTrail. */
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { checkBucket, checkLogGroup, checkRoleArn, checkS3KeyPrefix, kmsKeyArn } from './destinations.ts';
import { checkTrailName, findTrail, trailArn } from './names.ts';
import { trailSettings } from './shape.ts';
import { mergeTags } from './tag-list.ts';
import type { Trail } from './types.ts';

type Deps = Pick<CloudTrailDeps, 'env' | 'trails'>;
type Settings = CallInput<'cloudtrail', 'UpdateTrail'>;

/** AWS's quota: 5 trails per Region, a multi-region trail counting in every Region. */
export const MAX_TRAILS_PER_REGION = 5;

function noOrganizations(input: Settings): void {
  if (input.IsOrganizationTrail) {
    throw new ServiceError('OrganizationsNotInUseException',
      'This account is not part of an organization: Osprey has no AWS Organizations, so IsOrganizationTrail must be false.');
  }
}

/** A name is taken when a trail of that name is seen in this Region, or anywhere once the trail spans all Regions. */
function checkNameFree(deps: Deps, ctx: Ctx, name: string, multiRegion: boolean, self?: string): void {
  const clash = deps.trails.ofAccount(ctx.account).find((t) =>
    t.name === name && t.arn !== self && (t.region === ctx.region || t.isMultiRegionTrail || multiRegion));
  if (clash) throw new ServiceError('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${ctx.account}`);
}

/** Validates and applies the settings CreateTrail and UpdateTrail share (only those given). */
async function applySettings(deps: Deps, ctx: Ctx, t: Trail, input: Settings): Promise<void> {
  if (input.S3BucketName !== undefined) {
    checkBucket(deps.env, input.S3BucketName);
    t.s3BucketName = input.S3BucketName;
  }
  if (input.S3KeyPrefix !== undefined) {
    checkS3KeyPrefix(input.S3KeyPrefix);
    t.s3KeyPrefix = input.S3KeyPrefix || undefined;
  }
  if (input.SnsTopicName !== undefined) t.snsTopicName = input.SnsTopicName || undefined;
  if (input.IncludeGlobalServiceEvents !== undefined) t.includeGlobalServiceEvents = input.IncludeGlobalServiceEvents;
  if (input.IsMultiRegionTrail !== undefined) t.isMultiRegionTrail = input.IsMultiRegionTrail;
  if (input.EnableLogFileValidation !== undefined) t.logFileValidationEnabled = input.EnableLogFileValidation;
  if (input.KmsKeyId !== undefined) t.kmsKeyId = input.KmsKeyId ? kmsKeyArn(ctx, input.KmsKeyId) : undefined;
  if (input.CloudWatchLogsLogGroupArn !== undefined) t.cloudWatchLogsLogGroupArn = input.CloudWatchLogsLogGroupArn || undefined;
  if (input.CloudWatchLogsRoleArn !== undefined) t.cloudWatchLogsRoleArn = input.CloudWatchLogsRoleArn || undefined;
  if (t.isMultiRegionTrail && !t.includeGlobalServiceEvents) {
    throw new ServiceError('InvalidParameterCombinationException', 'Multi-Region trail must include global service events.');
  }
  if (t.cloudWatchLogsLogGroupArn !== undefined && t.cloudWatchLogsRoleArn === undefined) {
    throw new ServiceError('InvalidCloudWatchLogsRoleArnException', 'You must specify a role ARN as well as a log group.');
  }
  if (t.cloudWatchLogsRoleArn !== undefined && t.cloudWatchLogsLogGroupArn === undefined) {
    throw new ServiceError('InvalidCloudWatchLogsLogGroupArnException', 'You must specify a log group as well as a role ARN.');
  }
  if (t.cloudWatchLogsRoleArn !== undefined && input.CloudWatchLogsRoleArn) checkRoleArn(t.cloudWatchLogsRoleArn);
  if (t.cloudWatchLogsLogGroupArn !== undefined && input.CloudWatchLogsLogGroupArn) await checkLogGroup(deps.env, ctx, t.cloudWatchLogsLogGroupArn);
}

export async function createTrail(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'CreateTrail'>): Promise<CallOutput<'cloudtrail', 'CreateTrail'>> {
  const name = input.Name!;
  checkTrailName(name);
  noOrganizations(input);
  const multiRegion = input.IsMultiRegionTrail ?? false;
  checkNameFree(deps, ctx, name, multiRegion);
  if (deps.trails.trailsFor(ctx.account, ctx.region).length >= MAX_TRAILS_PER_REGION) {
    throw new ServiceError('MaximumNumberOfTrailsExceededException', `User: ${ctx.account} already has ${MAX_TRAILS_PER_REGION} trails in ${ctx.region}.`);
  }
  const trail: Trail = {
    account: ctx.account, region: ctx.region, name, arn: trailArn(ctx, name),
    includeGlobalServiceEvents: true, isMultiRegionTrail: false, logFileValidationEnabled: false,
    logging: false, insightSelectors: [], createdAt: ctx.clock.now(),
  };
  await applySettings(deps, ctx, trail, input);
  const tags = mergeTags({}, input.TagsList ?? []);
  await deps.trails.create(trail, tags);
  return trailSettings(trail);
}

export async function updateTrail(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'UpdateTrail'>): Promise<CallOutput<'cloudtrail', 'UpdateTrail'>> {
  const current = findTrail(deps.trails, ctx, input.Name, { home: true });
  noOrganizations(input);
  // The cached trail is shared: change a copy, store it whole.
  const trail: Trail = structuredClone(current);
  await applySettings(deps, ctx, trail, input);
  if (trail.isMultiRegionTrail && !current.isMultiRegionTrail) checkNameFree(deps, ctx, trail.name, true, trail.arn);
  await deps.trails.save(trail);
  return trailSettings(trail);
}

export async function deleteTrail(deps: Deps, ctx: Ctx, input: CallInput<'cloudtrail', 'DeleteTrail'>): Promise<CallOutput<'cloudtrail', 'DeleteTrail'>> {
  const trail = findTrail(deps.trails, ctx, input.Name, { home: true });
  await deps.trails.remove(trail.arn);
  return {};
}
