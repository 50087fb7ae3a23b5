/**
 * Routing accepted events to targets: the matched rules' targets become durable outbox rows (one per
 * event and target, sent by the delivery worker), archives and listeners see the events — all before
 * the caller is answered, so an acknowledged event is never lost.
 */
import type { Target } from '@aws-sdk/client-eventbridge';
import type { Scope } from '../../lib/arn.ts';
import type { NewOutboxRow, OutboxRepo } from '../../store/meta/outbox.ts';
import { ruleArn } from './names.ts';
import type { RuleWithTargets } from './repo.ts';
import type { RuleIndex } from './rule-index.ts';

export const TARGET_TOPIC = 'events.target';

/** An event as the bus carries it: the object and its JSON text (what archives and targets get). */
export interface BusEvent {
  event: Record<string, unknown>;
  json: string;
  /** When the bus accepted it (epoch ms): `<aws.events.event.ingestion-time>`. */
  ingestedAt: number;
}

/** One outbox row's payload: everything delivery needs without reading the rule again. */
export interface TargetDelivery {
  account: string;
  region: string;
  bus: string;
  rule: string;
  ruleArn: string;
  target: Target;
  event: string;
  ingestedAt: number;
}

/** Something that sees every event a bus accepted (archives, schema discovery, metrics). */
export type BusListener = (s: Scope, bus: string, events: BusEvent[], matched: number) => void | Promise<void>;

/** Rows waiting for the next group commit, and the dispatches waiting on it. */
interface PendingWrite {
  rows: NewOutboxRow[];
  waiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

export class Dispatcher {
  private readonly listeners: BusListener[] = [];
  private pending: PendingWrite | undefined;

  constructor(private readonly rules: RuleIndex, private readonly outbox: OutboxRepo, private readonly now: () => number) {}

  /** Whether a bus exists, answered from the rule index's cache while its scope is unchanged. */
  busExists(s: Scope, bus: string, load: () => Promise<boolean>): Promise<boolean> {
    return this.rules.busExists(s, bus, load);
  }

  listen(l: BusListener): void {
    this.listeners.push(l);
  }

  /**
   * Matches and enqueues; `only` restricts to named rules (replays) or to rules a predicate accepts
   * (read-only API calls reach only rules in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS).
   * Returns how many rules matched per event.
   */
  async dispatch(s: Scope, bus: string, events: BusEvent[], only?: ReadonlySet<string> | ((r: RuleWithTargets) => boolean)): Promise<number[]> {
    const rows: NewOutboxRow[] = [];
    const counts: number[] = [];
    const keep = only === undefined ? undefined : typeof only === 'function' ? only : (r: RuleWithTargets) => only.has(r.name);
    for (const e of events) {
      const matched = (await this.rules.match(s, bus, e.event, e.json)).filter((r) => !keep || keep(r));
      counts.push(matched.length);
      for (const rule of matched) rows.push(...targetRows(s, rule, e));
    }
    if (rows.length > 0) await this.write(rows);
    const total = counts.reduce((a, b) => a + b, 0);
    for (const l of this.listeners) await l(s, bus, events, total);
    return counts;
  }

  /** A scheduled rule's targets for one fire: no matching, the rule itself triggered. */
  async fire(rule: RuleWithTargets, e: BusEvent): Promise<void> {
    const rows = targetRows(rule, rule, e);
    if (rows.length > 0) await this.write(rows);
  }

  /**
   * Group commit: the rows of every dispatch made in this turn of the event loop (concurrent
   * PutEvents calls, schedules due together) go into one outbox transaction, and each caller
   * resumes once that transaction committed — so an answered PutEvents is still durable, at a
   * fraction of the commits (one transaction per call was the largest cost of PutEvents).
   */
  private write(rows: NewOutboxRow[]): Promise<void> {
    let p = this.pending;
    if (p === undefined) {
      const batch: PendingWrite = { rows: [], waiters: [] };
      p = this.pending = batch;
      setImmediate(() => {
        this.pending = undefined;
        this.outbox.enqueue(batch.rows, this.now()).then(
          () => batch.waiters.forEach((w) => w.resolve()),
          (e: unknown) => batch.waiters.forEach((w) => w.reject(e)),
        );
      });
    }
    for (const r of rows) p.rows.push(r);
    const batch = p;
    return new Promise((resolve, reject) => batch.waiters.push({ resolve, reject }));
  }
}

function targetRows(s: Scope, rule: RuleWithTargets, e: BusEvent): NewOutboxRow[] {
  const arn = ruleArn(s, rule.bus, rule.name);
  return rule.targets.map((target) => {
    const payload: TargetDelivery = {
      account: s.account, region: s.region, bus: rule.bus, rule: rule.name, ruleArn: arn, target, event: e.json, ingestedAt: e.ingestedAt,
    };
    return { topic: TARGET_TOPIC, target: target.Arn!, payload: JSON.stringify(payload), bytes: e.json.length };
  });
}
