import { reportJobRun } from '../lib/job-runs.ts';
import type { Logger } from '../lib/logger.ts';

/**
 * Runs `task` every `intervalMs`, never overlapping itself; `kick()` asks for an early run. A
 * failing run is logged and retried at the next interval, so one bad pass cannot stop the job.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly task: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(this.intervalMs);
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Runs the task now (tests, and the first pass at start-up); resolves when that run ends. */
  async runNow(dueAt = performance.now()): Promise<void> {
    while (this.running) await this.running;
    const started = performance.now();
    let ok = true;
    this.running = this.task()
      .catch((err) => {
        ok = false;
        this.log.error({ err, job: this.name }, 'periodic job failed');
      })
      .finally(() => {
        this.running = undefined;
        const ended = performance.now();
        reportJobRun({ job: this.name, lagSeconds: Math.max(0, started - dueAt) / 1000, durationSeconds: (ended - started) / 1000, ok, endedAt: Date.now() });
      });
    await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    // Lag is measured against this: a busy event loop (or a previous run still going) shows up as lag.
    const dueAt = performance.now() + ms;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runNow(dueAt).then(() => {
        if (this.stopped) return;
        const now = this.again;
        this.again = false;
        this.schedule(now ? 0 : this.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }
}
