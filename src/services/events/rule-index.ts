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
  buses: Map<string, PatternIndex<RuleWithTargets>>;
}

export class RuleIndex {
  private readonly scopes = new Map<string, ScopeCache>();

  constructor(private readonly repo: EventsRepo, private readonly log: Logger) {}

  /** The enabled rules of the bus whose pattern matches the event. */
  async match(s: Scope, bus: string, event: unknown, eventJson: string): Promise<RuleWithTargets[]> {
    return (await this.index(s, bus)).match(event, eventJson);
  }

  private async index(s: Scope, bus: string): Promise<PatternIndex<RuleWithTargets>> {
    const key = `${s.account}\u0000${s.region}`;
    const gen = await this.repo.generation(s);
    let cache = this.scopes.get(key);
    if (!cache || cache.gen !== gen) {
      cache = { gen, buses: new Map() };
      this.scopes.set(key, cache);
    }
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
