/**
 * INSIGHT_RULE_METRIC(ruleName, metricName) for GetMetricData and alarms: one of a Contributor
 * Insights rule's metrics (UniqueContributors, MaxContributorValue, SampleCount, Sum, Minimum,
 * Maximum, Average) per period, on the request's grid; periods without contributions have no
 * datapoint.
 */
import type { InsightContributionStore } from '../../../store/telemetry/insight-contributions.ts';
import { RULE_METRICS, ruleMetricValue, type RuleMetric } from './report.ts';
import type { InsightRuleStore } from './repo.ts';

export type RuleMetricSeries = (scope: { account: string; region: string }, rule: string, metric: string,
  grid: { timestamps: readonly number[]; period: number }) => Promise<(number | null)[]>;

export class RuleMetricError extends Error {}

export function ruleMetricSeries(repo: InsightRuleStore, store: InsightContributionStore): RuleMetricSeries {
  return async (scope, ruleName, metric, grid) => {
    if (!(RULE_METRICS as readonly string[]).includes(metric)) {
      throw new RuleMetricError(`INSIGHT_RULE_METRIC: ${metric} is not a Contributor Insights metric; use one of ${RULE_METRICS.join(', ')}.`);
    }
    const rule = await repo.get(scope, ruleName);
    if (rule === undefined) throw new RuleMetricError(`INSIGHT_RULE_METRIC: the rule ${ruleName} does not exist.`);
    if (grid.timestamps.length === 0) return [];
    const periodMs = grid.period * 1000;
    const periods = await store.periods({
      account: scope.account, region: scope.region, rule: rule.id, start: grid.timestamps[0]!, end: grid.timestamps.at(-1)! + periodMs, period: grid.period, origin: grid.timestamps[0]!,
    }, metric === 'MaxContributorValue');
    const at = new Map(periods.map((p) => [p.at, ruleMetricValue(p, metric as RuleMetric)]));
    return grid.timestamps.map((t) => at.get(t) ?? null);
  };
}
