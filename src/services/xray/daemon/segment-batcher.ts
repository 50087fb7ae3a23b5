/**
 * Segment documents from UDP, stored in batches (up to 100 documents per in-process
 * PutTraceSegments call — the daemon's 50 is an API-size habit — or whatever arrived within 100 ms),
 * 32 calls in flight at once so that they share the store's group commits: one call at a time
 * capped the port at one batch per insert round trip (4.6 k segments/s); 16 × 50 stored 17.7 k/s,
 * 64 × 100 32–33 k/s, 32 × 100 35–36 k/s of a 40 k/s feed (`npm run bench -- traces`). Bounded: past `maxQueued` documents waiting, new ones are dropped and
 * counted, like the daemon's full buffer — UDP senders never wait and never learn of a drop, so the
 * counts are logged (every minute while segments flow, and when the listener closes).
 */
import type { Logger } from '../../../lib/logger.ts';

export interface SegmentBatcherOptions {
  send(documents: string[]): Promise<void>;
  log: Logger;
  maxBatch?: number;
  maxDelayMs?: number;
  maxQueued?: number;
  /** PutTraceSegments calls in flight at once. */
  maxInFlight?: number;
}

export class SegmentBatcher {
  private queue: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  dropped = 0;
  sent = 0;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly maxQueued: number;
  private readonly maxInFlight: number;

  constructor(private readonly opts: SegmentBatcherOptions) {
    this.maxBatch = opts.maxBatch ?? 100;
    this.maxDelayMs = opts.maxDelayMs ?? 100;
    this.maxQueued = opts.maxQueued ?? 50_000;
    this.maxInFlight = opts.maxInFlight ?? 32;
  }

  add(document: string): void {
    if (this.queue.length >= this.maxQueued) {
      if (this.dropped++ % 1000 === 0) this.opts.log.warn({ dropped: this.dropped }, 'x-ray daemon: segment buffer full; dropping segments');
      return;
    }
    this.queue.push(document);
    if (this.queue.length >= this.maxBatch) this.pump(false);
    else if (!this.timer) this.timer = setTimeout(() => { this.timer = undefined; this.pump(true); }, this.maxDelayMs);
  }

  /** Sends everything queued; resolves when all of it was handed on. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0 || this.inFlight.size > 0) {
      this.pump(true);
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
    }
  }

  /** Starts calls while there is room in flight: full batches, and with `partial` the remainder. */
  private pump(partial: boolean): void {
    while (this.inFlight.size < this.maxInFlight && (this.queue.length >= this.maxBatch || (partial && this.queue.length > 0))) {
      const p = this.send(this.queue.splice(0, this.maxBatch)).finally(() => {
        this.inFlight.delete(p);
        // What waited for room goes now; a short remainder waits for its timer as usual.
        this.pump(false);
        if (this.queue.length > 0 && !this.timer) this.timer = setTimeout(() => { this.timer = undefined; this.pump(true); }, this.maxDelayMs);
      });
      this.inFlight.add(p);
    }
  }

  private async send(batch: string[]): Promise<void> {
    try {
      await this.opts.send(batch);
      this.sent += batch.length;
    } catch (err) {
      this.dropped += batch.length;
      this.opts.log.warn({ err, segments: batch.length }, 'x-ray daemon: storing segments failed; dropped');
    }
  }
}
