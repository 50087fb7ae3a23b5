/**
 * A trail as the rest of the module sees it (the trails repository owns its storage). Selector and
 * status shapes are the SDK's, so Get/PutEventSelectors and GetTrailStatus pass them through.
 */
import type { AdvancedEventSelector, EventSelector, InsightSelector } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailRecord } from '../record/types.ts';

export interface Trail {
  account: string;
  /** The home region (where it was created and is managed). */
  region: string;
  name: string;
  arn: string;
  s3BucketName?: string;
  s3KeyPrefix?: string;
  snsTopicName?: string;
  includeGlobalServiceEvents: boolean;
  isMultiRegionTrail: boolean;
  logFileValidationEnabled: boolean;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  kmsKeyId?: string;
  /** StartLogging / StopLogging; a new trail is not logging until StartLogging (as in AWS's API). */
  logging: boolean;
  /** Basic selectors, or undefined when advanced selectors are in use (never both). */
  eventSelectors?: EventSelector[];
  advancedEventSelectors?: AdvancedEventSelector[];
  insightSelectors: InsightSelector[];
  createdAt: number;
  startLoggingTime?: number;
  stopLoggingTime?: number;
}

/** What delivery reports back; GetTrailStatus shows it. Times are epoch ms. */
export interface TrailDeliveryStatus {
  latestDeliveryTime?: number;
  latestDeliveryError?: string;
  latestCloudWatchLogsDeliveryTime?: number;
  latestCloudWatchLogsDeliveryError?: string;
  latestDigestDeliveryTime?: number;
  latestDigestDeliveryError?: string;
  latestDeliveryAttemptTime?: number;
  latestDeliveryAttemptSucceeded?: number;
  /** SNS notifications of delivered log files (SnsTopicName). */
  latestNotificationTime?: number;
  latestNotificationError?: string;
  latestNotificationAttemptTime?: number;
  latestNotificationAttemptSucceeded?: number;
}

/** The trails repository: the recorder, delivery and insights read trails through it. */
export interface TrailRepo {
  /**
   * The trails that receive records made in (account, region): the account's trails whose home
   * region is `region` plus its multi-region trails. Cheap (cached, invalidated on every change):
   * the recorder calls it for every data event.
   */
  trailsFor(account: string, region: string): readonly Trail[];
  /** Every trail of every account (delivery and insights iterate them). */
  all(): readonly Trail[];
  /** Delivery progress: the highest record `seq` a trail's destinations have (0 = none yet). */
  cursor(trailArn: string): Promise<number>;
  setCursor(trailArn: string, seq: number): Promise<void>;
  updateStatus(trailArn: string, patch: TrailDeliveryStatus): Promise<void>;
  status(trailArn: string): Promise<TrailDeliveryStatus>;
  /** The trail with this ARN (any account and region), as stored. */
  get(trailArn: string): Trail | undefined;
  /** Every trail of an account, all regions (names are checked across regions for multi-region trails). */
  ofAccount(account: string): readonly Trail[];
  create(trail: Trail, tags: Record<string, string>): Promise<void>;
  /** Replaces a trail's settings, selectors and logging state (its cursor and status stay). */
  save(trail: Trail): Promise<void>;
  /** Deletes a trail with its tags, cursor and status; false when there was none. */
  remove(trailArn: string): Promise<boolean>;
  tags(trailArn: string): Promise<Record<string, string> | undefined>;
  setTags(trailArn: string, tags: Record<string, string>): Promise<void>;
}

/** Whether a trail's selectors ask for this record (management / data / insight; read-only filters). */
export type TrailSelects = (trail: Trail, record: CloudTrailRecord) => boolean;
