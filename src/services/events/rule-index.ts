/**
 * The rules of each bus, compiled and indexed by source / detail-type (PatternIndex), cached per
 * (account, region) and rebuilt when the scope's generation moves — which every rule or target
 * change bumps, in this process or another one sharing the metadata store.
 */
import { compileEventPattern, PatternIndex } from '../../lib/event-pattern/index.ts';
import type { Scope } from '../../lib/arn.ts';
import type { Logger } from '../../lib/logger.ts';
import type { EventsRepo, RuleWithTargets } from './repo.ts';

interface ScopeCache {
  gen: number;
  /** When the generation was last read from the store, and this process's change count then. */
  checkedAt: number;
  local: number;
  buses: Map<string, PatternIndex<RuleWithTargets>>;
  /** Buses known to exist (a deletion bumps the generation, which clears this). */
  existing: Set<string>;
}

/**
 * How stale the view of another process's rule changes may be. Changes made in this process are
 * seen at once; reading the generation on every PutEvents cost more than matching.
 */
const RECHECK_MS = 250;

export class RuleIndex {
  private readonly scopes = new Map<string, ScopeCache>();

  constructor(private readonly repo: EventsRepo, private readonly log: Logger) {}

  /** The enabled rules of the bus whose pattern matches the event. */
  async match(s: Scope, bus: string, event: unknown, eventJson: string): Promise<RuleWithTargets[]> {
    return (await this.index(s, bus)).match(event, eventJson);
  }

  /** Whether the bus exists, remembered while the scope's generation holds. */
  async busExists(s: Scope, bus: string, load: () => Promise<boolean>): Promise<boolean> {
    const cache = await this.scope(s);
    if (cache.existing.has(bus)) return true;
    const exists = await load();
    if (exists) cache.existing.add(bus);
    return exists;
  }

  private async scope(s: Scope): Promise<ScopeCache> {
    const key = `${s.account}\u0000${s.region}`;
    const now = Date.now();
    let cache = this.scopes.get(key);
    if (cache && cache.local === this.repo.localChanges && now - cache.checkedAt < RECHECK_MS) return cache;
    const gen = await this.repo.generation(s);
    if (!cache || cache.gen !== gen || cache.local !== this.repo.localChanges) {
      cache = { gen, checkedAt: now, local: this.repo.localChanges, buses: new Map(), existing: new Set() };
      this.scopes.set(key, cache);
    }
    cache.checkedAt = now;
    return cache;
  }

  private async index(s: Scope, bus: string): Promise<PatternIndex<RuleWithTargets>> {
    const cache = await this.scope(s);
    let index = cache.buses.get(bus);
    if (!index) {
      index = new PatternIndex<RuleWithTargets>();
      for (const rule of await this.repo.rulesWithTargets(s, bus)) {
        try {
          index.add(rule.name, compileEventPattern(rule.eventPattern!), rule);
        } catch (err) {
          // Stored patterns were valid when put; one that no longer compiles must not stop the others.
          this.log.error({ err, rule: rule.name, bus }, 'events: stored rule pattern does not compile; rule skipped');
        }
      }
      cache.buses.set(bus, index);
    }
    return index;
  }
}
