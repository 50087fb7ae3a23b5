/**
 * Segment documents from UDP, sent on in PutTraceSegments-sized batches as the X-Ray daemon does
 * (up to 50 documents per call, or whatever arrived within 100 ms). Bounded: past `maxQueued`
 * documents waiting, new ones are dropped and counted, like the daemon's full buffer — UDP senders
 * never wait and never learn of a drop, so the count is logged.
 */
import type { Logger } from '../../../lib/logger.ts';

export interface SegmentBatcherOptions {
  send(documents: string[]): Promise<void>;
  log: Logger;
  maxBatch?: number;
  maxDelayMs?: number;
  maxQueued?: number;
}

export class SegmentBatcher {
  private queue: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  dropped = 0;
  sent = 0;
  private readonly maxBatch: number;
  private readonly maxDelayMs: number;
  private readonly maxQueued: number;

  constructor(private readonly opts: SegmentBatcherOptions) {
    this.maxBatch = opts.maxBatch ?? 50;
    this.maxDelayMs = opts.maxDelayMs ?? 100;
    this.maxQueued = opts.maxQueued ?? 50_000;
  }

  add(document: string): void {
    if (this.queue.length >= this.maxQueued) {
      if (this.dropped++ % 1000 === 0) this.opts.log.warn({ dropped: this.dropped }, 'x-ray daemon: segment buffer full; dropping segments');
      return;
    }
    this.queue.push(document);
    if (this.queue.length >= this.maxBatch) this.flushSoon(0);
    else this.flushSoon(this.maxDelayMs);
  }

  /** Sends everything queued; resolves when it was handed on. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.sending = this.sending.then(() => this.send(batch));
    }
    await this.sending;
  }

  private flushSoon(delay: number): void {
    if (this.timer && delay > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delay);
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
