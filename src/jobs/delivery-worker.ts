import type { Clock } from '../lib/clock.ts';
import { newOwnerId } from '../lib/owner-id.ts';
import type { Logger } from '../lib/logger.ts';
import type { OutboxRepo, OutboxRow } from '../store/meta/outbox.ts';
import { backoffDelay } from './backoff.ts';

/** What a handler reports for each row it was given. */
export type DeliveryResult =
  | { id: number; ok: true }
  | {
      id: number;
      ok: false;
      /** The receiver refused the payload itself (e.g. a 4xx other than 408/429): retried only a few times. */
      permanent: boolean;
      error: string;
      /** A receiver's Retry-After, honoured up to the backoff ceiling. */
      retryAfterMs?: number;
    };

/**
 * Delivers one topic's rows (subscription payloads, later alarm actions, EventBridge targets…).
 * It gets rows it holds a lease on and must return one result per row; throwing counts as a
 * retryable failure of every row. `signal` aborts when the worker stops, so sends can be cut short.
 */
export interface DeliveryHandler {
  readonly topic: string;
  /**
   * Batches of this topic in flight at once (default 1). A handler that sends every row on its own,
   * in no particular order (EventBridge and Scheduler targets), raises it so the next batch is
   * claimed while the previous one's slowest sends are still answered; handlers whose receivers
   * expect rows in order keep 1.
   */
  readonly concurrentBatches?: number;
  /**
   * Rows are claimed this long before they are due (a scheduled occurrence written ahead, outbox
   * `notBefore`), so that their claim and preparation are done when they fall due; the handler
   * then holds each send until its due time (the row's payload says when).
   */
  readonly claimAheadMs?: number;
  deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult[]>;
}

export interface DeliverySettings {
  /** Idle poll interval; enqueues in this process wake the worker at once. */
  pollMs: number;
  /** First retry delay; doubles per failed attempt (equal jitter), up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** How long a claim lasts; rows of a crashed process are retried after it runs out. */
  leaseMs: number;
  /** Per-request timeout handlers use for their sends (keep well below leaseMs). */
  timeoutMs: number;
  /** Rows claimed per round and topic. */
  batchSize: number;
  /** Retryable failures are given up (dead-lettered) once a row is this old: AWS retries for 24 h. */
  maxAgeMs: number;
  /** Permanent failures are retried this many times in total before the row is dead-lettered. */
  maxPermanentAttempts: number;
  /** stop() lets in-flight sends finish for this long, then aborts them (they are retried later). */
  stopGraceMs: number;
}

export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  pollMs: 1000,
  backoffMs: 1000,
  maxBackoffMs: 300_000,
  leaseMs: 60_000,
  timeoutMs: 15_000,
  batchSize: 500,
  maxAgeMs: 24 * 3600 * 1000,
  maxPermanentAttempts: 3,
  stopGraceMs: 5000,
};

export interface DeliveryWorkerOptions {
  outbox: OutboxRepo;
  handlers: DeliveryHandler[];
  clock: Clock;
  log: Logger;
  settings?: Partial<DeliverySettings>;
  /** For tests: jitter source in [0, 1). */
  random?: () => number;
  /** Lease owner id; defaults to host:pid:random, unique per worker. */
  owner?: string;
  /** Self-monitoring: rows of a topic settled as delivered, retried or dead-lettered (after each batch). */
  onSettled?: (topic: string, outcome: 'delivered' | 'retried' | 'dead', rows: number) => void;
}

/** The smallest idle wait, so a row that is due but not claimable cannot make the loop spin. */
const MIN_WAIT_MS = 5;
/** After aborting in-flight sends, how long stop() still waits for the round to wind down. */
const ABORT_WAIT_MS = 2000;

/**
 * The leased outbox runner: claims due rows per topic, hands them to the topic's handler, deletes
 * what was delivered and reschedules the rest with exponential backoff and jitter (attempt count,
 * next attempt time and last error are persisted, so restarts keep the schedule). Rows that keep
 * failing are moved to the dead-letter table and logged. At-least-once: a crash between a send
 * and its delete sends that row again after its lease expires; nothing is ever dropped silently.
 */
