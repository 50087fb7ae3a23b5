// Shared by the Firehose tests: a server whose buckets are directories, and reading objects back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSink } from '../../src/store/buckets/sinks.ts';

export function bucketDirs(names: string[]): Record<string, string> {
  const root = mkdtempSync(join(tmpdir(), 'osprey-fh-buckets-'));
  return Object.fromEntries(names.map((n) => [n, join(root, n)]));
}

export const bucketMap = (dirs: Record<string, string>) => JSON.stringify(Object.fromEntries(Object.entries(dirs).map(([b, d]) => [b, `file://${d}`])));

/** Every object under `prefix` of a directory bucket: key → body. */
export async function objects(dir: string, prefix = ''): Promise<Map<string, Buffer>> {
  const sink = new FileSink(dir);
  const out = new Map<string, Buffer>();
  for (const key of await sink.list(prefix)) out.set(key, (await sink.get(key))!.body);
  return out;
}

export const s3Dest = (bucket: string, extra: Record<string, unknown> = {}) => ({
  RoleARN: 'arn:aws:iam::000000000000:role/firehose', BucketARN: `arn:aws:s3:::${bucket}`, ...extra,
});
