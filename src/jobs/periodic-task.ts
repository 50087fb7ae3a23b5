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
  async runNow(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.task()
      .catch((err) => this.log.error({ err, job: this.name }, 'periodic job failed'))
      .finally(() => {
        this.running = undefined;
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
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.runNow().then(() => {
        if (this.stopped) return;
        const now = this.again;
        this.again = false;
        this.schedule(now ? 0 : this.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }
}