export class DeliveryWorker {
  readonly owner: string;
  readonly settings: DeliverySettings;
  private readonly handlers: DeliveryHandler[];
  private stopped = true;
  private loop: Promise<void> | undefined;
  private woken = false;
  private wakeSleeper: (() => void) | undefined;
  private abort = new AbortController();
  private unsubscribe: (() => void) | undefined;
  /** Batches being delivered, per topic, and their settle promises (stop() waits for them). */
  private readonly busy = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private leasedRows = 0;

  constructor(private readonly opts: DeliveryWorkerOptions) {
    this.settings = { ...DEFAULT_DELIVERY_SETTINGS, ...stripUndefined(opts.settings ?? {}) };
    this.handlers = opts.handlers;
    const topics = opts.handlers.map((h) => h.topic);
    if (new Set(topics).size !== topics.length) throw new Error('two delivery handlers share a topic');
    this.owner = opts.owner ?? newOwnerId();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.unsubscribe = this.opts.outbox.onEnqueue(() => this.wake());
    this.loop = this.run();
  }

  /** Outbox rows this worker holds leases on (claimed, not settled yet). */
  get leased(): number {
    return this.leasedRows;
  }

  /** Run a round now instead of at the next poll (new rows were enqueued). */
  wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  /**
   * Stops claiming, waits up to `graceMs` for in-flight sends, then aborts them; aborted rows are
   * released without counting an attempt. Resolves once the worker no longer touches the outbox.
   */
  async stop(graceMs = this.settings.stopGraceMs): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe?.();
    this.wake();
    const timer = setTimeout(() => this.abort.abort(new Error('delivery worker stopping')), graceMs);
    // A handler that ignores the abort must not hold shutdown hostage.
    let giveUp: NodeJS.Timeout | undefined;
    const abandoned = new Promise<'abandoned'>((resolve) => {
      giveUp = setTimeout(() => resolve('abandoned'), graceMs + ABORT_WAIT_MS);
    });
    try {
      if ((await Promise.race([this.loop, abandoned])) === 'abandoned') {
        this.opts.log.warn({ graceMs }, 'delivery worker did not stop in time; its rows are retried after their lease expires');
      }
    } finally {
      clearTimeout(timer);
      clearTimeout(giveUp);
      this.loop = undefined;
    }
  }

  /**
   * One round: claim, deliver and settle each topic once. Returns true when some topic filled a
   * whole batch (more is probably waiting). Tests call it directly instead of start().
   */
  async runOnce(): Promise<boolean> {
    const { full } = await this.claimRound();
    await Promise.all([...this.inFlight]);
    return full;
  }

  /**
   * Claims a batch for every topic with room for one more and starts delivering it (not awaited).
   * `full`: some topic filled a whole batch; `more`: one of those may claim again right away.
   */
  private async claimRound(): Promise<{ full: boolean; more: boolean }> {
    let full = false;
    let more = false;
    for (const h of this.handlers) {
      const limit = Math.max(1, h.concurrentBatches ?? 1);
      if ((this.busy.get(h.topic) ?? 0) >= limit) continue;
      const rows = await this.opts.outbox.claim({
        topics: [h.topic],
        owner: this.owner,
        now: this.opts.clock.now(),
        dueBy: this.opts.clock.now() + (h.claimAheadMs ?? 0),
        leaseMs: this.settings.leaseMs,
        limit: this.settings.batchSize,
      });
      if (rows.length === 0) continue;
      const busy = (this.busy.get(h.topic) ?? 0) + 1;
      this.busy.set(h.topic, busy);
      this.leasedRows += rows.length;
      const done = this.deliverBatch(h, rows).finally(() => {
        this.leasedRows -= rows.length;
        this.busy.set(h.topic, (this.busy.get(h.topic) ?? 1) - 1);
        this.inFlight.delete(done);
        // A freed slot may take the backlog, and retried rows may be due before the next poll.
        this.wake();
      });
      this.inFlight.add(done);
      if (rows.length >= this.settings.batchSize) {
        full = true;
        if (busy < limit) more = true;
      }
    }
    return { full, more };
  }

  private async deliverBatch(h: DeliveryHandler, rows: OutboxRow[]): Promise<void> {
    let results: DeliveryResult[];
    try {
      results = await h.deliver(rows, this.abort.signal);
    } catch (err) {
      const error = `delivery handler failed: ${(err as Error).message}`;
      results = rows.map((r) => ({ id: r.id, ok: false, permanent: false, error }));
    }
    try {
      await this.settle(h.topic, rows, results);
    } catch (err) {
      // The rows keep their lease and are delivered again once it runs out (at least once).
      this.opts.log.error({ err, topic: h.topic, rows: rows.length }, 'delivery round failed');
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let more = false;
      try {
        more = (await this.claimRound()).more;
      } catch (err) {
        this.opts.log.error({ err }, 'delivery round failed');
      }
      if (this.stopped) break;
      if (!more) await this.sleep();
    }
    await Promise.all([...this.inFlight]);
  }

  private async sleep(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return;
    }
    let wait = Math.max(MIN_WAIT_MS, this.settings.pollMs);
    // A topic with all its batches in flight is woken when one settles; asking when its backlog is
    // due would only make the loop spin.
    const open = this.handlers.filter((h) => (this.busy.get(h.topic) ?? 0) < Math.max(1, h.concurrentBatches ?? 1));
    try {
      // Topics claimed ahead are asked on their own: waking early for the others would only spin.
      const plain = open.filter((h) => !h.claimAheadMs).map((h) => h.topic);
      const asks = [{ topics: plain, ahead: 0 }, ...open.filter((h) => h.claimAheadMs).map((h) => ({ topics: [h.topic], ahead: h.claimAheadMs! }))];
      for (const ask of asks) {
        const due = ask.topics.length === 0 ? undefined : await this.opts.outbox.nextDueAt(ask.topics);
        if (due !== undefined) wait = Math.min(wait, Math.max(MIN_WAIT_MS, due - ask.ahead - this.opts.clock.now()));
      }
    } catch (err) {
      this.opts.log.error({ err }, 'delivery worker could not read the outbox schedule');
    }
    if (this.woken || this.stopped) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeSleeper = done;
    });
    this.wakeSleeper = undefined;
    this.woken = false;
  }

  private async settle(topic: string, rows: OutboxRow[], results: DeliveryResult[]): Promise<void> {
    const { outbox, clock, log } = this.opts;
    const s = this.settings;
    const byId = new Map(results.map((r) => [r.id, r]));
    const delivered: number[] = [];
    const released: number[] = [];
    const now = clock.now();
    // One log line per target and outcome, not per row.
    const retried = new Map<string, { rows: number; attempts: number; retryInMs: number; error: string }>();
    let dead = 0;
    for (const row of rows) {
      const r = byId.get(row.id) ?? { id: row.id, ok: false, permanent: false, error: 'the delivery handler returned no result' };
      if (r.ok) {
        delivered.push(row.id);
        continue;
      }
      if (this.abort.signal.aborted) {
        released.push(row.id);
        continue;
      }
      const attempts = row.attempts + 1;
      const expired = now - row.createdAt >= s.maxAgeMs;
      if ((r.permanent && attempts >= s.maxPermanentAttempts) || expired) {
        await outbox.deadLetter(row.id, this.owner, r.error, now);
        log.error(
          { topic, target: row.target, id: row.id, attempts, ageMs: now - row.createdAt, error: r.error },
          'delivery given up; moved to the dead-letter table (outbox_dead)',
        );
        dead++;
        continue;
      }
      const backoff = backoffDelay(attempts, { baseMs: s.backoffMs, maxMs: s.maxBackoffMs }, this.opts.random);
      const delay = Math.max(backoff, Math.min(r.retryAfterMs ?? 0, s.maxBackoffMs));
      await outbox.retry(row.id, this.owner, now + delay, r.error);
      const agg = retried.get(row.target);
      if (agg) agg.rows++;
      else retried.set(row.target, { rows: 1, attempts, retryInMs: delay, error: r.error });
    }
    await outbox.complete(delivered);
    await outbox.release(released, this.owner);
    for (const [target, a] of retried) log.warn({ topic, target, ...a }, 'delivery failed; will retry');
    if (delivered.length > 0) log.debug({ topic, rows: delivered.length }, 'delivered');
    const report = this.opts.onSettled;
    if (report) {
      if (delivered.length > 0) report(topic, 'delivered', delivered.length);
      if (dead > 0) report(topic, 'dead', dead);
      let failed = 0;
      for (const a of retried.values()) failed += a.rows;
      if (failed > 0) report(topic, 'retried', failed);
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
