/**
 * Canary runs wait here for a slot: at most `concurrency` run at once (each drives a Chromium), in
 * arrival order, and a canary never has two runs queued or running — an occurrence that comes while
 * the previous run of the same canary is still waiting or running is skipped (reported to the caller).
 */
export class RunQueue {
  private readonly waiting: { key: string; work: () => Promise<void> }[] = [];
  private readonly busy = new Set<string>();
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly concurrency: number, private readonly onError: (err: unknown, key: string) => void) {}

  /** false when `key` already has a run queued or running (the occurrence is skipped). */
  offer(key: string, work: () => Promise<void>): boolean {
    if (this.busy.has(key)) return false;
    this.busy.add(key);
    this.waiting.push({ key, work });
    this.pump();
    return true;
  }

  has(key: string): boolean {
    return this.busy.has(key);
  }

  get depth(): number {
    return this.waiting.length;
  }

  /** Resolves when nothing is queued or running. */
  idle(): Promise<void> {
    if (this.busy.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Drops what has not started (shutdown); runs under way finish. */
  clear(): void {
    for (const w of this.waiting.splice(0)) this.busy.delete(w.key);
    this.settle();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      this.running++;
      void next.work().catch((err) => this.onError(err, next.key)).finally(() => {
        this.running--;
        this.busy.delete(next.key);
        this.pump();
        this.settle();
      });
    }
  }

  private settle(): void {
    if (this.busy.size > 0) return;
    for (const r of this.idleWaiters.splice(0)) r();
  }
}
