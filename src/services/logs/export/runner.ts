/**
 * The background runner for export tasks. Each task is claimed under a lease (so with several
 * processes on one metadata store a task runs once), renewed between pages. Status transitions:
 *
 *   PENDING → RUNNING → COMPLETED | FAILED        (the runner)
 *   PENDING | RUNNING → CANCELLED                 (CancelExportTask; the runner notices at its next page)
 *
 * A task whose runner died (crash, kill -9, shutdown mid-export) stays RUNNING; it is claimed again
 * at once when the kernel starts (the tasks of this data directory's dead process:
 * store/meta/dead-claims.ts) or once its lease expires, and restarted from
 * scratch — safe because an export rewrites the same keys with the same bytes.
 */
import { newOwnerId } from '../../../lib/owner-id.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { LogsMetaRepo } from '../../../store/meta/logs.ts';
import type { ExportTaskRecord, ExportTaskRepo } from '../../../store/meta/export-tasks.ts';
import type { LogEventStore } from '../../../store/telemetry/log-events.ts';
import type { KeyStore } from '../../../store/keys/key-store.ts';
import { runExport } from './exporter.ts';
import type { ExportDestinations } from '../../../store/buckets/sinks.ts';

export const STATUS_MESSAGES = {
  PENDING: 'Pending',
  RUNNING: 'Started Successfully',
  COMPLETED: 'Completed successfully',
  CANCELLED: 'Cancelled by user',
} as const;

export interface ExportRunnerOptions {
  tasks: ExportTaskRepo;
  meta: Pick<LogsMetaRepo, 'listStreams'>;
  events: Pick<LogEventStore, 'readStream'>;
  keys: Pick<KeyStore, 'open'>;
  destinations: Pick<ExportDestinations, 'sink'>;
  clock: Clock;
  log: Logger;
  /** How long a claim holds without renewal. Default 60 s. */
  leaseMs?: number;
  /** How often to look for claimable tasks besides wake(). Default 5 s. */
  pollMs?: number;
  /** Exports run at the same time (each account has at most one active task). Default 2. */
  concurrency?: number;
  /** Claims after which a task that keeps dying with its runner is failed. Default 5. */
  maxAttempts?: number;
  pageSize?: number;
  maxObjectBytes?: number;
}

/** Thrown by the checkpoint when the task must stop without a status change of ours. */
class Interrupted extends Error {}

export class ExportRunner {
  /** `host:pid:random`, like every claim of this process (what dead-claims.ts matches). */
  readonly owner = newOwnerId();
  private readonly running = new Map<string, { done: Promise<void>; abort: AbortController }>();
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private closed = true;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly maxAttempts: number;

  constructor(private readonly opts: ExportRunnerOptions) {
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.concurrency = opts.concurrency ?? 2;
    this.maxAttempts = opts.maxAttempts ?? 5;
  }

  async start(): Promise<void> {
    if (!this.closed) return;
    this.closed = false;
    this.timer = setInterval(() => this.wake(), this.opts.pollMs ?? 5_000);
    this.timer.unref();
    this.wake();
  }

  /** Look for work now (CreateExportTask calls this). */
  wake(): void {
    if (this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = this.pump()
      .catch((err) => this.opts.log.error({ err }, 'export runner: claiming a task failed'))
      .finally(() => {
        this.pumping = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves when no export is running and nothing is claimable (tests). */
  async idle(): Promise<void> {
    for (;;) {
      await this.pumping;
      const all = [...this.running.values()].map((r) => r.done);
      if (all.length === 0 && !this.pumping) return;
      await Promise.all(all);
    }
  }

  /**
   * Stops claiming, interrupts running exports at their next page and hands their tasks back (they
   * stay RUNNING and are restarted by the next runner).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.pumping;
    for (const r of this.running.values()) r.abort.abort(new Interrupted('shutting down'));
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private async pump(): Promise<void> {
    while (!this.closed && this.running.size < this.concurrency) {
      const task = await this.opts.tasks.claim(this.owner, this.opts.clock.now(), this.leaseMs, STATUS_MESSAGES.RUNNING);
      if (!task) return;
      const abort = new AbortController();
      const done = this.execute(task, abort).catch((err) => {
        this.opts.log.error({ err, exportTask: task.taskId }, 'export runner: recording the outcome failed');
      }).finally(() => {
        this.running.delete(task.taskId);
        this.wake();
      });
      this.running.set(task.taskId, { done, abort });
    }
  }

  private async execute(task: ExportTaskRecord, abort: AbortController): Promise<void> {
    const { tasks, clock, log } = this.opts;
    const tlog = log.child({ exportTask: task.taskId, logGroup: task.logGroup, attempt: task.attempts });
    const fail = async (message: string) => {
      if (await tasks.finish(task.taskId, this.owner, 'FAILED', message, clock.now())) tlog.warn({ message }, 'export task failed');
    };
    if (task.attempts > this.maxAttempts) {
      return fail(`Export was interrupted ${task.attempts - 1} times; giving up.`);
    }
    const sink = this.opts.destinations.sink(task.destination);
    if (!sink) return fail(`Destination bucket ${task.destination} is no longer configured on this server.`);
    const started = Date.now();
    tlog.info({ attempt: task.attempts }, 'export task running');
    try {
      const result = await runExport({
        task,
        sink,
        meta: this.opts.meta,
        events: this.opts.events,
        keys: this.opts.keys,
        signal: abort.signal,
        pageSize: this.opts.pageSize,
        maxObjectBytes: this.opts.maxObjectBytes,
        checkpoint: async () => {
          if (abort.signal.aborted) throw abort.signal.reason ?? new Interrupted('aborted');
          if (!(await tasks.heartbeat(task.taskId, this.owner, clock.now(), this.leaseMs))) {
            throw new Interrupted('task cancelled or taken over');
          }
        },
      });
      if (await tasks.finish(task.taskId, this.owner, 'COMPLETED', STATUS_MESSAGES.COMPLETED, clock.now())) {
        tlog.info({ ...result, ms: Date.now() - started }, 'export task completed');
      }
    } catch (err) {
      if (err instanceof Interrupted || abort.signal.aborted) {
        // Shutting down: hand the task back so the next runner restarts it without waiting for the lease.
        if (abort.signal.aborted) await tasks.release(task.taskId, this.owner);
        tlog.info({ reason: err instanceof Error ? err.message : String(err) }, 'export task interrupted');
        return;
      }
      tlog.error({ err }, 'export task error');
      await fail(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
