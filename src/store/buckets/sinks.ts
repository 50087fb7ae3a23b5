/**
 * The operator's buckets (`export.buckets`): a local directory or an S3-compatible bucket. A sink
 * only knows "put these bytes at this key"; object layouts belong to their writers (Logs export
 * tasks, CloudTrail trails).
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join, resolve, sep } from 'node:path';
import type { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseBucketMap, type ExportConfig, type ExportDestination } from '../../config/bucket-map.ts';

export interface ExportSink {
  /** Writes (or overwrites) one object. Rejects on failure; never leaves a partial object visible. */
  put(key: string, body: Buffer, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
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

export class FileSink implements ExportSink {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  pathOf(key: string): string {
    const path = join(this.root, keyToRelativePath(key));
    // Belt and braces: the escaping above already rules this out.
    const base = this.root.endsWith(sep) ? this.root : this.root + sep;
    if (!path.startsWith(base)) throw new Error(`object key ${JSON.stringify(key)} escapes the export directory`);
    return path;
  }

  async put(key: string, body: Buffer, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Write beside, then rename: a reader (or a crash) never sees half an object.
    const tmp = `${path}.${randomUUID()}.tmp`;
    try {
      await writeFile(tmp, body, { signal });
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async close(): Promise<void> {}
}

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

export class S3Sink implements ExportSink {
  private s3: Promise<{ client: S3Client; PutObjectCommand: typeof PutObjectCommand }> | undefined;

  constructor(private readonly opts: S3SinkOptions) {}

  private load() {
    // Loaded lazily: a server that never exports to S3 never loads the S3 SDK.
    return (this.s3 ??= import('@aws-sdk/client-s3').then((sdk) => ({
      PutObjectCommand: sdk.PutObjectCommand,
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

  async put(key: string, body: Buffer, signal?: AbortSignal): Promise<void> {
    const { client, PutObjectCommand } = await this.load();
    await client.send(
      new PutObjectCommand({ Bucket: this.opts.bucket, Key: key, Body: body, ContentLength: body.length }),
      { abortSignal: signal },
    );
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
  private readonly sinks = new Map<string, ExportSink>();

  constructor(private readonly opts: ExportDestinationsOptions) {
    this.map = parseBucketMap(opts.buckets);
  }

  has(bucket: string): boolean {
    return this.map.has(bucket);
  }

  sink(bucket: string): ExportSink | undefined {
    const existing = this.sinks.get(bucket);
    if (existing) return existing;
    const d = this.map.get(bucket);
    if (!d) return undefined;
    const sink: ExportSink = d.kind === 'file'
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
