/**
 * Archive retention: deletes events archived longer ago than their archive's RetentionDays (0 or
 * unset: kept forever), the events of deleted archives, and replays that ended more than 90 days
 * ago. Works in batches with the event loop served in between, so a large backlog does not stall
 * requests. Deleting twice is harmless, so several processes may run it.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import { PeriodicTask } from '../../../jobs/periodic-task.ts';
import type { Job } from '../../../server/module.ts';
import type { ArchiveRepo } from './archive-repo.ts';
import { REPLAY_KEEP_MS } from './deps.ts';
import type { ReplayRepo } from './replay-repo.ts';

export interface RetentionDeps {
  archives: ArchiveRepo;
  replays: ReplayRepo;
  clock: Clock;
  log: Logger;
  intervalMs?: number;
  batch?: number;
}

/** Retention is counted in days; a pass every 5 minutes keeps archives within minutes of it. */
const INTERVAL_MS = 5 * 60_000;
const BATCH = 1000;

export class ArchiveRetention implements Job {
  readonly name = 'events-archive-retention';
  private readonly task: PeriodicTask;
  private readonly batch: number;

  constructor(private readonly deps: RetentionDeps) {
    this.batch = deps.batch ?? BATCH;
    this.task = new PeriodicTask(this.name, deps.intervalMs ?? INTERVAL_MS, async () => {
      await this.runOnce();
    }, deps.log);
  }

  start(): void {
    this.task.start();
    this.task.kick();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One full pass; resolves with how many events it deleted (tests call it directly). */
  async runOnce(): Promise<number> {
    let total = 0;
    for (const step of [(n: number) => this.deps.archives.expire(this.deps.clock.now(), n), (n: number) => this.deps.archives.purgeDeleted(n)]) {
      for (;;) {
        const n = await step(this.batch);
        total += n;
        if (n < this.batch) break;
        await yieldToLoop();
      }
    }
    await this.deps.replays.purgeEnded(this.deps.clock.now() - REPLAY_KEEP_MS);
    return total;
  }
}
