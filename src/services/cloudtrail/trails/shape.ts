/** A stored trail in the shapes AWS answers with (CreateTrail/UpdateTrail responses, Trail, TrailInfo). */
import type { CreateTrailResponse, Trail as AwsTrail, TrailInfo } from '@aws-sdk/client-cloudtrail';
import { arn } from '../../../lib/arn.ts';
import type { Trail } from './types.ts';

export const snsTopicArn = (t: Trail): string | undefined =>
  t.snsTopicName === undefined ? undefined : t.snsTopicName.startsWith('arn:') ? t.snsTopicName : arn('sns', t, t.snsTopicName);

/** CreateTrail / UpdateTrail: the settings, without HomeRegion and the Has* flags (as AWS answers). */
export function trailSettings(t: Trail): CreateTrailResponse {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    ...(t.s3KeyPrefix !== undefined ? { S3KeyPrefix: t.s3KeyPrefix } : {}),
    ...(t.snsTopicName !== undefined ? { SnsTopicName: t.snsTopicName, SnsTopicARN: snsTopicArn(t) } : {}),
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegionTrail,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    ...(t.cloudWatchLogsLogGroupArn !== undefined ? { CloudWatchLogsLogGroupArn: t.cloudWatchLogsLogGroupArn } : {}),
    ...(t.cloudWatchLogsRoleArn !== undefined ? { CloudWatchLogsRoleArn: t.cloudWatchLogsRoleArn } : {}),
    ...(t.kmsKeyId !== undefined ? { KmsKeyId: t.kmsKeyId } : {}),
    IsOrganizationTrail: false,
  };
}

/** GetTrail / DescribeTrails. */
export function trailShape(t: Trail): AwsTrail {
  return {
    ...trailSettings(t),
    HomeRegion: t.region,
    HasCustomEventSelectors: t.eventSelectors !== undefined || t.advancedEventSelectors !== undefined,
    HasInsightSelectors: t.insightSelectors.length > 0,
  };
}

export const trailInfo = (t: Trail): TrailInfo => ({ TrailARN: t.arn, Name: t.name, HomeRegion: t.region });
