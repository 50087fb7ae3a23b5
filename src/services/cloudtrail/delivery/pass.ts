/**
 * One delivery pass over every trail: read the records past the trail's cursor in batches, hand
 * each batch to every destination the trail has, then advance the cursor.
 *
 * At-least-once, with one cursor per trail: the cursor moves past a batch only once every
 * destination has it. A destination that fails for a reason that may pass (I/O, an overloaded
 * store, an S3 outage) holds the cursor, its error shows in GetTrailStatus, and the batch is retried
 * next interval; destinations that already took the batch are remembered (in memory, so only a
 * restart in between can repeat a record) and not sent it again. A destination that is gone (its
 * log group deleted, its bucket no longer mapped) does not hold the others back forever: as on AWS,
 * records made while it is missing are not kept for it — the error shows in the status and the
 * other destination carries on. Nothing here throws out of a pass; each failure kind is logged once.
 */
import type { Logger } from '../../../lib/logger.ts';
import type { Trail, TrailDeliveryStatus, TrailRepo } from '../trails/types.ts';
import { DeliveryError, type Destination, type DestinationName } from './destination.ts';
import type { PendingBatch } from './read.ts';
import { loggingWindow, type LoggingWindow } from './window.ts';

export interface DeliveryPassDeps {
  trails: Pick<TrailRepo, 'all' | 'get' | 'cursor' | 'setCursor' | 'updateStatus'>;
  /** Makes every record appended so far readable (the recorder's flush). */
  flush(): Promise<void>;
  read(trail: Trail, cursor: number, window: LoggingWindow): Promise<PendingBatch>;
  destinations: readonly Destination[];
  now(): number;
  log: Logger;
  /** Batches per trail and pass: one busy trail cannot hold the others for long (the rest follows next pass). */
  maxBatches?: number;
}

const SUCCESS: Record<DestinationName, (now: number) => TrailDeliveryStatus> = {
  bucket: (now) => ({ latestDeliveryTime: now, latestDeliveryAttemptTime: now, latestDeliveryAttemptSucceeded: now, latestDeliveryError: undefined }),
  logs: (now) => ({ latestCloudWatchLogsDeliveryTime: now, latestCloudWatchLogsDeliveryError: undefined }),
};
const FAILURE: Record<DestinationName, (now: number, error: string) => TrailDeliveryStatus> = {
  bucket: (now, error) => ({ latestDeliveryAttemptTime: now, latestDeliveryError: error }),
  logs: (_now, error) => ({ latestCloudWatchLogsDeliveryError: error }),
};

export class DeliveryPass {
  /** Per trail: the seq up to which each destination has records beyond the stored cursor. */
  private readonly ahead = new Map<string, Map<DestinationName, number>>();
  /** `<trail ARN> <destination>` → the error last logged for it (logged again only when it changes). */
  private readonly failing = new Map<string, string>();

  constructor(private readonly deps: DeliveryPassDeps) {}

  async run(): Promise<void> {
    await this.deps.flush();
    const trails = this.deps.trails.all();
    const live = new Set(trails.map((t) => t.arn));
    for (const arn of this.ahead.keys()) if (!live.has(arn)) this.ahead.delete(arn);
    for (const trail of trails) {
      try {
        await this.deliverTrail(trail);
        this.recovered(trail, 'pass');
      } catch (err) {
        // A read or status write failed: nothing was skipped, the next pass starts from the cursor.
        this.reportFailure(trail, 'pass', (err as Error).message, err, false);
      }
    }
  }

  private async deliverTrail(trail: Trail): Promise<void> {
    const window = loggingWindow(trail);
    if (!window) return;
    const destinations = this.deps.destinations.filter((d) => d.wants(trail));
    for (let i = 0; i < (this.deps.maxBatches ?? 50); i++) {
      const batch = await this.deps.read(trail, await this.deps.trails.cursor(trail.arn), window);
      if (batch.lastSeq === undefined) return;
      if (!(await this.deliverBatch(trail, destinations, batch, batch.lastSeq))) return;
      // Deleted while delivering: writing its cursor would bring back a row for a trail that is gone.
      if (!this.deps.trails.get(trail.arn)) return;
      await this.deps.trails.setCursor(trail.arn, batch.lastSeq);
      this.ahead.delete(trail.arn);
      if (!batch.full) return;
    }
  }

  /** Whether every destination has the batch now (or is gone and skipped). */
  private async deliverBatch(trail: Trail, destinations: readonly Destination[], batch: PendingBatch, lastSeq: number): Promise<boolean> {
    let ahead = this.ahead.get(trail.arn);
    if (!ahead) this.ahead.set(trail.arn, (ahead = new Map()));
    let complete = true;
    for (const d of destinations) {
      const has = ahead.get(d.name) ?? 0;
      const records = batch.records.filter((r) => r.seq > has);
      if (records.length === 0) continue;
      const now = this.deps.now();
      try {
        await d.deliver(trail, records, now);
        await this.patchStatus(trail, SUCCESS[d.name](now));
        this.recovered(trail, d.name);
        ahead.set(d.name, lastSeq);
      } catch (e) {
        const err = e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, false, { cause: e });
        await this.patchStatus(trail, FAILURE[d.name](now, err.message));
        this.reportFailure(trail, d.name, err.message, err.cause ?? err, err.permanent);
        if (err.permanent) ahead.set(d.name, lastSeq);
        else complete = false;
      }
    }
    return complete;
  }

  private async patchStatus(trail: Trail, patch: TrailDeliveryStatus): Promise<void> {
    if (this.deps.trails.get(trail.arn)) await this.deps.trails.updateStatus(trail.arn, patch);
  }

  private reportFailure(trail: Trail, what: string, message: string, err: unknown, permanent: boolean): void {
    const key = `${trail.arn} ${what}`;
    if (this.failing.get(key) === message) return;
    this.failing.set(key, message);
    const then = permanent ? 'records are not kept for this destination until it exists again' : 'retrying every interval';
    this.deps.log.warn({ err, trailArn: trail.arn, destination: what }, `CloudTrail delivery failed: ${message}; ${then}`);
  }

  private recovered(trail: Trail, what: string): void {
    const key = `${trail.arn} ${what}`;
    if (!this.failing.delete(key)) return;
    this.deps.log.info({ trailArn: trail.arn, destination: what }, 'CloudTrail delivery recovered');
  }
}
