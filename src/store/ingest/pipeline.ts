/**
 * The generic ingest pipeline (issue 17): append → WAL (group commit) → head → engine in large
 * batches. A store supplies a codec (its rows ↔ WAL records) and a head (its rows → engine inserts);
 * this file owns durability, the flush schedule, back-pressure and exactly-once replay.
 *
 * - append(rows) resolves once the rows' record is durable in the WAL and the rows are in the head.
 *   Rows enter the head in LSN order, one WAL group at a time (wal.ts onDurable), so the head
 *   always holds exactly the LSNs (flushed or in-flight batch, headLsn].
 * - A flush drains the head into one batch covering LSNs (flushedLsn, headLsn], records the intent
 *   (checkpoint.ts), inserts it with a token derived from that range, records the new flushedLsn,
 *   then releases the WAL up to it. One flush at a time; the next batch fills meanwhile.
 * - A failed insert keeps the batch and retries it with the same token (ClickHouse drops the copy
 *   if an earlier attempt had landed), with backoff. Rows are never dropped: while a batch waits,
 *   its bytes still count against maxHeadBytes, so ingest sheds load with IngestOverloadedError
 *   instead of growing the heap.
 * - After a crash, records above the checkpoint are replayed into the head; if an intent was
 *   pending, its records (a, b] form the first batch, inserted with the same token.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { IngestOverloadedError, StoreClosedError } from '../telemetry/group-commit.ts';
import { readCheckpoint, writeCheckpoint, type FlushIntent, type PipelineCheckpoint } from './checkpoint.ts';
import type {
  Head, HeadBatch, IngestLogger, IngestObserver, IngestPipeline, IngestPipelineOptions, IngestPipelineStats, WalCodec,
} from './types.ts';
import { Wal, type WalFileSystem, type WalRecord } from './wal.ts';

export const INGEST_PIPELINE_DEFAULTS = {
  flushRows: 500_000,
  flushBytes: 64 * 1024 * 1024,
  flushIntervalMs: 1_000,
  maxHeadBytes: 256 * 1024 * 1024,
  retryDelayMs: 100,
  closeTimeoutMs: 30_000,
};

const MAX_RETRY_DELAY_MS = 5_000;
/** How long a read waits for a flush in flight (read-your-writes.ts waits as long for a sync). */
const READ_WAIT_MS = 5_000;
/** Snapshot + query attempts before a read that met a new flush each time falls back to sync(). */
const READ_ATTEMPTS = 2;
/** How long a drain waits for the reads under way (milliseconds, unless the engine is saturated). */
const READ_GATE_MS = 250;

interface FlushJob extends FlushIntent {
  batch: HeadBatch;
  rows: number;
  /** Head bytes the batch held when drained: still counted against maxHeadBytes until inserted. */
  bytes: number;
  intentWritten: boolean;
}

interface SyncWaiter {
  lsn: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

type Settings = typeof INGEST_PIPELINE_DEFAULTS & { dir: string; fsync: boolean; segmentBytes?: number; observer?: IngestObserver };

/** `fs` replaces the WAL's file operations (tests inject failures). */
export async function createIngestPipeline<R>(
  codec: WalCodec<R>, head: Head<R>, opts: IngestPipelineOptions, internals?: { fs?: WalFileSystem },
): Promise<IngestPipeline<R>> {
  return Pipeline.open(codec, head, opts, internals?.fs);
}

class Pipeline<R> implements IngestPipeline<R> {
  private wal!: Wal<readonly R[]>;
  /** Every record with LSN ≤ this is in the engine. */
  private flushedLsn: number;
  /** The last LSN whose rows are in the head or in the batch being flushed. */
  private headLsn: number;
  private job: FlushJob | undefined;
  private flushing: Promise<void> | undefined;
  private flushWanted = false;
  private timer: NodeJS.Timeout | undefined;
  private syncWaiters: SyncWaiter[] = [];
  /** Batches drained from the head so far (readWithHead detects a drain during its query). */
  private drains = 0;
  /** Reads between their snapshot and the end of their query (readWithHead). */
  private reading = 0;
  /** A drain is waiting for those reads: new reads wait for its batch instead. */
  private drainWaiting = false;
  private readersWaiters: Array<() => void> = [];
  private batchWaiters: Array<() => void> = [];
  private closing: Promise<void> | undefined;
  private closeDeadline = Infinity;
  private readonly counters = { flushes: 0, flushedRows: 0, failedFlushes: 0, lastFlushMs: 0 };

