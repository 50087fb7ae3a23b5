/**
 * Where each export "bucket" really goes. CreateExportTask names an S3 bucket; Osprey only exports
 * to buckets the operator mapped (config `export.buckets` or OSPREY_EXPORT_BUCKETS):
 *
 *   "<bucket>": "file:///abs/dir"                       objects become files under /abs/dir
 *   "<bucket>": "s3://<real-bucket>@http://host:9000"   PutObject to an S3-compatible endpoint (path-style)
 *   "<bucket>": "s3://<real-bucket>"                    PutObject to AWS S3 itself (default endpoint)
 *
 * Pure parsing, no I/O: config loading validates the map with it (without loading the S3 client),
 * and the Logs export sinks (store/buckets/sinks.ts) resolve destinations with it.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ExportDestination =
  | { kind: 'file'; dir: string }
  | { kind: 's3'; bucket: string; endpoint?: string };

export class BucketMapError extends Error {}

// S3's bucket naming rules (3-63 chars, lowercase letters, digits, dots, hyphens), which also
// guarantees the `@` separator is unambiguous.
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function parseDestination(bucket: string, target: unknown): ExportDestination {
  const where = `export bucket "${bucket}"`;
  if (typeof target !== 'string' || target === '') throw new BucketMapError(`${where}: destination must be a non-empty string`);
  if (target.startsWith('file:')) {
    let dir: string;
    try {
      dir = fileURLToPath(target);
    } catch (e) {
      throw new BucketMapError(`${where}: invalid file URL "${target}": ${(e as Error).message}`);
    }
    if (!isAbsolute(dir)) throw new BucketMapError(`${where}: file URL must name an absolute directory, got "${target}"`);
    return { kind: 'file', dir };
  }
  if (target.startsWith('s3://')) {
    const rest = target.slice('s3://'.length);
    const at = rest.indexOf('@');
    const name = at === -1 ? rest.replace(/\/$/, '') : rest.slice(0, at);
    if (!S3_BUCKET.test(name)) throw new BucketMapError(`${where}: "${name}" is not a valid S3 bucket name in "${target}"`);
    if (at === -1) return { kind: 's3', bucket: name };
    const endpoint = rest.slice(at + 1);
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new BucketMapError(`${where}: invalid endpoint URL "${endpoint}" in "${target}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new BucketMapError(`${where}: endpoint must be http:// or https://, got "${endpoint}"`);
    }
    return { kind: 's3', bucket: name, endpoint: url.origin + url.pathname.replace(/\/$/, '') };
  }
  throw new BucketMapError(`${where}: destination must be "file:///abs/dir", "s3://bucket" or "s3://bucket@http(s)://endpoint", got "${target}"`);
}

/** Validates the whole map; throws BucketMapError naming the first bad entry. */
export function parseBucketMap(map: unknown): Map<string, ExportDestination> {
  if (map === undefined || map === null) return new Map();
  if (typeof map !== 'object' || Array.isArray(map)) throw new BucketMapError('export buckets must be a mapping of bucket name to destination');
  const out = new Map<string, ExportDestination>();
  for (const [bucket, target] of Object.entries(map)) {
    if (bucket.length < 1 || bucket.length > 512) throw new BucketMapError(`export bucket name must be 1-512 characters, got "${bucket}"`);
    out.set(bucket, parseDestination(bucket, target));
  }
  return out;
}

/** Config `export:` (file) / OSPREY_EXPORT_* (environment). */
export interface ExportConfig {
  /** Bucket name as clients give it → "file:///abs/dir" | "s3://bucket[@http(s)://endpoint]". */
  buckets: Record<string, string>;
  /** Region for S3 requests. Default us-east-1. */
  s3Region?: string;
  /** Static S3 credentials; both or neither. Without them the SDK's default provider chain is used. */
  s3AccessKeyId?: string;
  s3SecretAccessKey?: string;
  /**
   * Bucket name → the accounts that own it, i.e. may read its objects back (Athena external
   * tables). A bucket not listed belongs to the only account when one is configured, and to none
   * when several are (as on AWS, another account's bucket is not readable without a grant).
   */
  bucketOwners?: Record<string, string[]>;
}

/** Validates an ExportConfig; throws BucketMapError with a message fit for the operator. */
export function checkExportConfig(cfg: ExportConfig): void {
  const map = parseBucketMap(cfg.buckets);
  for (const [bucket, owners] of Object.entries(cfg.bucketOwners ?? {})) {
    if (!map.has(bucket)) throw new BucketMapError(`export.bucketOwners names bucket "${bucket}", which is not in export.buckets`);
    if (!Array.isArray(owners) || owners.some((a) => typeof a !== 'string' || !/^\d{12}$/.test(a))) {
      throw new BucketMapError(`export.bucketOwners["${bucket}"] must be a list of 12-digit account IDs`);
    }
  }
  if ((cfg.s3AccessKeyId === undefined) !== (cfg.s3SecretAccessKey === undefined)) {
    throw new BucketMapError('export S3 credentials need both an access key id and a secret access key');
  }
}
