/**
 * Scheduled rules: every enabled rule with a ScheduleExpression has a timer (store/meta/timers.ts)
 * holding its next occurrence; the ScheduleRunner fires it by sending the "Scheduled Event" to the
 * rule's targets. Missed-fire policy: an occurrence missed by at most MISSED_GRACE_MS (the server
 * was down or busy) fires once when noticed; older ones are skipped; in either case the next
 * occurrence is the first one after now. Rates count from the rule's creation time (to the second).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import { nextFireTimes, parseRuleSchedule } from '../../../lib/schedule/index.ts';
import { MISSED_GRACE_MS, ScheduleRunner } from '../../../jobs/schedule-runner.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
import { TimerStore, type Timer } from '../../../store/meta/timers.ts';
import type { Dispatcher } from '../dispatch.ts';
import { DEFAULT_BUS, ruleArn } from '../names.ts';
import type { EventsRepo, RuleWithTargets } from '../repo.ts';

const MODULE = 'events';

export interface RuleSchedulerDeps {
  db: Sql;
  repo: EventsRepo;
  dispatcher: Dispatcher;
  clock: Clock;
  log: Logger;
}

/**
 * A timer's key: account, region and rule name joined by U+0001, which no name holds (U+0000 did until PostgreSQL, whose
 * text cannot hold it; the first sync replaces timers stored under the old keys).
 */
const KEY_SEP = '\u0001';
const keyOf = (r: { account: string; region: string; name: string }) => [r.account, r.region, r.name].join(KEY_SEP);
const specOf = (r: RuleWithTargets) => `${r.schedule}|${r.createdAt}`;

/** The first occurrence of the rule's schedule strictly after `after` (undefined = never again). */
function nextAfter(r: { schedule?: string; createdAt: number }, after: number): number | undefined {
  try {
    // Rates count from the rule's creation, rounded up to the second so occurrences and the events'
    // second-precision `time` agree.
    return nextFireTimes(parseRuleSchedule(r.schedule!), { after, count: 1, anchor: Math.ceil(r.createdAt / 1000) * 1000 })[0];
  } catch {
    return undefined;
  }
}

export function createRuleScheduler(deps: RuleSchedulerDeps): ScheduleRunner {
  const timers = new TimerStore(deps.db);
  let seenGeneration = -1;

  const sync = async () => {
    const gen = await deps.repo.totalGeneration();
    if (gen === seenGeneration) return;
    seenGeneration = gen;
    const rules = new Map((await deps.repo.scheduledRules()).map((r) => [keyOf(r), r]));
    const existing = new Map((await timers.list(MODULE)).map((t) => [t.key, t]));
    for (const [key, rule] of rules) {
      if (existing.get(key)?.spec === specOf(rule)) continue;
      const next = nextAfter(rule, deps.clock.now());
      if (next === undefined) await timers.remove(MODULE, key);
      else await timers.upsert(MODULE, { key, nextFireAt: next, spec: specOf(rule) });
    }
    for (const key of existing.keys()) if (!rules.has(key)) await timers.remove(MODULE, key);
  };

  const fire = async (t: Timer): Promise<number | null> => {
    const [account, region, name] = t.key.split(KEY_SEP) as [string, string, string];
    const scope = { account, region };
    const rule = await deps.repo.getRule(scope, DEFAULT_BUS, name);
    if (!rule || rule.state === 'DISABLED' || !rule.schedule) return null;
    const now = deps.clock.now();
    if (now - t.nextFireAt <= MISSED_GRACE_MS) {
      const targets = await deps.repo.listTargets(scope, DEFAULT_BUS, name);
      const event = {
        version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.events', account,
        // AWS stamps the scheduled time, to the second.
        time: new Date(Math.floor(t.nextFireAt / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
        region, resources: [ruleArn(scope, DEFAULT_BUS, name)], detail: {},
      };
      await deps.dispatcher.fire({ ...rule, account, region, targets }, { event, json: JSON.stringify(event), ingestedAt: now });
    } else {
      deps.log.warn({ rule: name, account, region, dueAt: new Date(t.nextFireAt).toISOString() }, 'events: scheduled occurrence missed by more than 5 minutes; skipped');
    }
    return nextAfter(rule, Math.max(t.nextFireAt, now)) ?? null;
  };

  return new ScheduleRunner({ timers, owner: { module: MODULE, fire, sync }, clock: deps.clock, log: deps.log });
}
