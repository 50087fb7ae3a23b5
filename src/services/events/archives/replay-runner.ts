/**
 * The replay runner: takes a lease on unfinished replays (so with several processes each replay
 * runs in one), and moves each one batch at a time — STARTING → RUNNING → COMPLETED, CANCELLING →
 * CANCELLED, FAILED when its archive or bus went away. A batch is the next archived events in
 * (event time, seq) order within [EventStartTime, EventEndTime), sent to the bus through the
 * Dispatcher with "replay-name" added and only the FilterArns rules; the cursor is stored after
 * each batch, so a restart resumes where it was. Delivery is at least once: a crash between the
 * dispatch and the cursor update sends that batch again.
 */
import { newOwnerId } from '../../../lib/owner-id.ts';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import { PeriodicTask } from '../../../jobs/periodic-task.ts';
import type { Job } from '../../../server/module.ts';
import type { BusEvent, Dispatcher } from '../dispatch.ts';
import type { EventsRepo } from '../repo.ts';
import type { ArchivedEvent, ArchiveRepo } from './archive-repo.ts';
import { filterRuleName } from './arns.ts';
import { ACTIVE_STATES, type Replay, type ReplayRepo } from './replay-repo.ts';

export interface ReplayRunnerDeps {
  archives: ArchiveRepo;
  replays: ReplayRepo;
  events: EventsRepo;
  dispatcher: Pick<Dispatcher, 'dispatch'>;
  clock: Clock;
  log: Logger;
  /** Events per dispatch (one outbox transaction each). */
  batch?: number;
  leaseMs?: number;
  /** How often unfinished replays are looked for (other processes' expired leases, missed kicks). */
  intervalMs?: number;
}

const DEFAULTS = { batch: 100, leaseMs: 30_000, intervalMs: 1000 };
/** Replays claimed per round; each gets one batch per round, so a big one does not hold the others back. */
const CLAIM = 10;

const keyOf = (r: Replay) => `${r.account}\u0000${r.region}\u0000${r.name}`;

/** The archived event as the replay sends it: AWS adds "replay-name" (after "region"). */
export function replayedEvent(e: ArchivedEvent, replayName: string, now: number): BusEvent {
  const source = JSON.parse(e.json) as Record<string, unknown>;
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) {
    event[k] = v;
    if (k === 'region') event['replay-name'] = replayName;
  }
  if (!('replay-name' in event)) event['replay-name'] = replayName;
  return { event, json: JSON.stringify(event), ingestedAt: now };
}

export class ReplayRunner implements Job {
  readonly name = 'events-replays';
  private readonly owner = newOwnerId();
  private readonly task: PeriodicTask;
  private readonly o: typeof DEFAULTS;
  /** Set by stop(): a long replay gives way between batches. */
  private stopping = false;

  constructor(private readonly deps: ReplayRunnerDeps) {
    this.o = { batch: deps.batch ?? DEFAULTS.batch, leaseMs: deps.leaseMs ?? DEFAULTS.leaseMs, intervalMs: deps.intervalMs ?? DEFAULTS.intervalMs };
    this.task = new PeriodicTask(this.name, this.o.intervalMs, () => this.runAll(), deps.log);
  }

  start(): void {
    this.stopping = false;
    this.task.start();
    // Replays left unfinished by a stop or a crash resume now, not one interval later.
    this.task.kick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.task.stop();
    await this.deps.replays.release(this.owner);
  }

  /** A replay was started or cancelled: look now. */
  kick(): void {
    this.task.kick();
  }

  /** Works until no replay this process may lease has anything left to do (tests call it directly). */
  async runAll(): Promise<void> {
    // A replay whose step threw (its dispatch failed) waits for the next run; the others go on.
    const failed = new Set<string>();
    for (;;) {
      const claimed = (await this.deps.replays.claim(this.owner, this.deps.clock.now(), this.o.leaseMs, CLAIM))
        .filter((r) => !failed.has(keyOf(r)));
      if (claimed.length === 0) return;
      for (const r of claimed) {
        try {
          await this.step(r);
        } catch (err) {
          failed.add(keyOf(r));
          this.deps.log.error({ err, replay: r.name, account: r.account, region: r.region }, 'events: replay step failed; retrying later');
        }
      }
      // Between batches the event loop serves requests.
      await yieldToLoop();
      if (this.stopping) return;
    }
  }

  /** One move of one replay. */
  private async step(r: Replay): Promise<void> {
    const { replays } = this.deps;
    const now = this.deps.clock.now();
    if (r.state === 'CANCELLING') {
      await replays.finish(r, ['CANCELLING'], 'CANCELLED', undefined, now);
      return;
    }
    const failure = await this.failure(r);
    if (failure !== undefined) {
      await replays.finish(r, ACTIVE_STATES, 'FAILED', failure, now);
      return;
    }
    // Only what was archived when the replay started: a replay whose EventEndTime is in the future
    // still ends, instead of chasing events the bus keeps accepting.
    const batch = await this.deps.archives.eventsBetween(r.archiveId, {
      start: r.eventStart, end: r.eventEnd, archivedBy: r.startedAt, after: r.cursor, limit: this.o.batch,
    });
    if (batch.length > 0) {
      const scope = { account: r.account, region: r.region };
      const only = r.filterArns ? new Set(r.filterArns.map((f) => filterRuleName(scope, r.bus, f))) : undefined;
      await this.deps.dispatcher.dispatch(scope, r.bus, batch.map((e) => replayedEvent(e, r.name, now)), only);
      const last = batch[batch.length - 1]!;
      // EventLastReplayedTime is the event time of the last event sent: how far into [start, end) the replay got.
      const moved = await replays.advance(r, { cursor: { time: last.eventTime, seq: last.seq }, lastReplayed: last.eventTime, leaseUntil: now + this.o.leaseMs });
      if (!moved || batch.length === this.o.batch) return;
    }
    await replays.finish(r, ACTIVE_STATES, 'COMPLETED', undefined, this.deps.clock.now());
  }

  /** Why the replay cannot go on (its archive or bus was deleted), if so. */
  private async failure(r: Replay): Promise<string | undefined> {
    const scope = { account: r.account, region: r.region };
    if (!(await this.deps.archives.getById(r.archiveId))) return `Archive ${r.archiveName} does not exist.`;
    if (!(await this.deps.events.getBus(scope, r.bus))) return `Event bus ${r.bus} does not exist.`;
    return undefined;
  }
}
