/**
 * Firing schedules: every enabled schedule with an occurrence ahead has a timer
 * (store/meta/timers.ts) due at that occurrence's fire time; the kernel's ScheduleRunner claims due
 * timers and calls fire(), which writes one `scheduler.target` outbox row (the delivery worker
 * invokes the target, with the schedule's retry policy) and returns the next fire time.
 *
 * Occurrences are fired LEAD_MS ahead of their due time, their outbox rows held until then
 * (`notBefore`): 10,000 schedules due in the same second took ~1.4 s just to be written, so the
 * last of them reached its target ~2 s late; written ahead, every send starts at the due second.
 * What changes in the lead window is honoured by delivery (delivery.ts): a row whose schedule was
 * deleted, disabled or updated since is not sent, and the update's timer fires the occurrence with
 * the new settings. A last occurrence (at(), EndDate) leaves a spent timer (SPENT) so that a sync in
 * the lead window does not arm it again; with ActionAfterCompletion DELETE, delivery deletes the
 * schedule once its last invocation is done (delivered, or given up and dead-lettered).
 *
 * Missed-fire policy, as for EventBridge scheduled rules: an occurrence missed by at most
 * MISSED_GRACE_MS (the server was down or busy) fires once when noticed; older ones are skipped and
 * logged. The next occurrence is then the first one after the one just handled whose fire time is
 * not in the past — with a FLEXIBLE window, whose offsets can reorder neighbours, one already due by
 * less than min(window, grace) still fires. After the last occurrence (an at() schedule, or EndDate
 * reached) a schedule with ActionAfterCompletion DELETE is deleted.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { MISSED_GRACE_MS, RETRY_MS, type ScheduleOwner, ScheduleRunner } from '../../jobs/schedule-runner.ts';
import type { Sql } from '../../store/meta/sql/types.ts';
import type { NewOutboxRow, OutboxRepo } from '../../store/meta/outbox.ts';
import { TimerStore, type Timer, type TimerRepo } from '../../store/meta/timers.ts';
import type { ScheduledInvocation } from './invocation.ts';
import { TARGET_TOPIC } from './invocation.ts';
import { scheduleArn } from './names.ts';
import { nextOccurrence, occurrenceFiringAt, windowMs, type Occurrence, type Timing } from './occurrences.ts';
import type { SchedulerRepo, StoredSchedule } from './repo.ts';

const MODULE = 'scheduler';
/** How far ahead of its due time an occurrence is fired (its delivery held until due). */
export const LEAD_MS = 3000;
/** The fire time of a schedule's timer after its last occurrence: never due, kept while the schedule exists. */
export const SPENT = Number.MAX_SAFE_INTEGER;

export interface SchedulerRunnerDeps {
  db: Sql;
  repo: SchedulerRepo;
  outbox: OutboxRepo;
  clock: Clock;
  log: Logger;
}

interface FirePlan {
  row?: NewOutboxRow;
  next: number | null;
  /** A schedule whose last occurrence was skipped (missed) and that deletes itself after completion. */
  remove?: { account: string; region: string; group: string; name: string };
}

/**
 * A timer's key: account, region, group and name joined by U+0001, which no name holds (U+0000 did until PostgreSQL, whose
 * text cannot hold it; the first sync replaces timers stored under the old keys).
 */
const KEY_SEP = '\u0001';
const keyOf = (r: { account: string; region: string; group: string; name: string }) => [r.account, r.region, r.group, r.name].join(KEY_SEP);

const timingOf = (r: StoredSchedule): Timing => ({
  arn: scheduleArn(r, r.group, r.name), expression: r.expression, timezone: r.timezone, startDate: r.startDate, endDate: r.endDate,
  flexibleWindow: r.flexibleWindow, createdAt: r.createdAt,
});

/** The outbox row of one fired occurrence, held until its fire time. */
function rowFor(r: StoredSchedule, occ: Occurrence, now: number, generation: number, last: boolean): NewOutboxRow {
  const invocation: ScheduledInvocation = {
    account: r.account, region: r.region, group: r.group, name: r.name, scheduleArn: scheduleArn(r, r.group, r.name),
    target: r.target, scheduledAt: occ.scheduledAt, firedAt: Math.max(now, occ.fireAt), occurrenceId: randomUUID(),
    revision: r.revision, generation, ...(last && r.actionAfterCompletion === 'DELETE' ? { deleteAfter: true } : {}),
  };
  return { topic: TARGET_TOPIC, target: r.target.Arn!, payload: JSON.stringify(invocation), notBefore: occ.fireAt };
}

