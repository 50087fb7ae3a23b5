/**
 * Runs one export: every stream of the group (optionally only those whose names start with the
 * task's prefix), the events with from <= timestamp <= to, page by page from the telemetry store
 * into gzip objects. Nothing holds more than one page of events plus the object being built.
 *
 * Deterministic: the same data gives the same keys and bytes, so an export restarted from scratch
 * after a crash overwrites what the first attempt wrote.
 */
import type { LogsMetaRepo } from '../../../store/meta/logs.ts';
import type { ExportTaskRecord } from '../../../store/meta/export-tasks.ts';
import type { LogEventCursor, LogEventStore } from '../../../store/telemetry/log-events.ts';
import type { KeyStore } from '../../../store/keys/key-store.ts';
import { GzipObjectWriter, effectivePrefix, formatLine, objectKey } from './layout.ts';
import type { ExportSink } from '../../../store/buckets/sinks.ts';

export interface ExportJob {
  task: ExportTaskRecord;
  sink: ExportSink;
  meta: Pick<LogsMetaRepo, 'listStreams'>;
  events: Pick<LogEventStore, 'readStream'>;
  /** Opens messages of encrypted groups (sealed rows); objects always hold plain text, as AWS's do. */
  keys: Pick<KeyStore, 'open'>;
  /** Called between pages: renews the lease, throws to stop (cancelled, shutting down). */
  checkpoint: () => Promise<void>;
  signal?: AbortSignal;
  /** Events per store query. */
  pageSize?: number;
  /** Start a new object (000001.gz, …) once a stream's object holds this many uncompressed bytes. */
  maxObjectBytes?: number;
}

export interface ExportResult {
  streams: number;
  objects: number;
  events: number;
  /** Uncompressed bytes exported. */
  bytes: number;
}

export const DEFAULT_PAGE_SIZE = 5_000;
export const DEFAULT_MAX_OBJECT_BYTES = 64 * 1024 * 1024;
const STREAM_PAGE = 1_000;
/**
 * listStreams pages by offset; re-reading this many names of the previous page means a stream
 * deleted meanwhile cannot shift an unexported one out of view (duplicates are skipped).
 */
const STREAM_OVERLAP = 100;
/** Lines are handed to gzip in batches of about this many characters. */
const WRITE_BATCH_CHARS = 256 * 1024;
/** Largest ms timestamp the store's bounds accept with room for the exclusive end (+1). */
const MAX_TS = Number.MAX_SAFE_INTEGER - 1;

/**
 * `to` is inclusive, as the API reference words it: "Events with a timestamp later than this time
 * are not exported" — and from == to is a valid one-millisecond export.
 */
export function storeBounds(from: number, to: number): { startTime: number; endTime: number } {
  const clamp = (v: number) => Math.max(0, Math.min(MAX_TS, Math.trunc(v)));
  return { startTime: clamp(from), endTime: clamp(to) + 1 };
}

export async function runExport(job: ExportJob): Promise<ExportResult> {
  const { task } = job;
  const result: ExportResult = { streams: 0, objects: 0, events: 0, bytes: 0 };
  const { startTime, endTime } = storeBounds(task.from, task.to);
  let offset = 0;
  let previous = new Set<string>();
  for (;;) {
    const page = await job.meta.listStreams({
      account: task.account,
      region: task.region,
      logGroup: task.logGroup,
      prefix: task.logStreamPrefix ?? undefined,
      orderBy: 'LogStreamName',
      descending: false,
      offset,
      limit: STREAM_PAGE,
    });
    for (const s of page) {
      if (previous.has(s.name)) continue;
      // Streams whose recorded event span misses the range cannot contribute; unknown spans are read.
      if (s.lastEventTs !== null && s.lastEventTs < startTime) continue;
      if (s.firstEventTs !== null && s.firstEventTs >= endTime) continue;
      const n = await exportStream(job, s.name, startTime, endTime, result);
      if (n > 0) result.streams++;
    }
    if (page.length < STREAM_PAGE) break;
    previous = new Set(page.map((s) => s.name));
    offset += page.length - STREAM_OVERLAP;
  }
  return result;
}

async function exportStream(job: ExportJob, logStream: string, startTime: number, endTime: number, result: ExportResult): Promise<number> {
  const { task, sink } = job;
  const pageSize = job.pageSize ?? DEFAULT_PAGE_SIZE;
  const maxObjectBytes = job.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  const prefix = effectivePrefix(task.destinationPrefix);
  let part = 0;
  let exported = 0;
  let obj = new GzipObjectWriter();
  let batch: string[] = [];
  let batchChars = 0;
  let batchBytes = 0;

  const writeBatch = async () => {
    if (batch.length === 0) return;
    await obj.write(batch.join(''), batch.length);
    batch = [];
    batchChars = 0;
    batchBytes = 0;
  };
  const flushObject = async () => {
    await writeBatch();
    if (obj.lines === 0) return;
    const body = await obj.finish();
    await sink.put(objectKey(prefix, task.taskId, logStream, part), body, job.signal);
    result.objects++;
    part++;
    obj = new GzipObjectWriter();
  };

  try {
    let after: LogEventCursor | undefined;
    for (;;) {
      const rows = await job.events.readStream({
        account: task.account,
        region: task.region,
        logGroup: task.logGroup,
        logStream,
        startTime,
        endTime,
        limit: pageSize,
        forward: true,
        after,
      });
      for (const r of rows) {
        const line = formatLine(r.ts, r.keyId ? job.keys.open(r.keyId, r.message) : r.message);
        const bytes = Buffer.byteLength(line, 'utf8');
        // Split before a line that would take a non-empty object past the threshold.
        if (obj.bytes + batchBytes > 0 && obj.bytes + batchBytes + bytes > maxObjectBytes) await flushObject();
        batch.push(line);
        batchChars += line.length;
        batchBytes += bytes;
        if (batchChars >= WRITE_BATCH_CHARS) await writeBatch();
        exported++;
        result.events++;
        result.bytes += bytes;
      }
      await writeBatch();
      if (rows.length < pageSize) break;
      const last = rows[rows.length - 1];
      after = { ts: last.ts, seq: last.seq };
      await job.checkpoint();
    }
    await flushObject();
  } finally {
    obj.discard();
  }
  await job.checkpoint();
  return exported;
}
