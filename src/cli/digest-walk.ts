/**
 * Walks a trail's digest chain backwards from the newest digest in the requested range, as
 * `aws cloudtrail validate-logs` does: each digest's signature, location and chain link, then every
 * log file it lists. A broken link (digest missing or invalid) continues from the next older digest
 * found in the bucket; a digest without a previous one ends its chain (a gap when older ones exist).
 */
import { digestKeyPattern, digestKeyPrefix, digestKeyTime, type DigestFile, type DigestKeyParts } from '../services/cloudtrail/digest/format.ts';
import { checkDigest, checkLogFile, type PublicKeys } from '../services/cloudtrail/digest/verify.ts';
import type { StoredObject } from '../store/buckets/sinks.ts';

export interface ObjectSource {
  get(bucket: string, key: string): Promise<StoredObject | undefined>;
  list(bucket: string, prefix: string): Promise<string[]>;
}

export interface WalkEvents {
  digest(bucket: string, key: string, result: { digest: DigestFile } | { reason: string }): void;
  logFile(bucket: string, key: string, reason: string | undefined): void;
  /** No digest links [olderEnd, newerStart]: nothing was delivered (trail stopped or validation off). */
  gap(olderEnd: number, newerStart: number): void;
}

export interface WalkOptions {
  source: ObjectSource;
  keys: PublicKeys;
  parts: DigestKeyParts;
  bucket: string;
  start: number;
  end: number;
}

const HOUR_MS = 3_600_000;

/** Digest keys of the trail in `bucket`, oldest first, whose end falls in [start, end + 1 h]. */
async function digestKeysInRange(o: WalkOptions, bucket: string): Promise<string[]> {
  const pattern = digestKeyPattern(o.parts);
  const keys = await o.source.list(bucket, digestKeyPrefix(o.parts));
  return keys
    .filter((k) => pattern.test(k))
    .filter((k) => {
      // Digests written up to an hour after the range may list files delivered in it.
      const t = digestKeyTime(k)!;
      return t >= o.start && t <= o.end + HOUR_MS;
    })
    .sort((a, b) => digestKeyTime(a)! - digestKeyTime(b)! || (a < b ? -1 : a > b ? 1 : 0));
}

/** Pops keys off `found` until one older than `before` (undefined when none is left). */
function olderThan(found: string[], before: string): string | undefined {
  const t = digestKeyTime(before) ?? Infinity;
  while (found.length) {
    const k = found.pop()!;
    if (digestKeyTime(k)! < t) return k;
  }
  return undefined;
}

export async function walkDigests(o: WalkOptions, on: WalkEvents): Promise<void> {
  let bucket = o.bucket;
  let found = await digestKeysInRange(o, bucket);
  let key = found.pop();
  let lastStart = key ? digestKeyTime(key)! : 0;
  // Signed links only lead to older digests; the set is a guard against a bucket edited into a loop.
  const seen = new Set<string>();
  while (key !== undefined && o.start <= lastStart && !seen.has(`${bucket}/${key}`)) {
    seen.add(`${bucket}/${key}`);
    const obj = await o.source.get(bucket, key);
    const check = obj ? checkDigest(bucket, key, obj, o.keys, o.parts.region) : { ok: false as const, reason: 'not found' };
    if (!check.ok) {
      on.digest(bucket, key, { reason: check.reason });
      key = olderThan(found, key);
      continue;
    }
    const d = check.digest;
    lastStart = Date.parse(d.digestStartTime);
    on.digest(bucket, key, { digest: d });
    for (const f of d.logFiles ?? []) on.logFile(f.s3Bucket, f.s3Object, checkLogFile(f, await o.source.get(f.s3Bucket, f.s3Object)));
    if (d.previousDigestS3Bucket === null || d.previousDigestS3Object === null) {
      const next = olderThan(found, key);
      if (next !== undefined) on.gap(digestKeyTime(next)!, lastStart);
      key = next;
    } else {
      key = d.previousDigestS3Object;
      if (d.previousDigestS3Bucket !== bucket) {
        bucket = d.previousDigestS3Bucket;
        found = await digestKeysInRange(o, bucket);
      }
    }
  }
}

