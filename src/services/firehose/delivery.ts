/**
 * The delivery engine: keeps each stream's buffers (buffers.ts), and on every tick sends the
 * batches that are due — by size or by interval, whichever comes first, per partition — to the
 * bucket or the HTTP endpoint, deleting stored records only once the destination accepted them.
 * Failed S3 writes are retried with backoff; HTTP endpoints for RetryOptions.DurationInSeconds,
 * then the batch goes to the backup bucket's error output. Emits AWS/Firehose delivery metrics and
 * writes errors to the destination's CloudWatch Logs stream.
 */
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ServiceMetrics } from '../../server/service-metrics.ts';
import { StreamBuffers, type FailedUnit, type Partition, type Unit } from './buffers.ts';
import type { DeliveryControl } from './deps.ts';
import { streamArn } from './deps.ts';
import { compileDestination, type S3Target } from './destination.ts';
import type { DeliveryErrorLog } from './error-log.ts';
import { retryDelayMs, sendToEndpoint } from './http-sender.ts';
import type { FirehoseRepo, RecordRow, StreamRow } from './repo.ts';
import { S3WriteError, writeErrors, writeObject, type S3Writer } from './s3-writer.ts';

export interface DeliveryOptions {
  repo: FirehoseRepo;
  clock: Clock;
  writer: S3Writer;
  metrics: ServiceMetrics;
  errorLog: DeliveryErrorLog;
  log: Logger;
  tickMs: number;
  /**
   * Several nodes share the metadata store: records another node stored (its PutRecord) are read
   * from the store on every pass, since only the node running this engine delivers (a lease).
   */
  adoptStored?: boolean;
}

type Failure = { ok: false; code: string; message: string; drop?: boolean };
type Attempt = { ok: true } | Failure;

export class DeliveryEngine implements DeliveryControl {
  private readonly states = new Map<number, StreamBuffers>();
  private readonly toLoad = new Set<number>();
  private readonly running = new Set<Promise<void>>();
  private abort = new AbortController();
  /** Started and not stopped: on a cluster, only on the holder of the delivery lease. */
  private active = false;
  private timer: NodeJS.Timeout | undefined;
  /** The pass under way: ticks do not overlap (loading a stream reads the store). */
  private ticking: Promise<void> | undefined;

  constructor(private readonly o: DeliveryOptions) {}

  /** Starts (again, after a stop: the lease came back) from what the store holds. */
  async start(): Promise<void> {
    this.active = true;
    this.abort = new AbortController();
    this.states.clear();
    for (const s of await this.o.repo.all()) this.toLoad.add(s.id);
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.o.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.active = false;
    clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.ticking;
    await Promise.allSettled([...this.running]);
  }

  added(stream: StreamRow, records: RecordRow[]): void {
    // Not running here (another node holds the delivery lease): that node reads them from the store.
    if (!this.active) return;
    const st = this.states.get(stream.id);
    // Not loaded yet: loading (at the next pass) reads these records from the store with the rest.
    if (!st || this.toLoad.has(stream.id)) return void this.toLoad.add(stream.id);
    for (const r of records) st.add(r);
  }

  changed(streamId: number): void {
    this.states.delete(streamId);
    this.toLoad.add(streamId);
  }

  private async load(id: number): Promise<void> {
    this.toLoad.delete(id);
    const s = await this.o.repo.byId(id);
    if (!s) return;
    const records = await this.o.repo.records(id);
    try {
      const st = new StreamBuffers(s, compileDestination(s.destination));
      for (const r of records) st.add(r);
      this.states.set(id, st);
    } catch (err) {
      this.o.log.error({ err, stream: s.name }, 'firehose: cannot deliver this stream (its stored configuration no longer compiles)');
    }
  }

  /** Buffers the stream's stored records this engine does not hold yet (stored by other nodes). */
  private async adopt(st: StreamBuffers): Promise<void> {
    const unknown = (await this.o.repo.recordSeqs(st.stream.id)).filter((seq) => !st.holds(seq));
    if (unknown.length === 0) return;
    for (const r of await this.o.repo.recordsIn(st.stream.id, unknown)) st.add(r);
  }

