/**
 * CloudTrail digest files as AWS writes them ("CloudTrail digest file structure" and "Custom
 * implementations of CloudTrail log file integrity validation" in the CloudTrail user guide), and as
 * `aws cloudtrail validate-logs` reads them. Pure: no I/O, shared by the digest writer and
 * `osprey trail validate`.
 *
 * - Digest object key: `[prefix/]AWSLogs/<acct>/CloudTrail-Digest/<region>/YYYY/MM/DD/
 *   <acct>_CloudTrail-Digest_<region>_<trailName>_<homeRegion>_<YYYYMMDDTHHmmssZ>.json.gz`
 *   (the timestamp is the digest's end time; validate-logs reads it back from the key).
 * - Hashes are hex SHA-256 of the *uncompressed* content: each log file's JSON, and the digest's.
 * - The signature (SHA256withRSA, hex, in the object's `x-amz-meta-signature`) is over
 *   `digestEndTime \n digestS3Bucket/digestS3Object \n sha256hex(digest JSON) \n previousDigestSignature`
 *   with the literal `null` for a first digest.
 */
import { createHash } from 'node:crypto';

export const SIGNATURE_ALGORITHM = 'SHA256withRSA';
export const HASH_ALGORITHM = 'SHA-256';

export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: string;
  newestEventTime: string;
  oldestEventTime: string;
}

/** The digest JSON, members in AWS's order. */
export interface DigestFile {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogFile[];
}

/** `2015-08-17T14:01:31Z`: CloudTrail's times in digests (whole seconds, UTC). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `20150817T140131Z`: the time in object keys. */
export function compactTime(ms: number): string {
  return isoSeconds(ms).replace(/[-:]/g, '');
}

export interface DigestKeyParts {
  prefix?: string;
  account: string;
  /** The region whose log files the digest lists. */
  region: string;
  trailName: string;
  homeRegion: string;
}

/** Where a trail's digests for one region live (ends with '/'). */
export function digestKeyPrefix(p: Pick<DigestKeyParts, 'prefix' | 'account' | 'region'>): string {
  return `${p.prefix ? `${p.prefix}/` : ''}AWSLogs/${p.account}/CloudTrail-Digest/${p.region}/`;
}

export function digestKey(p: DigestKeyParts, endMs: number): string {
  const day = isoSeconds(endMs).slice(0, 10).replace(/-/g, '/');
  return `${digestKeyPrefix(p)}${day}/${p.account}_CloudTrail-Digest_${p.region}_${p.trailName}_${p.homeRegion}_${compactTime(endMs)}.json.gz`;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** Matches this trail's digest keys for the region (other trails share the folder). */
export function digestKeyPattern(p: DigestKeyParts): RegExp {
  return new RegExp(`^${escapeRe(digestKeyPrefix(p))}\\d+/\\d+/\\d+/${escapeRe(`${p.account}_CloudTrail-Digest_${p.region}_${p.trailName}_${p.homeRegion}_`)}\\d{8}T\\d{6}Z\\.json\\.gz$`);
}

/** The end time a digest key names (epoch ms), or undefined for another kind of key. */
export function digestKeyTime(key: string): number | undefined {
  const m = /(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.json\.gz$/.exec(key);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/**
 * The region a trail log file belongs to, from its key
 * (`[prefix/]AWSLogs/<acct>/CloudTrail/<region>/…`), or undefined for another layout.
 */
export function logFileRegion(key: string): string | undefined {
  return /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]+\/)?\d{12}\/CloudTrail\/([a-z0-9-]+)\//.exec(key)?.[1];
}

export const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** What is signed for a digest, given its uncompressed JSON bytes. */
export function signingString(d: Pick<DigestFile, 'digestEndTime' | 'digestS3Bucket' | 'digestS3Object' | 'previousDigestSignature'>, inflated: Buffer): string {
  return `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${sha256Hex(inflated)}\n${d.previousDigestSignature ?? 'null'}`;
}

/** The members validate-logs requires before it checks a digest. */
export const REQUIRED_DIGEST_MEMBERS = [
  'digestPublicKeyFingerprint', 'digestS3Bucket', 'digestS3Object', 'previousDigestSignature', 'digestEndTime', 'digestStartTime',
] as const;
