/**
 * Schema discovery: the `events.accepted` facts of buses with a STARTED discoverer become schemas
 * (and new versions when a new shape arrives) in the `discovered-schemas` registry.
 *
 * Kept off the PutEvents path: `accept` only queues the batch (bounded; beyond the bound events are
 * not sampled, as AWS's discovery samples) and arms a debounce timer; inference and metadata writes
 * happen later, one flush at a time, and a failure is logged, never reported to PutEvents.
 */
import { arn } from '../../lib/arn.ts';
import type { FactOf } from '../../lib/event-bus.ts';
import type { Fact } from '../../server/facts.ts';
import type { SchemasDeps } from './deps.ts';
import { kindsOf, renderKind, type EventKind, type ObjectShape } from './discovered.ts';
import { merge } from './infer.ts';
import { DISCOVERED_REGISTRY } from './names.ts';
import { ensureManaged } from './registries.ts';
import type { Discoverer, Scope } from './repo.ts';
import { renderAwsEvent } from './render.ts';

type Accepted = FactOf<Fact, 'events.accepted'>;

export interface DiscoveryOptions {
  /** How long after the first queued batch a flush runs (more batches join it meanwhile). */
  debounceMs: number;
  /** Events queued at most between flushes. */
  maxPending: number;
}

export const DEFAULT_DISCOVERY: DiscoveryOptions = { debounceMs: 250, maxPending: 10_000 };

export class Discovery {
  private pending: Accepted[] = [];
  private pendingEvents = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SchemasDeps, private readonly opts: DiscoveryOptions = DEFAULT_DISCOVERY) {}

  /** The fact handler: O(1), never throws. */
  accept(fact: Accepted): void {
    if (this.pendingEvents >= this.opts.maxPending || fact.events.length === 0) return;
    this.pending.push(fact);
    this.pendingEvents += fact.events.length;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.opts.debounceMs);
    this.timer.unref();
  }

  /** Processes what is queued now; flushes run one after another. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    this.pendingEvents = 0;
    if (batch.length === 0) return this.chain;
    this.chain = this.chain.then(() => this.apply(batch)).catch((e: unknown) => {
      this.deps.log.warn({ error: e instanceof Error ? e.message : String(e) }, 'schema discovery failed');
    });
    return this.chain;
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  private async apply(batch: Accepted[]): Promise<void> {
    // One pass per bus: the discoverers are looked up once, all of its events merged before writing.
    const byBus = new Map<string, Accepted[]>();
    for (const f of batch) {
      const key = JSON.stringify([f.account, f.region, f.bus]);
      const group = byBus.get(key);
      if (group) group.push(f);
      else byBus.set(key, [f]);
    }
    for (const facts of byBus.values()) {
      const { account, region, bus } = facts[0]!;
      const scope = { account, region };
      const discoverers = await this.deps.repo.startedDiscoverers(scope, arn('events', scope, `event-bus/${bus}`));
      if (discoverers.length === 0) continue;
      const events = facts.flatMap((f) => f.events);
      for (const kind of kindsOf(events.filter((e) => discoverers.some((d) => accepts(d, account, e)))).values()) {
        await record(this.deps, scope, kind);
      }
    }
  }
}

/** Without CrossAccount a discoverer ignores events another account sent to the bus. */
const accepts = (d: Discoverer, busAccount: string, e: Record<string, unknown>) => d.crossAccount || e.account === undefined || e.account === busAccount;

/** Merges the kind into its stored shape; a new version only when the rendered schema changes. */
export async function record(deps: SchemasDeps, s: Scope, kind: EventKind): Promise<number | undefined> {
  await ensureManaged(deps, s);
  const existing = await deps.repo.schema(s, DISCOVERED_REGISTRY, kind.name);
  const stored = existing?.discoveredShape ? (JSON.parse(existing.discoveredShape) as ObjectShape) : undefined;
  const shape = stored ? (merge(stored, kind.shape) as ObjectShape) : kind.shape;
  const content = renderKind({ ...kind, shape });
  // Compared with the stored shape's rendering, not the latest version: an edited version is not a new shape.
  if (stored && renderAwsEvent(kind.source, kind.detailType, stored) === content) return undefined;
  return deps.repo.appendVersion(s, DISCOVERED_REGISTRY, kind.name, { type: 'OpenApi3', content, createdAt: deps.clock.now() }, {
    create: existing ? undefined : { tags: {} },
    discoveredShape: JSON.stringify(shape),
  });
}
