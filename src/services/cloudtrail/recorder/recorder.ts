/**
 * Makes CloudTrail records durable and stores them. `append` writes each record to the recorder's
 * write-ahead log (src/store/wal) and resolves once it is written, so an answered API call's record
 * survives kill -9; a flush every `flushMs` (and on demand, e.g. before LookupEvents reads) moves
 * the sealed log segment into `trail_events` in one insert and then deletes the segment. At start,
 * segments a crashed process left are stored first (records already stored are skipped by event id).
 *
 * Every record gets a `seq`: strictly increasing in log order and across restarts (never below the
 * stored maximum nor below the wall clock in µs), so trail delivery and Lake can read `seq > cursor`.
 */
import type { Logger } from '../../../lib/logger.ts';
import type { Job } from '../../../server/module.ts';
import type { TrailEventStore } from '../../../store/telemetry/trail-events.ts';
import { AppendLog } from '../../../store/wal/append-log.ts';
import { toRow } from '../record/row.ts';
import type { CloudTrailRecord, StoredTrailEvent } from '../record/types.ts';

export interface TrailRecorderOptions {
  dir: string;
  fsync: boolean;
  store: TrailEventStore;
  log: Logger;
  /** Told about each batch once it is stored (in seq order). */
  stored?: (batch: readonly StoredTrailEvent[]) => void;
  /** How often appended records are moved to the store (default 200 ms). */
  flushMs?: number;
}

/** A log line: the stored event in short keys. */
interface Line { s: number; t: number; a: string; g: string; r: CloudTrailRecord }

export class TrailRecorder {
  private seq = 0;
  /** Records written to each (unsealed or sealed) segment, in seq order. */
  private readonly written = new Map<string, StoredTrailEvent[]>();
  /** Sealed segments waiting to be stored, oldest first. */
  private readonly sealed: string[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly wal: AppendLog, private readonly opts: TrailRecorderOptions) {}

  static async open(opts: TrailRecorderOptions): Promise<TrailRecorder> {
    const { log, leftover } = await AppendLog.open(opts.dir, { fsync: opts.fsync });
    const recorder = new TrailRecorder(log, opts);
    recorder.seq = await opts.store.maxSeq();
    for (const segment of leftover) await recorder.replay(segment);
    return recorder;
  }

  /** Resolves once every record is durable (not yet necessarily visible to reads: see flush). */
  append(records: ReadonlyArray<{ record: CloudTrailRecord; eventTime: number }>): Promise<void> {
    return Promise.all(records.map(({ record, eventTime }) => {
      const e: StoredTrailEvent = { account: record.recipientAccountId, region: record.awsRegion, eventTime, seq: this.nextSeq(), record };
      const line: Line = { s: e.seq, t: e.eventTime, a: e.account, g: e.region, r: record };
      return this.wal.append(JSON.stringify(line), (segment) => this.noteWritten(segment, e));
    })).then(() => undefined);
  }

  /** Stores everything appended before this call; reads made afterwards see it. */
  flush(): Promise<void> {
    const run = (this.flushing ?? Promise.resolve()).then(() => this.flushOnce());
    this.flushing = run.finally(() => {
      if (this.flushing === tracked) this.flushing = undefined;
    });
    const tracked = this.flushing;
    return run;
  }

  /** The periodic flush, as a job the module returns. */
  job(): Job {
    const every = this.opts.flushMs ?? 200;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.flush().catch((err) => this.opts.log.error({ err }, 'storing CloudTrail records failed; retrying'))
          .finally(() => {
            if (this.timer) tick();
          });
      }, every);
      this.timer.unref();
    };
    return {
      name: 'cloudtrail-recorder',
      start: () => tick(),
      stop: async () => {
        clearTimeout(this.timer);
        this.timer = undefined;
        await this.flush().catch((err) => this.opts.log.error({ err }, 'storing CloudTrail records at shutdown failed; they stay in the log'));
      },
    };
  }

  async close(): Promise<void> {
    await this.wal.close();
  }

  private nextSeq(): number {
    this.seq = Math.max(this.seq + 1, Date.now() * 1000);
    return this.seq;
  }

  private noteWritten(segment: string, e: StoredTrailEvent): void {
    let list = this.written.get(segment);
    if (!list) this.written.set(segment, (list = []));
    list.push(e);
  }

  private async flushOnce(): Promise<void> {
    const current = [...this.written.keys()].filter((s) => !this.sealed.includes(s));
    if (current.length > 0) this.sealed.push(await this.wal.rotate());
    while (this.sealed.length > 0) {
      const segment = this.sealed[0]!;
      const batch = this.written.get(segment) ?? [];
      if (batch.length > 0) await this.opts.store.append(batch.map(toRow));
      this.sealed.shift();
      this.written.delete(segment);
      if (batch.length > 0) this.opts.stored?.(batch);
      await this.wal.remove(segment);
    }
  }

  private async replay(segment: string): Promise<void> {
    const events = AppendLog.readSegment(segment).map((l) => {
      const x = JSON.parse(l) as Line;
      return { account: x.a, region: x.g, eventTime: x.t, seq: x.s, record: x.r } satisfies StoredTrailEvent;
    });
    const present = await this.opts.store.existingIds(events.map((e) => e.record.eventID));
    const missing = events.filter((e) => !present.has(e.record.eventID));
    if (missing.length > 0) await this.opts.store.append(missing.map(toRow));
    for (const e of events) this.seq = Math.max(this.seq, e.seq);
    if (missing.length > 0) this.opts.stored?.(missing);
    await this.wal.remove(segment);
    this.opts.log.info({ segment, records: events.length, restored: missing.length }, 'CloudTrail log segment replayed');
  }
}
