/**
 * Delivers one destination's events (a log group and stream) with PutLogEvents, in the order the
 * files hold them. The group and stream are created when missing (CreateLogGroup with the entry's
 * class, PutRetentionPolicy with retention_in_days), and made again if deleted meanwhile. Each call
 * takes the longest run of queued events that fits PutLogEvents' limits (10,000 events, 1 MB, 24 h),
 * sorted by time as the API requires. A call that fails for a passing reason (no connection, 5xx,
 * throttling) is retried with backoff (../retry-backoff.ts) and nothing after it is sent first; on
 * success `onDelivered` gets the run (for checkpoints) — events CloudWatch Logs rejected as too old or
 * too new are logged, as the agent does, and count as delivered.
 */
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutRetentionPolicyCommand, type LogGroupClass,
} from '@aws-sdk/client-cloudwatch-logs';
import { BatchBudget } from '../../lib/log-event-batches.ts';
import type { Logger } from '../../lib/logger.ts';
import type { FileEvent } from './line-events.ts';
import { Backoff, isPassingFailure } from '../retry-backoff.ts';

export interface Destination {
  group: string;
  stream: string;
  retentionInDays?: number;
  groupClass?: LogGroupClass;
}

/** A queued event and the file (by tailed path) it came from. */
export interface QueuedEvent extends FileEvent {
  path: string;
}

export class LogPublisher {
  readonly queue: QueuedEvent[] = [];
  private ready = false;
  private sending: Promise<void> | undefined;
  private readonly backoff = new Backoff();

  constructor(
    readonly dest: Destination,
    private readonly client: CloudWatchLogsClient,
    private readonly log: Logger,
    private readonly onDelivered: (run: readonly QueuedEvent[]) => void,
  ) {}

  flush(now = Date.now()): Promise<void> {
    if (this.sending) return this.sending;
    if (!this.backoff.ready(now) || this.queue.length === 0) return Promise.resolve();
    this.sending = this.drain().finally(() => { this.sending = undefined; });
    return this.sending;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const run = this.nextRun();
      const events = run.filter((e) => e.timestamp >= 0).sort((a, b) => a.timestamp - b.timestamp);
      try {
        if (events.length > 0) await this.put(events);
      } catch (e) {
        if (isPassingFailure(e)) return this.retryLater(e);
        this.log.error({ err: (e as Error).message, group: this.dest.group, events: events.length }, 'PutLogEvents refused the batch; dropped');
      }
      this.queue.splice(0, run.length);
      this.backoff.succeeded();
      this.onDelivered(run);
    }
  }

  private retryLater(e: unknown): void {
    this.log.warn({ err: (e as Error).message, group: this.dest.group, retryInMs: this.backoff.failed(), pending: this.queue.length }, 'PutLogEvents failed; will retry');
  }

  /** The longest prefix of the queue one PutLogEvents can take (markers of dropped lines ride along). */
  private nextRun(): QueuedEvent[] {
    const budget = new BatchBudget();
    let n = 0;
    for (const e of this.queue) {
      if (e.timestamp >= 0) {
        if (!budget.fits(e)) break;
        budget.add(e);
      }
      n++;
    }
    return this.queue.slice(0, Math.max(1, n));
  }

  private async put(events: readonly QueuedEvent[]): Promise<void> {
    if (!this.ready) await this.ensure();
    const logEvents = events.map((e) => ({ timestamp: e.timestamp, message: e.message }));
    let out;
    try {
      out = await this.client.send(new PutLogEventsCommand({ logGroupName: this.dest.group, logStreamName: this.dest.stream, logEvents }));
    } catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e;
      // The group or stream was deleted while the agent ran: make them again and resend.
      await this.ensure();
      out = await this.client.send(new PutLogEventsCommand({ logGroupName: this.dest.group, logStreamName: this.dest.stream, logEvents }));
    }
    if (out.rejectedLogEventsInfo) this.log.warn({ group: this.dest.group, rejected: out.rejectedLogEventsInfo }, 'CloudWatch Logs rejected some events (too old, too new or expired)');
  }

  private async ensure(): Promise<void> {
    const exists = (e: unknown) => (e as Error).name === 'ResourceAlreadyExistsException';
    let created = false;
    try {
      await this.client.send(new CreateLogGroupCommand({ logGroupName: this.dest.group, ...(this.dest.groupClass ? { logGroupClass: this.dest.groupClass } : {}) }));
      created = true;
    } catch (e) {
      if (!exists(e)) throw e;
    }
    if (created && this.dest.retentionInDays !== undefined && this.dest.retentionInDays > 0) {
      await this.client.send(new PutRetentionPolicyCommand({ logGroupName: this.dest.group, retentionInDays: this.dest.retentionInDays }));
    }
    try {
      await this.client.send(new CreateLogStreamCommand({ logGroupName: this.dest.group, logStreamName: this.dest.stream }));
    } catch (e) {
      if (!exists(e)) throw e;
    }
    this.ready = true;
  }
}