export function createSchedulerRunner(deps: SchedulerRunnerDeps): ScheduleRunner {
  const timers = new TimerStore(deps.db);
  return new ScheduleRunner({ timers, owner: schedulerOwner(deps, timers), clock: deps.clock, log: deps.log });
}

/** The runner's owner: sync() keeps one timer per enabled schedule with an occurrence ahead, fire() fires one. */
export function schedulerOwner(deps: SchedulerRunnerDeps, timers: TimerRepo): ScheduleOwner {
  let seenGeneration = -1;

  /** The next occurrence, or undefined (also for an expression stored before a parser change refuses it). */
  const next = (r: StoredSchedule, after: number, notBefore: number): Occurrence | undefined => {
    try {
      return nextOccurrence(timingOf(r), after, notBefore);
    } catch (err) {
      deps.log.warn({ err, schedule: r.name, group: r.group }, 'scheduler: the schedule expression cannot be evaluated; the schedule will not fire');
      return undefined;
    }
  };

  const sync = async () => {
    const gen = await deps.repo.generation();
    if (gen === seenGeneration) return;
    seenGeneration = gen;
    const schedules = new Map((await deps.repo.enabledSchedules()).map((r) => [keyOf(r), r]));
    const existing = new Map((await timers.list(MODULE)).map((t) => [t.key, t]));
    const now = deps.clock.now();
    for (const [key, r] of schedules) {
      if (existing.get(key)?.spec === r.revision) continue;
      const occ = next(r, now - windowMs(r.flexibleWindow), now);
      if (occ === undefined) await timers.remove(MODULE, key);
      else await timers.upsert(MODULE, { key, nextFireAt: occ.fireAt, spec: r.revision });
    }
    for (const key of existing.keys()) if (!schedules.has(key)) await timers.remove(MODULE, key);
  };

  /** What firing one timer does: the delivery to write (if any), the schedule to delete after it, the next fire time. */
  const plan = async (t: Timer, now: number, generation: number): Promise<FirePlan> => {
    const [account, region, group, name] = t.key.split(KEY_SEP) as [string, string, string, string];
    const found = await deps.repo.schedule({ account, region }, group, name);
    if (!found || found.state === 'DISABLED') return { next: null };
    const r: StoredSchedule = { ...found, account, region };
    // Changed since the timer was set (another process): re-aim without firing; sync stores the new spec.
    if (r.revision !== t.spec) return { next: next(r, now - windowMs(r.flexibleWindow), now)?.fireAt ?? null };
    const occ = occurrenceFiringAt(timingOf(r), t.nextFireAt);
    const following = next(r, occ.scheduledAt, now - Math.min(windowMs(r.flexibleWindow), MISSED_GRACE_MS));
    if (now - t.nextFireAt > MISSED_GRACE_MS) {
      deps.log.warn({ schedule: name, group, account, region, dueAt: new Date(t.nextFireAt).toISOString() }, 'scheduler: occurrence missed by more than 5 minutes; skipped');
      if (following) return { next: following.fireAt };
      return { next: null, remove: r.actionAfterCompletion === 'DELETE' ? { account, region, group, name } : undefined };
    }
    return { row: rowFor(r, occ, now, generation, following === undefined), next: following?.fireAt ?? SPENT };
  };

  /**
   * Every due occurrence's delivery in one outbox transaction (10,000 schedules due in the same
   * second were 10,000 transactions), written before any completed schedule is deleted.
   */
  const fireMany = async (ts: Timer[]): Promise<(number | null)[]> => {
    const now = deps.clock.now();
    // Read before the schedules: a change after this read makes delivery look at each row again.
    const generation = await deps.repo.generation();
    const plans: FirePlan[] = [];
    for (const t of ts) {
      try {
        plans.push(await plan(t, now, generation));
      } catch (err) {
        // One schedule that cannot be read or evaluated must not hold back the others due with it.
        deps.log.error({ err, key: t.key }, 'scheduler: fire failed; retrying shortly');
        plans.push({ next: now + RETRY_MS });
      }
    }
    const rows = plans.flatMap((p) => (p.row ? [p.row] : []));
    if (rows.length > 0) await deps.outbox.enqueue(rows, now);
    for (const p of plans) if (p.remove) await deps.repo.deleteSchedule({ account: p.remove.account, region: p.remove.region }, p.remove.group, p.remove.name);
    return plans.map((p) => p.next);
  };

  const fire = async (t: Timer): Promise<number | null> => (await fireMany([t]))[0]!;

  return { module: MODULE, fire, fireMany, sync, leadMs: LEAD_MS };
}
