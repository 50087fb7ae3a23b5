/**
 * Writes one buffered batch as one S3 object: evaluates the prefix for the batch's oldest record
 * (or the error output prefix), names the object as AWS does and compresses it. Error output
 * objects hold one JSON line per failed record, in Firehose's error record shape.
 */
import type { ExportDestinations } from '../../store/buckets/sinks.ts';
import { compress } from './compression.ts';
import { dateFields } from './date-format.ts';
import type { S3Target } from './destination.ts';
import { objectSuffix } from './object-name.ts';
import { evaluatePrefix, MAX_EVALUATED_PREFIX } from './prefix.ts';

export interface FailedRecord {
  arrivedAt: number;
  raw: Buffer;
  errorCode: string;
  errorMessage: string;
  attempts: number;
}

export class S3WriteError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface S3Writer {
  buckets: Pick<ExportDestinations, 'bucket'>;
  owners: (bucket: string) => readonly string[];
}

function sinkFor(w: S3Writer, account: string, t: S3Target) {
  if (!w.owners(t.bucket).includes(account)) throw new S3WriteError('S3.AccessDenied', `Access was denied to bucket ${t.bucket}: account ${account} does not own it (export.bucketOwners).`);
  const sink = w.buckets.bucket(t.bucket);
  if (!sink) throw new S3WriteError('S3.NoSuchBucket', `The specified bucket ${t.bucket} does not exist (it is not mapped in export.buckets).`);
  return sink;
}

async function put(w: S3Writer, account: string, t: S3Target, prefix: string, name: { stream: string; version: number; oldest: number }, body: Buffer, raw: boolean): Promise<string> {
  if (prefix.length > MAX_EVALUATED_PREFIX) throw new S3WriteError('S3.InvalidPrefix', `The evaluated prefix is longer than ${MAX_EVALUATED_PREFIX} characters: ${prefix.slice(0, 64)}…`);
  const suffix = objectSuffix({ stream: name.stream, version: name.version, time: dateFields(name.oldest, t.timeZone), compression: raw ? 'UNCOMPRESSED' : t.compression, fileExtension: raw ? undefined : t.fileExtension });
  const key = prefix + suffix;
  try {
    const sink = sinkFor(w, account, t);
    await sink.put(key, raw ? body : await compress(t.compression, body, suffix));
  } catch (e) {
    if (e instanceof S3WriteError) throw e;
    throw new S3WriteError('S3.PutObject', `Could not write ${key} to bucket ${t.bucket}: ${(e as Error).message}`);
  }
  return key;
}

export interface Batch {
  stream: string;
  version: number;
  account: string;
  data: Buffer[];
  oldest: number;
  partitionKeys?: Record<string, string>;
}

/** The delivered object's key. */
export function writeObject(w: S3Writer, t: S3Target, b: Batch): Promise<string> {
  const prefix = evaluatePrefix(t.prefixes.prefix, { time: dateFields(b.oldest, t.timeZone), partitionKeys: b.partitionKeys });
  return put(w, b.account, t, prefix, b, Buffer.concat(b.data), false);
}

/** Failed records under the error output prefix, `errorType` filling !{firehose:error-output-type}. */
export function writeErrors(w: S3Writer, t: S3Target, b: Omit<Batch, 'data'>, errorType: string, failed: FailedRecord[], now: number): Promise<string> {
  const prefix = evaluatePrefix(t.prefixes.errorPrefix, { time: dateFields(b.oldest, t.timeZone), errorType });
  const lines = failed.map((f) => `${JSON.stringify({
    attemptsMade: f.attempts, arrivalTimestamp: f.arrivedAt, errorCode: f.errorCode, errorMessage: f.errorMessage,
    attemptEndingTimestamp: now, rawData: f.raw.toString('base64'),
  })}\n`);
  return put(w, b.account, t, prefix, b, Buffer.from(lines.join('')), true);
}
