/**
 * In-memory stand-ins for the export tests: an export-task store on in-memory SQLite, a log store
 * that answers readStream / listStreams like the real ones, and a sink that records its objects.
 */
import { gunzipSync } from 'node:zlib';
import type { MetaDb } from '../../../store/meta/sql/types.ts';
import { openTestMetaDb } from '../../../store/meta/test-support.ts';
import { ExportTaskStore } from '../../../store/meta/export-tasks.ts';
import type { GroupKey, ListStreamsQuery, LogGroupRecord, LogStreamRecord } from '../../../store/meta/logs.ts';
import type { LogEventRow, ReadStreamQuery } from '../../../store/telemetry/log-events.ts';
import type { ExportSink } from '../../../store/buckets/sinks.ts';

/** The metadata schema as the server migrates it. */
export function memoryDb(): Promise<MetaDb> {
  return openTestMetaDb();
}

export const memoryTaskRepo = async (): Promise<ExportTaskStore> => new ExportTaskStore(await memoryDb());

/** Groups, streams and events of one fake deployment. */
export class FakeLogs {
  readonly groups = new Map<string, LogGroupRecord>();
  private readonly events = new Map<string, LogEventRow[]>();
  private seq = 1n;
  /** readStream calls, for asserting that reads are paged. */
  readonly reads: ReadStreamQuery[] = [];

  private static k(account: string, region: string, group: string) {
    return `${account}\u0000${region}\u0000${group}`;
  }

  addGroup(account: string, region: string, name: string): void {
    this.groups.set(FakeLogs.k(account, region, name), {
      account, region, name, createdAt: 0, retentionDays: null, kmsKeyId: null, logGroupClass: 'STANDARD',
      deletionProtection: false, tags: {}, storedBytes: 0,
    } as LogGroupRecord);
  }

  /** Appends events (any order); they are kept sorted by (ts, seq) like the store. */
  put(account: string, region: string, group: string, stream: string, events: { ts: number; message: string; keyId?: string }[]): void {
    const key = `${FakeLogs.k(account, region, group)}\u0000${stream}`;
    const rows = this.events.get(key) ?? [];
    for (const e of events) {
      rows.push({ account, region, logGroup: group, logStream: stream, ts: e.ts, ingestTs: e.ts, seq: this.seq++, message: e.message, ...(e.keyId ? { keyId: e.keyId } : {}) });
    }
    rows.sort((a, b) => a.ts - b.ts || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    this.events.set(key, rows);
  }

  deleteStream(account: string, region: string, group: string, stream: string): void {
    this.events.delete(`${FakeLogs.k(account, region, group)}\u0000${stream}`);
  }

  async getGroup(k: GroupKey): Promise<LogGroupRecord | undefined> {
    return this.groups.get(FakeLogs.k(k.account, k.region, k.name));
  }

  async listStreams(q: ListStreamsQuery): Promise<LogStreamRecord[]> {
    const head = `${FakeLogs.k(q.account, q.region, q.logGroup)}\u0000`;
    const out: LogStreamRecord[] = [];
    for (const [key, rows] of this.events) {
      if (!key.startsWith(head)) continue;
      const name = key.slice(head.length);
      if (q.prefix !== undefined && !name.startsWith(q.prefix)) continue;
      out.push({
        name, createdAt: 0, firstEventTs: rows[0]?.ts ?? null, lastEventTs: rows.at(-1)?.ts ?? null,
        lastIngestionTime: null, storedBytes: 0, uploadSequence: 0,
      } as LogStreamRecord);
    }
    out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return out.slice(q.offset, q.offset + q.limit);
  }

  async readStream(q: ReadStreamQuery): Promise<LogEventRow[]> {
    if (!q.forward) throw new Error('fake readStream only reads forward');
    this.reads.push(q);
    const rows = this.events.get(`${FakeLogs.k(q.account, q.region, q.logGroup)}\u0000${q.logStream}`) ?? [];
    return rows
      .filter((r) => (q.startTime === undefined || r.ts >= q.startTime) && (q.endTime === undefined || r.ts < q.endTime))
      .filter((r) => !q.after || r.ts > q.after.ts || (r.ts === q.after.ts && r.seq > q.after.seq))
      .slice(0, q.limit);
  }
}

/** Records objects; `hold(pattern)` makes matching puts wait until released (to catch a task mid-run). */
export class MemorySink implements ExportSink {
  readonly objects = new Map<string, Buffer>();
  readonly puts: string[] = [];
  failWith: Error | undefined;
  private held: { test: (key: string) => boolean; gate: Promise<void>; release: () => void; waiting: (() => void)[] } | undefined;

  hold(test: (key: string) => boolean): { release: () => void; reached: Promise<void> } {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const h = { test, gate, release, waiting: [] as (() => void)[] };
    this.held = h;
    const reached = new Promise<void>((r) => h.waiting.push(r));
    return {
      release: () => {
        this.held = undefined;
        release();
      },
      reached,
    };
  }

  async put(key: string, body: Buffer, signal?: AbortSignal): Promise<void> {
    if (this.failWith) throw this.failWith;
    const h = this.held;
    if (h?.test(key)) {
      h.waiting.splice(0).forEach((r) => r());
      await Promise.race([
        h.gate,
        new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
      ]);
    }
    this.puts.push(key);
    this.objects.set(key, Buffer.from(body));
  }

  text(key: string): string {
    const b = this.objects.get(key);
    if (!b) throw new Error(`no object ${key}; have ${[...this.objects.keys()].join(', ')}`);
    return key.endsWith('.gz') ? gunzipSync(b).toString('utf8') : b.toString('utf8');
  }

  async close(): Promise<void> {}
}
