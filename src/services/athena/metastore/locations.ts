/**
 * Table and partition LOCATIONs (`s3://bucket/prefix/`) and how the engine reads them: a bucket
 * the operator mapped in `export.buckets` is either a local directory (the engine's `file()`) or an
 * S3-compatible bucket (`s3()`). Only mapped buckets are readable — the same boundary the Logs
 * export and CloudTrail writers have.
 *
 * A location is always a folder (Athena reads every object under it); `_path`, the engine's
 * virtual column, starts with `pathPrefix(key)` for the object at `key`, which is what partition
 * values and pruning are computed from.
 */
import { resolve } from 'node:path';
import { keyToRelativePath, type ExportDestinations } from '../../../store/buckets/sinks.ts';
import { stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import { AthenaSqlError } from '../sql/errors.ts';

export interface S3Location {
  bucket: string;
  /** '' or ending with '/'. */
  prefix: string;
}

export function parseS3Location(text: string): S3Location {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/i.exec(text.trim());
  if (!m) throw new AthenaSqlError('SYNTAX_ERROR', `Invalid LOCATION '${text}': expected s3://bucket/prefix/`);
  const key = m[2]!;
  return { bucket: m[1]!, prefix: key === '' || key.endsWith('/') ? key : `${key}/` };
}

export const formatS3Location = (l: S3Location): string => `s3://${l.bucket}/${l.prefix}`;

/** The engine's glob metacharacters: a location containing them could not be read literally. */
const GLOB = /[*?{}]/;

/** The glob part naming only these sub-folders (`{a,b}/`), '' for all. */
const within = (folders: string[] | undefined, path: (f: string) => string): string =>
  folders === undefined ? '' : folders.length === 1 ? `${path(folders[0]!)}/` : `{${folders.map(path).join(',')}}/`;

export interface BucketReader {
  bucket: string;
  /** What `_path` of the object at `key` starts with (the key's folder path, for a folder key). */
  pathPrefix(key: string): string;
  /** The table-function call reading every object under the folder `prefix` (only under `folders` of it, when given). */
  tableFunction(prefix: string, format: string, structure: string, compression: string, folders?: string[]): string;
  /** SQL: the `s3://bucket/key` of the row's object, from the engine's `_path` (Athena's "$path"). */
  s3Uri: string;
}

function fileReader(bucket: string, dir: string): BucketReader {
  const root = resolve(dir);
  const folder = (prefix: string) => (prefix === '' ? root : `${root}/${keyToRelativePath(prefix.replace(/\/$/, ''))}`);
  return {
    bucket,
    // substring() counts bytes: the root may hold non-ASCII characters.
    s3Uri: `concat(${stringLiteral(`s3://${bucket}/`)}, substring(_path, ${Buffer.byteLength(root) + 2}))`,
    pathPrefix: (key) => (key.endsWith('/') || key === '' ? `${folder(key)}/` : `${root}/${keyToRelativePath(key)}`),
    tableFunction(prefix, format, structure, compression, folders) {
      const path = folder(prefix);
      if (GLOB.test(path)) throw new AthenaSqlError('NOT_SUPPORTED', `LOCATION s3://${bucket}/${prefix} contains characters (*?{}) that cannot be read literally`);
      return `file(${[`${path}/${within(folders, keyToRelativePath)}**`, format, structure, compression].map(stringLiteral).join(', ')})`;
    },
  };
}

function s3Reader(bucket: string, real: string, endpoint: string | undefined, buckets: ExportDestinations): BucketReader {
  const { region, credentials } = buckets.s3;
  const base = endpoint ? `${endpoint}/${real}/` : `https://${real}.s3.${region}.amazonaws.com/`;
  return {
    bucket,
    s3Uri: `concat(${stringLiteral(`s3://${bucket}/`)}, substring(_path, ${real.length + 2}))`,
    pathPrefix: (key) => `${real}/${key}`,
    tableFunction(prefix, format, structure, compression, folders) {
      if (GLOB.test(prefix)) throw new AthenaSqlError('NOT_SUPPORTED', `LOCATION s3://${bucket}/${prefix} contains characters (*?{}) that cannot be read literally`);
      const creds = credentials ? [credentials.accessKeyId, credentials.secretAccessKey] : [];
      return `s3(${[`${base}${prefix}${within(folders, (f) => f)}**`, ...creds, format, structure, compression].map(stringLiteral).join(', ')})`;
    },
  };
}

/**
 * The buckets one account may read: mapped in `export.buckets` and owned by the account
 * (`export.bucketOwners`; see ExportConfig) — another account's exports and trail files are
 * never readable through an external table.
 */
export class BucketAccess {
  constructor(
    private readonly buckets: ExportDestinations,
    private readonly owners: (bucket: string) => readonly string[],
    readonly account: string,
  ) {}

  private check(bucket: string): void {
    if (!this.buckets.destination(bucket)) {
      throw new AthenaSqlError('PERMISSION_DENIED', `Access denied to s3://${bucket}/: the bucket is not mapped in Osprey's export.buckets (map it to a directory or an S3-compatible bucket)`);
    }
    if (!this.owners(bucket).includes(this.account)) {
      throw new AthenaSqlError('PERMISSION_DENIED', `Access denied to s3://${bucket}/: account ${this.account} does not own the bucket (export.bucketOwners)`);
    }
  }

  /** The engine's reader of a bucket the account may read; PERMISSION_DENIED otherwise. */
  reader(bucket: string): BucketReader {
    this.check(bucket);
    const d = this.buckets.destination(bucket)!;
    return d.kind === 'file' ? fileReader(bucket, d.dir) : s3Reader(bucket, d.bucket, d.endpoint, this.buckets);
  }

  /** Object keys under a prefix of a bucket the account may read. */
  async list(bucket: string, prefix: string): Promise<string[]> {
    this.check(bucket);
    return this.buckets.bucket(bucket)!.list(prefix);
  }
}
