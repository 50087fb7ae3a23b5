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
import type { SqliteInsightRuleRepo } from './repo.ts';

interface ActiveRule {
  id: string;
  patterns: string[];
  compiled: CompiledRule;
}

export class InsightRuleIngest {
  private cache = new Map<string, ActiveRule[]>();
  private version = -1;

  constructor(private readonly repo: SqliteInsightRuleRepo, private readonly store: InsightContributionStore) {}

  async onIngest(batch: LogsIngested): Promise<void> {
    const rules = this.rulesFor(batch.account, batch.region).filter((r) => matchesLogGroup(r.patterns, batch.logGroup));
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

  private rulesFor(account: string, region: string): ActiveRule[] {
    if (this.version !== this.repo.version) {
      this.cache = new Map();
      for (const r of this.repo.enabled()) {
        const def = parseRuleDefinition(r.definition, r.region, r.account);
        const k = `${r.account}\u0000${r.region}`;
        this.cache.set(k, [...(this.cache.get(k) ?? []), { id: r.id, patterns: logGroupPatterns(def), compiled: compileRule(def) }]);
      }
      this.version = this.repo.version;
    }
    return this.cache.get(`${account}\u0000${region}`) ?? [];
  }
}
