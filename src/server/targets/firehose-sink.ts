/**
 * Where records for a Kinesis stream or Firehose delivery stream go, as the `streams` config maps
 * them: `file:///abs/path` (one base64 record per line, fsynced) or an http(s) URL that receives
 * Firehose's HTTP endpoint delivery requests (firehose-http-request.ts); when the URL ends in
 * `#accessKey=<key>` (a fragment is never sent) the key goes in X-Amz-Firehose-Access-Key. Shared by
 * Logs subscription filters and CloudWatch metric streams.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firehoseRequest, requestChunks, stableRequestId } from './firehose-http-request.ts';

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
  for (const [start, end] of requestChunks(records.map((r) => r.data), MAX_RECORDS_PER_REQUEST, MAX_REQUEST_BYTES)) {
    const chunk = records.slice(start, end);
    const requestId = stableRequestId(`${sourceArn}|${chunk.flatMap((r) => (Array.isArray(r.key) ? r.key : [r.key])).join(',')}`);
    const { body, headers } = firehoseRequest({ requestId, timestamp: d.now(), records: chunk.map((r) => r.data), sourceArn, accessKey: sink.accessKey });
    // Without gzip the body is the JSON text.
    const o = await d.post(sink.url, body as string, headers);
    settle(chunk.map((r) => r.key), o);
    if (!o.ok && !o.permanent) {
      settle(records.slice(end).map((r) => r.key), o);
      return;
    }
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
