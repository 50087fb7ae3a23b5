/**
 * Runs one module's timers (store/meta/timers.ts): sleeps until the next due time (at most
 * `syncMs`, to see changes made by other processes), leases what is due, fires it through the
 * owner and stores the owner's next occurrence. Firing is on time to a few milliseconds when the
 * process is idle; lateness is the owner's work plus the claim.
 */
import { newOwnerId } from '../lib/owner-id.ts';
import type { Clock } from '../lib/clock.ts';
import { reportJobRun } from '../lib/job-runs.ts';
import type { Logger } from '../lib/logger.ts';
import type { Timer, TimerRepo } from '../store/meta/timers.ts';

export interface ScheduleOwner {
  module: string;
  /** Fires the occurrence due at `t.nextFireAt`; returns the next one (null = no more). Must not throw for bad data. */
  fire(t: Timer): Promise<number | null>;
  /**
   * Fires many due occurrences at once, answering like fire() for each, in order. Owners that can
   * write all their deliveries in one transaction implement it: thousands of schedules are often
   * due in the same second. Throwing retries every one of them shortly, as fire() throwing does.
   */
  fireMany?(ts: Timer[]): Promise<(number | null)[]>;
  /**
   * With fireMany: occurrences are claimed and given to it this long before they are due, so an
   * owner that writes deliveries held until the due time (outbox `notBefore`) has them ready when
   * thousands fall due in the same second; their sends then start on time instead of after the
   * whole burst is written.
   */
  leadMs?: number;
  /** Reconciles timers with the owner's resources (called at start and every `syncMs`). */
  sync(): Promise<void>;
}

export interface ScheduleRunnerOptions {
  timers: TimerRepo;
  owner: ScheduleOwner;
  clock: Clock;
  log: Logger;
  syncMs?: number;
  leaseMs?: number;
  /** Occurrences claimed per round. */
  batch?: number;
  /** Occurrences fired at once. */
  concurrency?: number;
}

/**
 * The missed-fire policy every owner applies: an occurrence at most this late (the server was down
 * or busy) still fires, once; older ones are skipped.
 */
export const MISSED_GRACE_MS = 5 * 60_000;

/** The shortest gap between two syncs asked for by wake(). */
const MIN_SYNC_GAP_MS = 200;

/** After an owner failure, the occurrence is tried again this much later. */
export const RETRY_MS = 5000;

export class ScheduleRunner {
  readonly name: string;
  private readonly id = newOwnerId();
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  /** When the last sync ran, and when the next one is due. */
  private syncedAt = 0;
  private syncDueAt = 0;

  constructor(private readonly opts: ScheduleRunnerOptions) {
    this.name = `${opts.owner.module}-schedules`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  /** Something changed in this process (a rule or schedule was put): sync and look again now. */
  wake(): void {
    // A burst of changes (thousands of CreateSchedule calls) resyncs at most every MIN_SYNC_GAP_MS,
    // not once per call: each sync reads every schedule.
    this.syncDueAt = Math.min(this.syncDueAt, Math.max(this.opts.clock.now(), this.syncedAt + MIN_SYNC_GAP_MS));
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    const syncMs = this.opts.syncMs ?? 1000;
    while (this.running) {
      try {
        if (this.opts.clock.now() >= this.syncDueAt) {
          this.syncedAt = this.opts.clock.now();
          this.syncDueAt = this.syncedAt + syncMs;
          await this.opts.owner.sync();
        }
        while (this.running && (await this.round()) > 0) {
          // keep firing while whole batches are due
        }
      } catch (err) {
        this.opts.log.error({ err, module: this.opts.owner.module }, 'schedule runner round failed');
      }
      if (!this.running) break;
      const next = await this.opts.timers.nextDueAt(this.opts.owner.module).catch(() => undefined);
      const now = this.opts.clock.now();
      const untilSync = this.syncDueAt - now;
      const wait = Math.max(1, Math.min(untilSync, next === undefined ? syncMs : next - this.lead() - now));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private lead(): number {
    return this.opts.owner.fireMany !== undefined ? (this.opts.owner.leadMs ?? 0) : 0;
  }

  /** One claim-and-fire round; returns how many occurrences it fired. */
  private async round(): Promise<number> {
    const { timers, owner, clock } = this.opts;
    const batch = this.opts.batch ?? 500;
    const claimedAt = clock.now();
    const due = await timers.claimDue(owner.module, { now: claimedAt, dueBy: claimedAt + this.lead(), owner: this.id, leaseMs: this.opts.leaseMs ?? 60_000, limit: batch });
    if (due.length > 0) this.report(due, claimedAt);
    if (owner.fireMany !== undefined && due.length > 0) {
      let nexts: (number | null)[];
      try {
        nexts = await owner.fireMany(due);
      } catch (err) {
        this.opts.log.error({ err, module: owner.module, occurrences: due.length }, 'scheduled fires failed; retrying shortly');
        nexts = due.map(() => clock.now() + RETRY_MS);
      }
      // One transaction for the round instead of one per occurrence.
      await timers.settleMany(owner.module, this.id, due.map((t, i) => ({ key: t.key, next: nexts[i] === undefined ? clock.now() + RETRY_MS : nexts[i]! })));
    } else {
      await this.fireEach(due);
    }
    return due.length === batch ? due.length : 0;
  }

  /** Self-monitoring: the round's lag is its most overdue occurrence's. */
  private report(due: Timer[], claimedAt: number): void {
    const oldest = due.reduce((m, t) => Math.min(m, t.nextFireAt), Infinity);
    reportJobRun({ job: this.name, lagSeconds: Math.max(0, claimedAt - oldest) / 1000, durationSeconds: 0, ok: true, endedAt: Date.now() });
  }

  private async fireEach(due: Timer[]): Promise<void> {
    const { timers, owner, clock, log } = this.opts;
    const queue = [...due];
    const worker = async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        let next: number | null;
        try {
          next = await owner.fire(t);
        } catch (err) {
          log.error({ err, module: owner.module, key: t.key }, 'scheduled fire failed; retrying shortly');
          next = clock.now() + RETRY_MS;
        }
        await timers.settle(owner.module, t.key, this.id, next);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 16, queue.length) }, worker));
  }
}
