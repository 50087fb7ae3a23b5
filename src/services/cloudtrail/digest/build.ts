/**
 * Builds one signed digest (pure apart from the key): the files delivered since the chain's head,
 * covering [head's end, now], chained to the head (nulls for a chain's first digest).
 */
import { gzipSync } from 'node:zlib';
import type { Trail } from '../trails/types.ts';
import {
  HASH_ALGORITHM, SIGNATURE_ALGORITHM, digestKey, isoSeconds, sha256Hex, signingString,
  type DigestFile,
} from './format.ts';
import { signHex, type SigningKey } from './keys.ts';
import type { DigestRow, LedgerFile, NewDigest } from './store.ts';

export interface BuildInput {
  trail: Pick<Trail, 'account' | 'region' | 'name' | 's3BucketName' | 's3KeyPrefix'>;
  /** The region whose files the digest lists. */
  region: string;
  key: SigningKey;
  head: DigestRow | undefined;
  files: LedgerFile[];
  now: number;
  /** How far back a chain's first digest reaches when no file is older. */
  intervalMs: number;
}

const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

/** The digest to record, or undefined when none can be written now (no bucket; same second as the head). */
export function buildDigest(b: BuildInput): NewDigest | undefined {
  const bucket = b.trail.s3BucketName;
  if (!bucket) return undefined;
  // Keys carry whole seconds: a second digest in the head's second would overwrite it.
  const end = floorSecond(b.now);
  if (b.head && end <= b.head.endTime) return undefined;
  const start = b.head ? b.head.endTime : floorSecond(Math.min(end - b.intervalMs, ...b.files.map((f) => f.deliveredAt)));
  const key = digestKey({ prefix: b.trail.s3KeyPrefix, account: b.trail.account, region: b.region, trailName: b.trail.name, homeRegion: b.trail.region }, end);
  const oldest = b.files.length ? Math.min(...b.files.map((f) => f.oldest)) : undefined;
  const newest = b.files.length ? Math.max(...b.files.map((f) => f.newest)) : undefined;
  const digest: DigestFile = {
    awsAccountId: b.trail.account,
    digestStartTime: isoSeconds(start),
    digestEndTime: isoSeconds(end),
    digestS3Bucket: bucket,
    digestS3Object: key,
    digestPublicKeyFingerprint: b.key.fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    newestEventTime: newest === undefined ? null : isoSeconds(newest),
    oldestEventTime: oldest === undefined ? null : isoSeconds(oldest),
    previousDigestS3Bucket: b.head?.bucket ?? null,
    previousDigestS3Object: b.head?.key ?? null,
    previousDigestHashValue: b.head?.hash ?? null,
    previousDigestHashAlgorithm: b.head ? HASH_ALGORITHM : null,
    previousDigestSignature: b.head?.signature ?? null,
    logFiles: b.files.map((f) => ({
      s3Bucket: f.bucket,
      s3Object: f.key,
      hashValue: f.hash,
      hashAlgorithm: HASH_ALGORITHM,
      newestEventTime: isoSeconds(f.newest),
      oldestEventTime: isoSeconds(f.oldest),
    })),
  };
  const json = Buffer.from(JSON.stringify(digest));
  return {
    bucket,
    key,
    endTime: end,
    hash: sha256Hex(json),
    signature: signHex(b.key.privateKey, signingString(digest, json)),
    body: gzipSync(json),
  };
}