  private constructor(
    private readonly codec: WalCodec<R>,
    private readonly head: Head<R>,
    private readonly s: Settings,
    private readonly log: IngestLogger,
    private readonly checkpointId: string,
    flushedLsn: number,
  ) {
    this.flushedLsn = this.headLsn = flushedLsn;
  }

  static async open<R>(codec: WalCodec<R>, head: Head<R>, opts: IngestPipelineOptions, fs?: WalFileSystem): Promise<Pipeline<R>> {
    const s: Settings = { ...INGEST_PIPELINE_DEFAULTS, ...definedOnly(opts), dir: opts.dir, fsync: opts.fsync };
    const log: IngestLogger = opts.logger ?? (() => undefined);
    mkdirSync(s.dir, { recursive: true });
    let cp = readCheckpoint(s.dir);
    if (!cp) {
      cp = { id: randomUUID(), flushedLsn: 0 };
      await writeCheckpoint(s.dir, cp, s.fsync);
    }
    const p = new Pipeline(codec, head, s, log, cp.id, cp.flushedLsn);
    const { wal, records, problems } = await Wal.open<readonly R[]>({
      dir: s.dir, fsync: s.fsync, segmentBytes: s.segmentBytes, fs,
      replayAfter: cp.flushedLsn, minLsn: Math.max(cp.flushedLsn, cp.intent?.to ?? 0),
      onDurable: (items, lastLsn) => p.onDurable(items, lastLsn),
    });
    p.wal = wal;
    for (const pr of problems) {
      log('warn', `WAL ${pr.action === 'truncated' ? 'torn tail cut' : 'corrupt segment, rest skipped'}: ${pr.segment} at byte ${pr.offset}: ${pr.reason}`);
    }
    await p.replay(records, cp);
    return p;
  }

  get pending(): boolean {
    return this.head.rows > 0 || this.job !== undefined;
  }

  append(rows: readonly R[]): Promise<void> {
    if (this.closing) return Promise.reject(new StoreClosedError());
    if (rows.length === 0) return Promise.resolve();
    const held = this.heldBytes();
    if (held >= this.s.maxHeadBytes) return Promise.reject(new IngestOverloadedError(held));
    let payload: Buffer;
    try {
      payload = this.codec.encode(rows);
    } catch (e) {
      return Promise.reject(e);
    }
    const observer = this.s.observer;
    if (!observer) return this.wal.append(payload, rows);
    return this.wal.append(payload, rows).then(() => observer.appended(rows.length, payload.length));
  }

  async sync(): Promise<void> {
    // Appends made before this call are durable (in the head) or failed once the WAL settles.
    await this.wal.settled();
    const lsn = this.headLsn;
    if (this.flushedLsn >= lsn) return;
    return new Promise<void>((resolve, reject) => {
      this.syncWaiters.push({ lsn, resolve, reject });
      this.flushWanted = true;
      this.kick();
    });
  }

  /**
   * Rows are in the head (not yet drained: in no insert) or in the engine once their batch's
   * insert returned. So with no batch in flight when the snapshot is taken and no batch drained
   * until the query has returned, the two hold every acknowledged row exactly once. A batch in
   * flight (or one about to be drained) is waited for, bounded: past READ_WAIT_MS its rows are
   * missed, as a read-your-writes read past its bound misses them. A drain waits up to
   * READ_GATE_MS for the reads under way (drainWhenReadsEnd), so a drain during a query is rare;
   * if one happens anyway the query may or may not have seen that batch, so the read is tried
   * again, and after READ_ATTEMPTS it syncs instead.
   */
  async readWithHead<S, T>(snapshot: () => S, query: () => Promise<T>): Promise<[S | undefined, T]> {
    const deadline = performance.now() + READ_WAIT_MS;
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      while ((this.job !== undefined || this.drainWaiting) && performance.now() < deadline) {
        await bounded(new Promise<void>((r) => this.batchWaiters.push(r)), deadline);
      }
      const drains = this.drains;
      this.reading++;
      let result: [S, T];
      try {
        const snap = snapshot();
        result = [snap, await query()];
      } finally {
        if (--this.reading === 0) for (const w of this.readersWaiters.splice(0)) w();
      }
      if (this.drains === drains) return result;
    }
    await bounded(this.sync(), deadline);
    return [undefined, await query()];
  }

