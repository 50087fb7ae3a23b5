/**
 * What an export looks like in the bucket, as CloudWatch Logs lays it out:
 *
 *   <prefix>/aws-logs-write-test                       "Permission Check Successful", written first
 *   <prefix>/<taskId>/<logStreamName>/000000.gz         gzip of "<ISO-8601 time> <message>\n" lines
 *   <prefix>/<taskId>/<logStreamName>/000001.gz …       when a stream's data is split
 *
 * Without a destinationPrefix the data goes under "exportedlogs/" and the write test sits at the
 * bucket root (what AWS does: the object is `aws-logs-write-test`).
 */
import { createGzip, type Gzip } from 'node:zlib';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

export const DEFAULT_DESTINATION_PREFIX = 'exportedlogs';
export const WRITE_TEST_OBJECT = 'aws-logs-write-test';
export const WRITE_TEST_BODY = 'Permission Check Successful';

export const effectivePrefix = (given: string | null): string => given ?? DEFAULT_DESTINATION_PREFIX;

export const writeTestKey = (given: string | null): string =>
  given === null ? WRITE_TEST_OBJECT : `${given}/${WRITE_TEST_OBJECT}`;

export const objectKey = (prefix: string, taskId: string, logStream: string, part: number): string =>
  `${prefix}/${taskId}/${logStream}/${String(part).padStart(6, '0')}.gz`;

/** One exported event: the event time in ISO-8601 UTC with milliseconds, a space, the message. */
export const formatLine = (ts: number, message: string): string => `${new Date(ts).toISOString()} ${message}\n`;

/**
 * One gzip object being built. Streaming deflate off the event loop; the compressed bytes are kept
 * until the object is finished (its size is bounded by the caller's split threshold).
 */
export class GzipObjectWriter {
  private readonly gz: Gzip = createGzip();
  private readonly chunks: Buffer[] = [];
  private failure: Error | undefined;
  /** UTF-8 bytes written so far (before compression). */
  bytes = 0;
  lines = 0;

  constructor() {
    this.gz.on('data', (c: Buffer) => this.chunks.push(c));
    this.gz.on('error', (e: Error) => (this.failure = e));
  }

  /** `text` is one or more complete lines. */
  async write(text: string, lines: number): Promise<void> {
    if (this.failure) throw this.failure;
    this.bytes += Buffer.byteLength(text, 'utf8');
    this.lines += lines;
    if (!this.gz.write(text, 'utf8')) await once(this.gz, 'drain');
  }

  async finish(): Promise<Buffer> {
    this.gz.end();
    await finished(this.gz);
    if (this.failure) throw this.failure;
    return Buffer.concat(this.chunks);
  }

  /** Drops the object (the export was interrupted). */
  discard(): void {
    this.gz.destroy();
  }
}
