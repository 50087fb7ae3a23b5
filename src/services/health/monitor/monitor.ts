/**
 * Turns check results into incidents: a condition not yet open opens an incident (an `open` Health
 * event), an open incident its check no longer finds closes (end time = now). Open incidents are
 * kept in memory (loaded from the store at start) so that the monitor still tracks incidents while
 * the metadata store itself is unusable: state changes wait in order until they can be written,
 * and each one's EventBridge event is sent once it is stored.
 *
 * A monitor of cluster-wide conditions (`reload`) runs on one node at a time — the holder of a
 * lease, which moves — so it re-reads its open incidents from the store before each pass: the
 * previous holder may have opened or closed some.
 */
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import { newEventArn } from '../arn.ts';
import { OSPREY_CATEGORY, OSPREY_SERVICE } from '../event-types.ts';
import { EVENT_REGION } from '../arn.ts';
import type { Incident } from '../repo.ts';
import type { Check, Condition } from './check.ts';

export interface IncidentStore {
  open(): Promise<Incident[]>;
  save(i: Incident): Promise<void>;
}

const keyOf = (x: { typeCode: string; entity: string }): string => `${x.typeCode}|${x.entity}`;

export class IncidentMonitor {
  private readonly open = new Map<string, Incident>();
  /** Opened or closed incidents not yet written (the metadata store failed), oldest first. */
  private readonly unsaved: Incident[] = [];

  constructor(
    private readonly checks: readonly Check[],
    private readonly store: IncidentStore,
    private readonly clock: Clock,
    private readonly notify: (i: Incident) => void,
    private readonly log: Logger,
    /**
     * `entities`: the only entities its checks report (a node's own components): incidents of other
     * entities — another node's, in a shared metadata store — are not this monitor's to close.
     */
    private readonly opts: { reload?: boolean; entities?: ReadonlySet<string> } = {},
  ) {}

  /** Loads the incidents of its checks' types still open in the store (before the first pass). */
  async load(): Promise<void> {
    const mine = new Set<string>(this.checks.flatMap((c) => c.types));
    const { entities } = this.opts;
    this.open.clear();
    for (const i of await this.store.open()) {
      if (mine.has(i.typeCode) && (!entities || entities.has(i.entity))) this.open.set(keyOf(i), i);
    }
  }

  /** One pass: every check, then the writes (and their events). */
  async runOnce(): Promise<void> {
    // Changes not yet written are newer than the store: keep memory as it is until they are.
    if (this.opts.reload && this.unsaved.length === 0) await this.load();
    for (const check of this.checks) {
      const now = this.clock.now();
      let found: Condition[];
      try {
        found = await check.run(now);
      } catch (err) {
        this.log.warn({ err, check: check.name }, 'health: check could not run');
        continue;
      }
      this.reconcile(check, found, now);
    }
    await this.flush();
  }

  private reconcile(check: Check, found: Condition[], now: number): void {
    const active = new Set(found.map(keyOf));
    for (const c of found) {
      if (this.open.has(keyOf(c))) continue;
      const i: Incident = {
        arn: newEventArn(OSPREY_SERVICE, c.typeCode), service: OSPREY_SERVICE, typeCode: c.typeCode, category: OSPREY_CATEGORY,
        region: EVENT_REGION, entity: c.entity, description: c.description, startTime: now, lastUpdated: now,
      };
      this.open.set(keyOf(c), i);
      this.unsaved.push(i);
      this.log.warn({ eventTypeCode: i.typeCode, entity: i.entity, eventArn: i.arn }, `health: incident opened: ${i.description}`);
    }
    for (const [key, i] of this.open) {
      if (!check.types.includes(i.typeCode as Check['types'][number]) || active.has(key)) continue;
      const closed: Incident = { ...i, endTime: now, lastUpdated: now, description: `${i.description} Resolved at ${new Date(now).toISOString()}.` };
      this.open.delete(key);
      this.unsaved.push(closed);
      this.log.info({ eventTypeCode: i.typeCode, entity: i.entity, eventArn: i.arn }, 'health: incident closed');
    }
  }

  private async flush(): Promise<void> {
    while (this.unsaved.length > 0) {
      const i = this.unsaved[0]!;
      try {
        await this.store.save(i);
      } catch (err) {
        this.log.error({ err, pending: this.unsaved.length }, 'health: cannot store incidents yet; retrying next pass');
        return;
      }
      this.unsaved.shift();
      this.notify(i);
    }
  }
}