  /** Before a drain: lets the reads under way finish (up to READ_GATE_MS); new reads wait for the batch. */
  private async drainWhenReadsEnd(): Promise<void> {
    this.drainWaiting = true;
    try {
      await bounded(new Promise<void>((r) => this.readersWaiters.push(r)), performance.now() + READ_GATE_MS);
    } finally {
      this.drainWaiting = false;
    }
  }

  /** Wakes the reads waiting for a batch (it was inserted, or the flush loop stopped). */
  private releaseBatchWaiters(): void {
    for (const w of this.batchWaiters.splice(0)) w();
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  stats(): IngestPipelineStats {
    return {
      walBytes: this.wal.bytes,
      walSegments: this.wal.segments,
      headRows: this.head.rows + (this.job?.rows ?? 0),
      headBytes: this.heldBytes(),
      ...this.counters,
    };
  }

  private heldBytes(): number {
    return this.head.bytes + (this.job?.bytes ?? 0) + this.wal.pendingBytes;
  }

  private async shutdown(): Promise<void> {
    await this.wal.settled();
    this.closeDeadline = performance.now() + this.s.closeTimeoutMs;
    this.flushWanted = true;
    this.kick();
    while (this.flushing) await this.flushing;
    clearTimeout(this.timer);
    if (this.pending) {
      this.log('error', `ingest pipeline ${this.s.dir} closed with ${this.head.rows + (this.job?.rows ?? 0)} rows not in the engine; they stay in the WAL and are replayed on the next open`);
    }
    for (const w of this.syncWaiters.splice(0)) w.reject(new StoreClosedError());
    await this.wal.close();
  }

  /** WAL callback: a group of records is durable; its rows join the head in LSN order. */
  private onDurable(items: Array<readonly R[]>, lastLsn: number): void {
    const wasEmpty = this.head.rows === 0;
    try {
      for (const rows of items) this.head.add(rows);
    } finally {
      this.headLsn = lastLsn;
      this.afterAdd(wasEmpty);
    }
  }

  private afterAdd(wasEmpty: boolean): void {
    if (this.head.rows >= this.s.flushRows || this.head.bytes >= this.s.flushBytes) {
      this.flushWanted = true;
      this.kick();
    } else if (wasEmpty && this.head.rows > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flushWanted = true;
        this.kick();
      }, this.s.flushIntervalMs);
      // The rows are in the WAL: a pending flush must not keep the process alive.
      this.timer.unref();
    }
  }

  /**
   * Puts the records above the checkpoint back into the head, oldest first. A pending intent's
   * records form the first batch on their own. Whenever the head reaches a flush threshold the
   * replay waits for that flush, so a long backlog never holds more than a normal head (if the
   * engine is down, open() waits here while the flush retries).
   */
  private async replay(records: WalRecord[], cp: PipelineCheckpoint): Promise<void> {
    const intent = cp.intent && cp.intent.to > cp.flushedLsn ? cp.intent : undefined;
    let staged = intent === undefined;
    for (const r of records) {
      if (!staged && r.lsn > intent!.to) staged = this.stageIntent(intent!);
      try {
        this.head.add(this.codec.decode(r.payload));
      } catch (e) {
        this.log('error', `WAL record ${r.lsn} in ${this.s.dir} cannot be decoded; skipped`, e);
      }
      this.headLsn = r.lsn;
      if (staged && (this.head.rows >= this.s.flushRows || this.head.bytes >= this.s.flushBytes)) await this.flushNow();
    }
    if (!staged) this.stageIntent(intent!);
    if (records.length > 0) {
      this.log('info', `replayed ${records.length} WAL records (LSN ${records[0]!.lsn}–${records.at(-1)!.lsn}) in ${this.s.dir}`);
    }
    if (this.job || this.head.rows > 0) {
      this.flushWanted = true;
      this.kick();
    }
  }

  /** Flushes the staged batch and the head, and waits until the flush loop is idle. */
  private async flushNow(): Promise<void> {
    this.flushWanted = true;
    this.kick();
    while (this.flushing) await this.flushing;
  }

  /** The first batch after a crash with a pending intent: exactly its records, its token. */
  private stageIntent(intent: FlushIntent): true {
    this.drains++;
    const bytes = this.head.bytes;
    const batch = this.head.drain();
    this.job = { ...intent, batch, rows: batch.rows, bytes, intentWritten: true };
    this.headLsn = Math.max(this.headLsn, intent.to);
    return true;
  }

  private due(): boolean {
    return this.flushWanted || this.closing !== undefined || this.syncWaiters.length > 0;
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      this.releaseBatchWaiters();
    });
  }

  private async flushLoop(): Promise<void> {
    let attempt = 0;
    for (;;) {
      if (!this.job) {
        if (!this.due()) return;
        if (this.head.rows === 0) {
          // Nothing to insert (e.g. records that decoded to no rows): the range is trivially flushed.
          this.flushWanted = false;
          this.flushedLsn = this.headLsn;
          this.notifySync();
          return;
        }
        if (this.reading > 0) await this.drainWhenReadsEnd();
        this.job = this.drain();
      }
      const job = this.job;
      if (await this.runJob(job)) {
        attempt = 0;
        this.job = undefined;
        this.releaseBatchWaiters();
        // Readers go on as soon as the rows are in the engine. Recording the new flushedLsn comes
        // after: until it is written a crash replays the batch under its recorded intent, whose
        // token makes the engine drop the copy. Only then may the WAL let go of the records.
        this.notifySync();
        try {
          await writeCheckpoint(this.s.dir, { id: this.checkpointId, flushedLsn: job.to }, this.s.fsync);
          await this.wal.release(job.to);
        } catch (e) {
          this.log('warn', `recording the flush of LSN ${job.to} in ${this.s.dir} failed; the WAL keeps its records until a later flush is recorded`, e);
        }
        continue;
      }
      if (this.closing && performance.now() > this.closeDeadline) return;
      const delay = Math.min(this.s.retryDelayMs * 2 ** attempt++, MAX_RETRY_DELAY_MS);
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  private drain(): FlushJob {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushWanted = false;
    this.drains++;
    const bytes = this.head.bytes;
    const batch = this.head.drain();
    const from = this.flushedLsn;
    const to = this.headLsn;
    return { from, to, token: `${this.checkpointId}:${from}-${to}`, batch, rows: batch.rows, bytes, intentWritten: false };
  }

  /** Intent → insert → checkpoint. True when the batch is in the engine and recorded as such. */
  private async runJob(job: FlushJob): Promise<boolean> {
    const started = performance.now();
    try {
      if (!job.intentWritten) {
        await writeCheckpoint(this.s.dir, { id: this.checkpointId, flushedLsn: this.flushedLsn, intent: pick(job) }, this.s.fsync);
        job.intentWritten = true;
      }
      if (job.rows > 0) await job.batch.insert(job.token);
    } catch (e) {
      this.counters.failedFlushes++;
      this.s.observer?.flushed(job.rows, (performance.now() - started) / 1000, false);
      this.log('error', `flush of ${job.rows} rows (LSN ${job.from}–${job.to}) from ${this.s.dir} failed; retrying with the same token`, e);
      return false;
    }
    this.flushedLsn = job.to;
    this.counters.flushes++;
    this.counters.flushedRows += job.rows;
    this.counters.lastFlushMs = performance.now() - started;
    this.s.observer?.flushed(job.rows, this.counters.lastFlushMs / 1000, true);
    return true;
  }

  private notifySync(): void {
    if (this.syncWaiters.length === 0) return;
    const still: SyncWaiter[] = [];
    for (const w of this.syncWaiters) {
      if (w.lsn <= this.flushedLsn) w.resolve();
      else still.push(w);
    }
    this.syncWaiters = still;
  }
}

/** Waits for `p` until `deadline` (performance.now() ms); a rejection or the deadline ends the wait alike. */
async function bounded(p: Promise<void>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, deadline - performance.now()));
  });
  try {
    await Promise.race([p.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const pick = (j: FlushIntent): FlushIntent => ({ from: j.from, to: j.to, token: j.token });

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
