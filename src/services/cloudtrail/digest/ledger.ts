/**
 * What trail delivery tells digests: each log file it wrote to a trail's bucket. The digest writer
 * keeps these (durably) until its next digest file for the trail lists them with their SHA-256.
 */

export interface DeliveredLogFile {
  /** The bucket name as the trail names it (a key of `export.buckets`). */
  bucket: string;
  key: string;
  /** The object's bytes exactly as written (gzip). */
  body: Buffer;
  /** eventTime (epoch ms) of the oldest and newest record in the file. */
  oldestEventTime: number;
  newestEventTime: number;
  /** When the object was written (epoch ms). */
  deliveredAt: number;
}

export interface DigestLedger {
  /**
   * Called after the object is written and before delivery advances its cursor: once this returns,
   * the file is remembered across restarts. Trails without LogFileValidationEnabled are ignored.
   */
  logFileDelivered(trailArn: string, file: DeliveredLogFile): Promise<void>;
}
