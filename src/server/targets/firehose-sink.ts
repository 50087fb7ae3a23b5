/**
 * Where records for a Kinesis stream or Firehose delivery stream go, as the `streams` config maps
 * them (Osprey has no Kinesis): `file:///abs/path` (one base64 record per line, fsynced) or an
 * http(s) URL that receives Firehose's HTTP endpoint delivery requests — `{"requestId","timestamp",
 * "records":[{"data":"<base64>"}]}` with X-Amz-Firehose-Request-Id (stable across retries of the
 * same records), X-Amz-Firehose-Source-Arn, X-Amz-Firehose-Protocol-Version and, when the URL ends
 * in `#accessKey=<key>` (a fragment is never sent), X-Amz-Firehose-Access-Key. Shared by Logs
 * subscription filters and CloudWatch metric streams.
 */
import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

export type StreamSink = { kind: 'file'; path: string } | { kind: 'http'; url: string; accessKey?: string };

/** A delivery's result as the outbox worker needs it. */
export type SinkOutcome = { ok: true } | { ok: false; permanent: boolean; error: string; retryAfterMs?: number };

/** Firehose's HTTP endpoint requests carry at most 500 records / 4 MiB, like PutRecordBatch. */
const MAX_RECORDS_PER_REQUEST = 500;
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export function parseStreamSink(value: string): StreamSink | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('file:')) {
    try {
      const path = fileURLToPath(value);
      return isAbsolute(path) ? { kind: 'file', path } : undefined;
    } catch {
      return undefined;
    }
  }
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    const key = /^#accessKey=(.+)$/.exec(u.hash)?.[1];
    u.hash = '';
    return { kind: 'http', url: u.toString(), ...(key ? { accessKey: decodeURIComponent(key) } : {}) };
  } catch {
    return undefined;
  }
}

export interface SinkRecord<K> {
  /** What the caller settles with the record's outcome (e.g. outbox row ids). */
  key: K;
  /** Base64 of the record's bytes. */
  data: string;
}

export interface SinkDelivery {
  post(url: string, body: string, headers: Record<string, string>): Promise<SinkOutcome>;
  now(): number;
}

/**
 * Sends the records; `settle` receives every record's outcome. An unreachable or failing endpoint
 * (a retryable failure) settles the remaining records with it instead of trying them too.
 */
export async function deliverToSink<K>(d: SinkDelivery, sink: StreamSink, sourceArn: string, records: SinkRecord<K>[],
  settle: (keys: K[], o: SinkOutcome) => void): Promise<void> {
  if (sink.kind === 'file') {
    settle(records.map((r) => r.key), await appendLines(sink.path, records.map((r) => r.data)));
    return;
  }
  for (let start = 0; start < records.length;) {
    let end = start;
    let bytes = 0;
    while (end < records.length && end - start < MAX_RECORDS_PER_REQUEST && (end === start || bytes + records[end]!.data.length <= MAX_REQUEST_BYTES)) {
      bytes += records[end]!.data.length;
      end++;
    }
    const chunk = records.slice(start, end);
    const requestId = stableUuid(`${sourceArn}|${chunk.flatMap((r) => (Array.isArray(r.key) ? r.key : [r.key])).join(',')}`);
    const body = JSON.stringify({ requestId, timestamp: d.now(), records: chunk.map((r) => ({ data: r.data })) });
    const o = await d.post(sink.url, body, {
      'content-type': 'application/json',
      'x-amz-firehose-protocol-version': '1.0',
      'x-amz-firehose-request-id': requestId,
      'x-amz-firehose-source-arn': sourceArn,
      ...(sink.accessKey ? { 'x-amz-firehose-access-key': sink.accessKey } : {}),
    });
    settle(chunk.map((r) => r.key), o);
    if (!o.ok && !o.permanent) {
      settle(records.slice(end).map((r) => r.key), o);
      return;
    }
    start = end;
  }
}

/** Appends one line per record and fsyncs before reporting success. */
async function appendLines(path: string, lines: string[]): Promise<SinkOutcome> {
  try {
    await mkdir(dirname(path), { recursive: true });
    const fh = await open(path, 'a');
    try {
      await fh.write(lines.map((l) => `${l}\n`).join(''));
      await fh.datasync();
    } finally {
      await fh.close();
    }
    return { ok: true };
  } catch (e) {
    return { ok: false, permanent: false, error: `cannot append to ${path}: ${(e as Error).message}` };
  }
}

/** A UUID-shaped id derived from `key`: the same records get the same request id on every retry. */
function stableUuid(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
