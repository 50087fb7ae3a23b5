/**
 * Delivery to the trail's bucket (S3BucketName, one of the operator's `export.buckets`): one gzipped
 * `{"Records":[…]}` object per region and batch at AWS's key layout (object-key.ts). Each log file is
 * then told to the digest ledger (before the cursor moves, so a digest never misses one) and, when
 * the trail has an SNS topic, announced there with AWS's notification message.
 */
import { gzipSync } from 'node:zlib';
import type { Logger } from '../../../lib/logger.ts';
import type { Env } from '../../../server/module.ts';
import type { ExportDestinations } from '../../../store/buckets/sinks.ts';
import type { DigestLedger } from '../digest/ledger.ts';
import { snsTopicArn } from '../trails/shape.ts';
import type { Trail, TrailDeliveryStatus } from '../trails/types.ts';
import { cloudTrailRole, DeliveryError, groupBy, type Destination } from './destination.ts';
import { logFileKey, logFileKindOf, uniqueString } from './object-key.ts';
import type { PendingRecord } from './read.ts';

/** What GetTrailStatus reports about SNS notifications (LatestNotificationTime / Error / Attempt…). */
export type NotificationStatus = Pick<TrailDeliveryStatus,
  'latestNotificationTime' | 'latestNotificationError' | 'latestNotificationAttemptTime' | 'latestNotificationAttemptSucceeded'>;

export interface BucketDestinationDeps {
  buckets: Pick<ExportDestinations, 'bucket'>;
  ledger: DigestLedger;
  env: Pick<Env, 'call' | 'serviceCtx'>;
  log: Logger;
  /** Records a notification outcome in the trail's status. */
  notified(trailArn: string, status: NotificationStatus): Promise<void> | void;
}

/** The object body: records joined as stored, so the file holds exactly the recorded JSON. */
export const logFileBody = (records: readonly PendingRecord[]): Buffer =>
  gzipSync(Buffer.from(`{"Records":[${records.map((r) => r.json).join(',')}]}`));

export class BucketDestination implements Destination {
  readonly name = 'bucket' as const;
  private readonly failingTopics = new Set<string>();

  constructor(private readonly deps: BucketDestinationDeps) {}

  wants(trail: Trail): boolean {
    return trail.s3BucketName !== undefined;
  }

  async deliver(trail: Trail, records: readonly PendingRecord[], now: number): Promise<void> {
    const bucket = trail.s3BucketName!;
    const sink = this.deps.buckets.bucket(bucket);
    // AWS reports the S3 error code; an unmapped bucket is, to Osprey, one that does not exist.
    if (!sink) throw new DeliveryError('NoSuchBucket', true);
    const files = groupBy(records, (r) => `${logFileKindOf(r.category)} ${r.region}`);
    for (const list of files.values()) {
      const kind = logFileKindOf(list[0]!.category);
      const key = logFileKey({ prefix: trail.s3KeyPrefix, account: trail.account, region: list[0]!.region, kind, deliveredAt: now, unique: uniqueString() });
      const body = logFileBody(list);
      try {
        await sink.put(key, body);
      } catch (e) {
        const code = (e as { name?: string }).name;
        if (code === 'NoSuchBucket') throw new DeliveryError('NoSuchBucket', true, { cause: e });
        throw new DeliveryError(code && code !== 'Error' ? code : (e as Error).message, false, { cause: e });
      }
      // Digests list log files of management and data events only.
      if (kind === 'CloudTrail') {
        const times = list.map((r) => r.eventTime);
        await this.deps.ledger.logFileDelivered(trail.arn, {
          bucket, key, body, oldestEventTime: Math.min(...times), newestEventTime: Math.max(...times), deliveredAt: now,
        });
      }
      await this.notify(trail, bucket, key, now);
    }
  }

  /** A failed notification never holds back delivery; it shows in the status and is logged once. */
  private async notify(trail: Trail, bucket: string, key: string, now: number): Promise<void> {
    const topicArn = snsTopicArn(trail);
    if (topicArn === undefined) return;
    const ctx = this.deps.env.serviceCtx({ account: trail.account, region: trail.region, principalArn: cloudTrailRole(trail.account) });
    try {
      await this.deps.env.call('sns', 'Publish', ctx, { TopicArn: topicArn, Message: JSON.stringify({ s3Bucket: bucket, s3ObjectKey: [key] }) });
      await this.deps.notified(trail.arn, { latestNotificationTime: now, latestNotificationAttemptTime: now, latestNotificationAttemptSucceeded: now, latestNotificationError: undefined });
      this.failingTopics.delete(topicArn);
    } catch (e) {
      const error = (e as { code?: string }).code ?? (e as Error).message;
      await this.deps.notified(trail.arn, { latestNotificationAttemptTime: now, latestNotificationError: error });
      if (!this.failingTopics.has(topicArn)) {
        this.failingTopics.add(topicArn);
        this.deps.log.warn({ trailArn: trail.arn, topicArn, error: (e as Error).message }, 'CloudTrail could not notify the trail\'s SNS topic of a log file');
      }
    }
  }
}
