/**
 * Contributor Insights: rules over log groups (PutInsightRule & co.), contributions derived at
 * ingest and reports over them (GetInsightRuleReport, INSIGHT_RULE_METRIC).
 */
import type { Env } from '../../../server/module.ts';
import { InsightContributionStore } from '../../../store/telemetry/insight-contributions.ts';
import { insightRuleHandlers } from './handlers.ts';
import { InsightRuleIngest } from './ingest.ts';
import { INSIGHT_RULE_MIGRATIONS, InsightRuleStore } from './repo.ts';
import { ruleMetricSeries } from './rule-metric.ts';

export async function createInsightRules(env: Env) {
  await env.migrate('cloudwatch-insight-rules', INSIGHT_RULE_MIGRATIONS);
  const repo = new InsightRuleStore(env.db, env.changes);
  const store = new InsightContributionStore(env.telemetry.engine);
  const ingest = new InsightRuleIngest(repo, store);
  env.bus.subscribe('logs.ingested', (f) => ingest.onIngest(f.batch));
  return {
    repo,
    handlers: insightRuleHandlers(repo, store),
    ruleMetric: ruleMetricSeries(repo, store),
    job: { name: 'insight-contributions', start: () => undefined, stop: () => store.close() },
  };
}
