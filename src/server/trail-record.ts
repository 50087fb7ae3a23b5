/**
 * One CloudTrail record in AWS's schema ("CloudTrail record contents for management, data, and
 * network activity events"), members in the order AWS writes them. This is exactly what LookupEvents
 * returns in `CloudTrailEvent`, what trails write to log groups (one record per log event) and to
 * bucket objects (`{"Records":[…]}`), and what Lake queries read.
 */
export type CloudTrailRecord = {
  eventVersion: string;
  userIdentity: UserIdentity;
  /** ISO-8601 UTC, second precision: `2026-12-05T02:17:12Z`. */
  eventTime: string;
  eventSource: string;
  eventName: string;
  awsRegion: string;
  sourceIPAddress: string;
  userAgent: string;
  errorCode?: string;
  errorMessage?: string;
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  additionalEventData?: Record<string, unknown>;
  requestID: string;
  eventID: string;
  readOnly: boolean;
  resources?: RecordResource[];
  eventType: 'AwsApiCall' | 'AwsConsoleSignIn' | 'AwsServiceEvent' | 'AwsCloudTrailInsight';
  managementEvent: boolean;
  recipientAccountId: string;
  eventCategory: EventCategory;
  tlsDetails?: { tlsVersion: string; cipherSuite: string; clientProvidedHostHeader: string };
  /** Insight records only (eventType AwsCloudTrailInsight). */
  sharedEventID?: string;
  insightDetails?: Record<string, unknown>;
};

export type EventCategory = 'Management' | 'Data' | 'Insight';

export type UserIdentity = {
  type: 'IAMUser' | 'AssumedRole' | 'Root' | 'AWSService' | 'Unknown';
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
};

export type RecordResource = { ARN?: string; accountId?: string; type: string; name?: string };

/**
 * A record as stored: the record plus the columns history, trails and Lake filter on. `seq` is the
 * recorder's sequence number: strictly increasing in the order records became durable, across
 * restarts, so a trail's delivery cursor (`seq > cursor`) never skips one.
 */
export interface StoredTrailEvent {
  account: string;
  region: string;
  /** Epoch ms of eventTime. */
  eventTime: number;
  seq: number;
  record: CloudTrailRecord;
}
