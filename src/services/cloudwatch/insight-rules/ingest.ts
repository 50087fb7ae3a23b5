/**
 * Applies the enabled Contributor Insights rules to log events as they are ingested (the bus's
 * `logs.ingested` fact, awaited before PutLogEvents answers): each event a rule counts becomes a
 * contribution row, stored before the request is acknowledged. Compiled rules are cached and
 * rebuilt when a rule changes.
 */
import type { LogsIngested } from '../../../server/facts.ts';
import type { ContributionRow, InsightContributionStore } from '../../../store/telemetry/insight-contributions.ts';
import { compileRule, type CompiledRule } from './contribution.ts';
import { logGroupPatterns, matchesLogGroup, parseRuleDefinition } from './definition.ts';
import type { InsightRuleStore } from './repo.ts';

interface ActiveRule {
  id: string;
  patterns: string[];
  compiled: CompiledRule;
}

export class InsightRuleIngest {
  private cache = new Map<string, ActiveRule[]>();
  private version = -1;

  constructor(private readonly repo: InsightRuleStore, private readonly store: InsightContributionStore) {}

  async onIngest(batch: LogsIngested): Promise<void> {
    const rules = (await this.rulesFor(batch.account, batch.region)).filter((r) => matchesLogGroup(r.patterns, batch.logGroup));
    if (rules.length === 0) return;
    const rows: ContributionRow[] = [];
    for (const e of batch.events) {
      for (const r of rules) {
        const c = r.compiled.contribute(e.message);
        if (c) rows.push({ account: batch.account, region: batch.region, rule: r.id, ts: e.timestamp, key: c.key, value: c.value });
      }
    }
    await this.store.append(rows);
  }

  /** Reads the store only when a rule changed since the cache was built (PutLogEvents waits on this). */
  private async rulesFor(account: string, region: string): Promise<ActiveRule[]> {
    if (this.version !== this.repo.version) {
      // The version read before the rules: a change during the read rebuilds again next time.
      const version = this.repo.version;
      const cache = new Map<string, ActiveRule[]>();
      for (const r of await this.repo.enabled()) {
        const def = parseRuleDefinition(r.definition, r.region, r.account);
        const k = `${r.account}\u0000${r.region}`;
        cache.set(k, [...(cache.get(k) ?? []), { id: r.id, patterns: logGroupPatterns(def), compiled: compileRule(def) }]);
      }
      this.cache = cache;
      this.version = version;
    }
    return this.cache.get(`${account}\u0000${region}`) ?? [];
  }
}
