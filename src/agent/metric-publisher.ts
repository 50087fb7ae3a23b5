/**
 * Sends the agent's metrics with PutMetricData, 1,000 datums a call (CloudWatch's limit). A call
 * that fails for a reason that can pass — no connection, a 5xx, throttling — keeps its datums at
 * the head of the queue and is tried again with backoff (retry-backoff.ts), in order; a call
 * CloudWatch refuses (a 4xx) is logged and dropped, as retrying cannot help. The queue holds at
 * most `maxQueued` datums; beyond that the oldest are dropped and counted. With a spool, a queue
 * that could not be sent is kept on disk (metric-spool.ts) until it drains, and a restarted agent
 * sends what it finds there first.
 */
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { Logger } from '../lib/logger.ts';
import { Backoff, isPassingFailure } from './retry-backoff.ts';
import type { MetricSpool } from './metric-spool.ts';

export const MAX_DATUMS_PER_CALL = 1000;

export interface QueuedDatums {
  namespace: string;
  datums: MetricDatum[];
}

export class MetricPublisher {
  private readonly queue: QueuedDatums[] = [];
  private queued = 0;
  private sending: Promise<void> | undefined;
  private readonly backoff = new Backoff();
  /** Datums dropped because the queue was full, and refused by CloudWatch. */
  readonly dropped = { overflow: 0, refused: 0 };

  /** True while the queue is on disk: since a passing failure, until the queue drains. */
  private spooled = false;

  constructor(private readonly client: CloudWatchClient, private readonly log: Logger, private readonly maxQueued = 100_000,
    private readonly spool?: MetricSpool) {
    const left = spool?.load() ?? [];
    if (left.length) {
      for (const g of left) this.add(g.namespace, g.datums);
      this.spooled = true;
      log.info({ datums: this.queued }, 'metrics left unsent by the last run will be sent first');
    }
  }

  add(namespace: string, datums: readonly MetricDatum[]): void {
    for (let i = 0; i < datums.length; i += MAX_DATUMS_PER_CALL) {
      const part = datums.slice(i, i + MAX_DATUMS_PER_CALL);
      const last = this.queue.at(-1);
      if (last && last.namespace === namespace && last.datums.length + part.length <= MAX_DATUMS_PER_CALL) last.datums.push(...part);
      else this.queue.push({ namespace, datums: [...part] });
      this.queued += part.length;
    }
    while (this.queued > this.maxQueued && this.queue.length > 1) {
      const lost = this.queue.shift()!;
      this.queued -= lost.datums.length;
      this.dropped.overflow += lost.datums.length;
      this.log.warn({ datums: lost.datums.length }, 'metric queue full: oldest datums dropped');
    }
    if (this.spooled) this.persist();
  }

  private persist(): void {
    try {
      this.spool?.save(this.queue);
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'writing the metric queue to disk failed');
    }
  }

  get pending(): number {
    return this.queued;
  }

  /** Sends everything queued (unless backing off after a failure); one flush at a time. */
  flush(now = Date.now()): Promise<void> {
    if (this.sending) return this.sending;
    if (!this.backoff.ready(now)) return Promise.resolve();
    this.sending = this.drain().finally(() => { this.sending = undefined; });
    return this.sending;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      try {
        await this.client.send(new PutMetricDataCommand({ Namespace: head.namespace, MetricData: head.datums }));
      } catch (e) {
        if (isPassingFailure(e)) {
          this.log.warn({ err: (e as Error).message, retryInMs: this.backoff.failed(), pending: this.queued }, 'PutMetricData failed; will retry');
          this.spooled = this.spool !== undefined;
          this.persist();
          return;
        }
        this.dropped.refused += head.datums.length;
        this.log.error({ err: (e as Error).message, datums: head.datums.length }, 'PutMetricData refused the batch; dropped');
      }
      this.queue.shift();
      this.queued -= head.datums.length;
      this.backoff.succeeded();
      if (this.spooled) this.persist();
    }
    if (this.spooled) {
      this.spool?.clear();
      this.spooled = false;
    }
  }
}
