/**
 * The operator's buckets (`export.buckets`): a local directory or an S3-compatible bucket. A sink
 * only knows "put these bytes at this key"; object layouts belong to their writers (Logs export
 * tasks, CloudTrail trails).
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import type * as S3 from '@aws-sdk/client-s3';
import { parseBucketMap, type ExportConfig, type ExportDestination } from '../../config/bucket-map.ts';

/** User metadata of an object (S3's `x-amz-meta-<name>`; names lower-case, as S3 returns them). */
export type ObjectMetadata = Record<string, string>;

export interface StoredObject {
  body: Buffer;
  metadata: ObjectMetadata;
}

export interface ExportSink {
  /**
   * Writes (or overwrites) one object with its metadata (none = the object has none). Rejects on
   * failure; never leaves a partial object visible.
   */
  put(key: string, body: Buffer, signal?: AbortSignal, metadata?: ObjectMetadata): Promise<void>;
  close(): Promise<void>;
}

/** A sink that also reads back: CloudTrail digests chain to earlier objects; `osprey trail validate` reads them. */
export interface BucketSink extends ExportSink {
  /** The object, or undefined when there is none (S3 NoSuchKey). */
  get(key: string): Promise<StoredObject | undefined>;
  /** Every key starting with `prefix`, in S3's (UTF-8 binary) order. */
  list(prefix: string): Promise<string[]>;
}

/**
 * S3 keys are free-form ('..', '', '%' are all legal segments); on disk every segment is
 * percent-escaped where it could escape the directory or collide, so each key maps to exactly one
 * path under the root.
 */
export function keyToRelativePath(key: string): string {
  return key
    .split('/')
    .map((seg) => {
      const s = seg.replace(/%/g, '%25').replace(/\\/g, '%5C').replace(/\0/g, '%00');
      if (s === '') return '%';
      if (s === '.' || s === '..') return s.replace(/\./g, '%2E');
      return s;
    })
    .join(sep);
}