  /** Runs one pass now (tests) and resolves when it ends. */
  async runOnce(): Promise<void> {
    await this.tick();
    await Promise.allSettled([...this.running]);
  }

  private tick(): Promise<void> {
    this.ticking ??= this.pass()
      .catch((err: unknown) => this.o.log.error({ err }, 'firehose: delivery pass failed'))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async pass(): Promise<void> {
    for (const id of [...this.toLoad]) await this.load(id);
    for (const st of this.states.values()) {
      if (st.busy) continue;
      st.busy = true;
      // Not busy: none of its deletes is in flight, so a stored record it does not hold is new.
      if (this.o.adoptStored) await this.adopt(st).catch((err: unknown) => { st.busy = false; throw err; });
      const done = st.takeDone();
      if (done.length > 0) {
        try {
          await this.o.repo.deleteRecords(done);
        } catch (err) {
          st.busy = false;
          throw err;
        }
      }
      const run = this.flush(st)
        .catch((err: unknown) => this.o.log.error({ err, stream: st.stream.name }, 'firehose: delivery pass failed'))
        .finally(() => {
          st.busy = false;
          this.running.delete(run);
        });
      this.running.add(run);
    }
  }

  private async flush(st: StreamBuffers): Promise<void> {
    const target = st.dest.kind === 's3' ? st.dest.s3 : st.dest.http;
    for (const [key, part] of [...st.partitions]) {
      while (!this.abort.signal.aborted && StreamBuffers.due(part, target.buffering, this.o.clock.now())) {
        const batch = StreamBuffers.head(part, target.buffering);
        const outcome = st.dest.kind === 's3' ? await this.toS3(st, part, batch) : await this.toEndpoint(st, part, batch);
        if (!this.settle(st, key, part, batch, outcome)) break;
      }
    }
    if (st.sourceBackup && st.dest.kind === 's3' && st.dest.sourceBackup) await this.flushSourceBackup(st, st.sourceBackup, st.dest.sourceBackup);
    const errTarget = st.dest.kind === 's3' ? st.dest.s3 : st.dest.backup;
    while (!this.abort.signal.aborted && StreamBuffers.due(st.errors, errTarget.buffering, this.o.clock.now())) {
      const batch = StreamBuffers.head(st.errors, errTarget.buffering) as FailedUnit[];
      const outcome = await this.errorsToS3(st, errTarget, batch, 'processing-failed');
      if (!this.settle(st, undefined, st.errors, batch, outcome)) break;
    }
    const done = st.takeDone();
    if (done.length > 0) await this.o.repo.deleteRecords(done);
  }

  private async flushSourceBackup(st: StreamBuffers, part: Partition, t: S3Target): Promise<void> {
    while (!this.abort.signal.aborted && StreamBuffers.due(part, t.buffering, this.o.clock.now())) {
      const batch = StreamBuffers.head(part, t.buffering);
      const outcome = await this.backupAll(st, t, batch);
      if (!this.settle(st, undefined, part, batch, outcome)) break;
    }
  }

  /** Applies an attempt's outcome; whether the partition may go on with its next batch. */
  private settle(st: StreamBuffers, key: string | undefined, part: Partition, batch: Unit[], a: Attempt): boolean {
    if (a.ok || a.drop) {
      st.settle(key, part, batch);
      return true;
    }
    part.attempts++;
    part.nextAt = this.o.clock.now() + retryDelayMs(part.attempts - 1);
    return false;
  }

  private metric(st: StreamBuffers, name: string, value: number, unit: string): void {
    this.o.metrics.observe(st.stream, name, { DeliveryStreamName: st.stream.name }, value, unit);
  }

  private delivered(st: StreamBuffers, prefix: string, batch: Unit[]): void {
    const now = this.o.clock.now();
    this.metric(st, `${prefix}.Records`, batch.length, 'Count');
    this.metric(st, `${prefix}.Bytes`, batch.reduce((n, u) => n + u.data.length, 0), 'Bytes');
    this.metric(st, `${prefix}.Success`, 1, 'None');
    this.metric(st, `${prefix}.DataFreshness`, Math.max(0, Math.round((now - batch[0]!.arrivedAt) / 1000)), 'Seconds');
  }

  private failed(st: StreamBuffers, prefix: string, logTarget: S3Target['logging'], destination: string, code: string, message: string): Failure {
    this.metric(st, `${prefix}.Success`, 0, 'None');
    this.o.log.warn({ stream: st.stream.name, code, message }, 'firehose: delivery failed');
    this.o.errorLog(st.stream, logTarget, destination, code, message);
    return { ok: false, code, message };
  }

  private async toS3(st: StreamBuffers, part: Partition, batch: Unit[]): Promise<Attempt> {
    const t = (st.dest as { s3: S3Target }).s3;
    try {
      await writeObject(this.o.writer, t, {
        stream: st.stream.name, version: st.stream.version, account: st.stream.account,
        data: batch.map((u) => u.data), oldest: batch[0]!.arrivedAt, partitionKeys: part.keys,
      });
      this.delivered(st, 'DeliveryToS3', batch);
      this.metric(st, 'DeliveryToS3.ObjectCount', 1, 'Count');
      return { ok: true };
    } catch (e) {
      return this.failed(st, 'DeliveryToS3', t.logging, t.bucketArn, e instanceof S3WriteError ? e.code : 'S3.PutObject', (e as Error).message);
    }
  }

  private async errorsToS3(st: StreamBuffers, t: S3Target, batch: FailedUnit[], errorType: string, attempts = 1): Promise<Attempt> {
    try {
      await writeErrors(this.o.writer, t, { stream: st.stream.name, version: st.stream.version, account: st.stream.account, oldest: batch[0]!.arrivedAt }, errorType,
        batch.map((u) => ({ arrivedAt: u.arrivedAt, raw: u.data, errorCode: u.errorCode, errorMessage: u.errorMessage, attempts })), this.o.clock.now());
      return { ok: true };
    } catch (e) {
      return this.failed(st, 'DeliveryToS3', t.logging, t.bucketArn, e instanceof S3WriteError ? e.code : 'S3.PutObject', (e as Error).message);
    }
  }

  private async toEndpoint(st: StreamBuffers, part: Partition, batch: Unit[]): Promise<Attempt> {
    if (st.dest.kind !== 'http') return { ok: false, code: 'Internal', message: 'not an HTTP endpoint stream' };
    const { http, backup } = st.dest;
    const now = this.o.clock.now();
    const out = await sendToEndpoint(http, {
      sourceArn: streamArn(st.stream), batchKey: `${batch[0]!.seq}-${batch[batch.length - 1]!.seq}-${batch.length}`,
      records: batch.map((u) => u.data), now, signal: this.abort.signal,
    });
    if (out.ok) {
      this.delivered(st, 'DeliveryToHttpEndpoint', batch);
      // AllData: every record also goes to the backup bucket (retried with the batch if that fails).
      if (http.backupAll) return this.backupAll(st, backup, batch);
      return { ok: true };
    }
    const attempt = this.failed(st, 'DeliveryToHttpEndpoint', http.logging, http.url, out.errorCode, out.errorMessage);
    // 413: permanent, and by the specification not sent to the error bucket either.
    if (out.permanent) return { ...attempt, drop: true };
    part.failingSince ??= now;
    if (now - part.failingSince < http.retryMs) return attempt;
    const failed = batch.map((u) => ({ ...u, errorCode: out.errorCode, errorMessage: out.errorMessage }));
    return this.errorsToS3(st, backup, failed, 'http-endpoint-failed', part.attempts + 1);
  }

  private async backupAll(st: StreamBuffers, t: S3Target, batch: Unit[]): Promise<Attempt> {
    try {
      await writeObject(this.o.writer, t, { stream: st.stream.name, version: st.stream.version, account: st.stream.account, data: batch.map((u) => u.data), oldest: batch[0]!.arrivedAt });
      this.delivered(st, 'BackupToS3', batch);
      return { ok: true };
    } catch (e) {
      return this.failed(st, 'BackupToS3', t.logging, t.bucketArn, e instanceof S3WriteError ? e.code : 'S3.PutObject', (e as Error).message);
    }
  }
}