/** Inverse of keyToRelativePath for one segment. */
function segmentToKey(seg: string): string {
  if (seg === '%') return '';
  return seg.replace(/%(25|5C|00|2E)/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

/**
 * Names under a FileSink's root that hold no objects. keyToRelativePath escapes every '%' it is
 * given (to '%25') and only ever writes a bare '%' or '%25', '%5C', '%00', '%2E' escapes, so a
 * top-level name like these can never be produced by any key: no object can collide with them.
 */
const META_DIR = '%metadata';
const TMP_DIR = '%tmp';

const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * A bucket as a directory: each object is a file at its escaped key path. An object's metadata (if
 * any) is a JSON file at the same relative path under `<root>/%metadata/`; temporary files live in
 * `<root>/%tmp/` until renamed into place. Metadata is written before the object, so a reader never
 * sees a new object without its metadata (a crash between leaves metadata that the next put of the
 * key replaces).
 */
export class FileSink implements BucketSink {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  pathOf(key: string): string {
    return this.under(this.root, key);
  }

  private under(base: string, key: string): string {
    const path = join(base, keyToRelativePath(key));
    // Belt and braces: the escaping above already rules this out.
    const prefix = base.endsWith(sep) ? base : base + sep;
    if (!path.startsWith(prefix)) throw new Error(`object key ${JSON.stringify(key)} escapes the export directory`);
    return path;
  }

  async put(key: string, body: Buffer, signal?: AbortSignal, metadata?: ObjectMetadata): Promise<void> {
    signal?.throwIfAborted();
    const path = this.pathOf(key);
    const metaPath = this.under(join(this.root, META_DIR), key);
    if (metadata && Object.keys(metadata).length > 0) {
      await this.writeAtomically(metaPath, Buffer.from(JSON.stringify(metadata)), signal);
    } else {
      await rm(metaPath, { force: true });
    }
    await this.writeAtomically(path, body, signal);
  }

  private async writeAtomically(path: string, body: Buffer, signal?: AbortSignal): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    const tmpDir = join(this.root, TMP_DIR);
    await mkdir(tmpDir, { recursive: true });
    // Write beside, then rename: a reader (or a crash) never sees half an object.
    const tmp = join(tmpDir, `${randomUUID()}.tmp`);
    try {
      await writeFile(tmp, body, { signal });
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async get(key: string): Promise<StoredObject | undefined> {
    let body: Buffer;
    try {
      body = await readFile(this.pathOf(key));
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
    let metadata: ObjectMetadata = {};
    try {
      metadata = JSON.parse(await readFile(this.under(join(this.root, META_DIR), key), 'utf8')) as ObjectMetadata;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    return { body, metadata };
  }

  async list(prefix: string): Promise<string[]> {
    // Walk only the directory the prefix's complete segments name.
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash === -1 ? '' : prefix.slice(0, slash);
    const start = slash === -1 ? this.root : this.pathOf(dirKey);
    const keys: string[] = [];
    const walk = async (dir: string, keyPrefix: string | undefined): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (isMissing(e) || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw e;
      }
      for (const e of entries) {
        if (dir === this.root && (e.name === META_DIR || e.name === TMP_DIR)) continue;
        const key = keyPrefix === undefined ? segmentToKey(e.name) : `${keyPrefix}/${segmentToKey(e.name)}`;
        if (e.isDirectory()) await walk(join(dir, e.name), key);
        else if (e.isFile() && key.startsWith(prefix)) keys.push(key);
      }
    };
    await walk(start, slash === -1 ? undefined : dirKey);
    return keys.sort(byUtf8);
  }

  async close(): Promise<void> {}
}

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface S3SinkOptions {
  bucket: string;
  /** S3-compatible endpoint (path-style addressing); undefined = AWS S3. */
  endpoint?: string;
  region: string;
  /** undefined = the SDK's default provider chain (env, profile, container/instance role…). */
  credentials?: S3Credentials;
}

type S3Sdk = Pick<typeof S3, 'PutObjectCommand' | 'GetObjectCommand' | 'ListObjectsV2Command'>;

export class S3Sink implements BucketSink {
  private s3: Promise<{ client: S3.S3Client; sdk: S3Sdk }> | undefined;

  constructor(private readonly opts: S3SinkOptions) {}

  private load() {
    // Loaded lazily: a server that never exports to S3 never loads the S3 SDK.
    return (this.s3 ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: this.opts.region,
        endpoint: this.opts.endpoint,
        forcePathStyle: this.opts.endpoint !== undefined,
        // A bucket in another Region answers 301 on AWS; follow it rather than fail the export.
        followRegionRedirects: this.opts.endpoint === undefined,
        credentials: this.opts.credentials,
        // Only send checksums S3 requires: several S3-compatible servers reject the newer
        // x-amz-checksum-* / aws-chunked uploads that the SDK otherwise adds to PutObject.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    })));
  }

  async put(key: string, body: Buffer, signal?: AbortSignal, metadata?: ObjectMetadata): Promise<void> {
    const { client, sdk } = await this.load();
    await client.send(
      new sdk.PutObjectCommand({ Bucket: this.opts.bucket, Key: key, Body: body, ContentLength: body.length, Metadata: metadata }),
      { abortSignal: signal },
    );
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const { client, sdk } = await this.load();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      const body = Buffer.from(await res.Body!.transformToByteArray());
      return { body, metadata: res.Metadata ?? {} };
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
      throw e;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const { client, sdk } = await this.load();
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const res = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.opts.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of res.Contents ?? []) if (o.Key !== undefined) keys.push(o.Key);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async close(): Promise<void> {
    if (this.s3) (await this.s3).client.destroy();
  }
}

export interface ExportDestinationsOptions {
  /** Raw `export.buckets` map (validated here again). */
  buckets: Record<string, string> | undefined;
  s3Region?: string;
  s3Credentials?: S3Credentials;
}

/** The configured buckets; sinks are created on first use and shared. */
export class ExportDestinations {
  private readonly map: Map<string, ExportDestination>;
  private readonly sinks = new Map<string, BucketSink>();

  constructor(private readonly opts: ExportDestinationsOptions) {
    this.map = parseBucketMap(opts.buckets);
  }

  has(bucket: string): boolean {
    return this.map.has(bucket);
  }

  /** Where a bucket really is (readers that go to the files themselves, e.g. Athena's external tables). */
  destination(bucket: string): ExportDestination | undefined {
    return this.map.get(bucket);
  }

  /** The Region and credentials S3 destinations are reached with (undefined = the default chain). */
  get s3(): { region: string; credentials?: S3Credentials } {
    return { region: this.opts.s3Region ?? 'us-east-1', credentials: this.opts.s3Credentials };
  }

  sink(bucket: string): ExportSink | undefined {
    return this.bucket(bucket);
  }

  /** The same sink as `sink`, readable. */
  bucket(bucket: string): BucketSink | undefined {
    const existing = this.sinks.get(bucket);
    if (existing) return existing;
    const d = this.map.get(bucket);
    if (!d) return undefined;
    const sink: BucketSink = d.kind === 'file'
      ? new FileSink(d.dir)
      : new S3Sink({ bucket: d.bucket, endpoint: d.endpoint, region: this.opts.s3Region ?? 'us-east-1', credentials: this.opts.s3Credentials });
    this.sinks.set(bucket, sink);
    return sink;
  }

  async close(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((s) => s.close()));
    this.sinks.clear();
  }
}

/** The destinations of an `export` config section (Logs export tasks and CloudTrail trails share it). */
export function exportDestinationsFrom(config: ExportConfig): ExportDestinations {
  const { s3AccessKeyId, s3SecretAccessKey } = config;
  return new ExportDestinations({
    buckets: config.buckets,
    s3Region: config.s3Region,
    s3Credentials: s3AccessKeyId !== undefined && s3SecretAccessKey !== undefined
      ? { accessKeyId: s3AccessKeyId, secretAccessKey: s3SecretAccessKey }
      : undefined,
  });
}
