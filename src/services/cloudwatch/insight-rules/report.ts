/**
 * GetInsightRuleReport: the top contributors of a rule in a time range (by their total, or by their
 * largest single period with OrderBy Maximum), each with its per-period values, the aggregate and
 * the number of distinct contributors, and the `Metrics` asked for per period (UniqueContributors,
 * MaxContributorValue, SampleCount, Sum, Minimum, Maximum, Average). ApproximateAggregateValue,
 * AggregateValue and ApproximateUniqueCount are exact; per-period UniqueContributors is exact up
 * to ~65,000 contributors a period (see InsightContributionStore.periods).
 */
import type { GetInsightRuleReportOutput, InsightRuleMetricDatapoint } from '@aws-sdk/client-cloudwatch';
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { CallInput } from '../../../protocol/operations.ts';
import { invalidValue } from '../errors.ts';
import { required } from '../inputs.ts';
import type { InsightContributionStore, PeriodStats } from '../../../store/telemetry/insight-contributions.ts';
import { parseRuleDefinition } from './definition.ts';
import type { InsightRuleStore } from './repo.ts';

export const RULE_METRICS = ['UniqueContributors', 'MaxContributorValue', 'SampleCount', 'Sum', 'Minimum', 'Maximum', 'Average'] as const;
export type RuleMetric = (typeof RULE_METRICS)[number];
const DEFAULT_CONTRIBUTORS = 10;
const MAX_CONTRIBUTORS = 100;

export const ruleNotFound = (name: string) => new ServiceError('ResourceNotFoundException', `The rule ${name} does not exist.`, { status: 404 });

export async function getInsightRuleReport(repo: InsightRuleStore, store: InsightContributionStore, ctx: Ctx,
  input: CallInput<'cloudwatch', 'GetInsightRuleReport'>): Promise<GetInsightRuleReportOutput> {
  const name = required(input.RuleName, 'RuleName');
  const start = required(input.StartTime, 'StartTime').getTime();
  const end = required(input.EndTime, 'EndTime').getTime();
  const period = required(input.Period, 'Period');
  if (!(start < end)) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) throw invalidValue(`The value ${period} for parameter Period is invalid: it must be a multiple of 60 seconds.`);
  const max = input.MaxContributorCount ?? DEFAULT_CONTRIBUTORS;
  if (!Number.isInteger(max) || max < 1 || max > MAX_CONTRIBUTORS) {
    throw invalidValue(`The value ${max} for parameter MaxContributorCount is invalid: it must be between 1 and ${MAX_CONTRIBUTORS}.`);
  }
  const orderBy = input.OrderBy ?? 'Sum';
  if (orderBy !== 'Sum' && orderBy !== 'Maximum') throw invalidValue(`The value ${orderBy} for parameter OrderBy is invalid: use Sum or Maximum.`);
  const metrics = checkMetrics(input.Metrics);
  const rule = await repo.get(ctx, name);
  if (rule === undefined) throw ruleNotFound(name);
  const def = parseRuleDefinition(rule.definition, ctx.region, ctx.account);
  const scope = { account: ctx.account, region: ctx.region, rule: rule.id, start, end, period };
  // The period metrics do not depend on the top contributors: both run at once.
  const [{ top, series }, periods] = await Promise.all([
    store.top(scope, max, orderBy).then(async (top) => ({ top, series: await store.series(scope, top.contributors.map((t) => t.key)) })),
    metrics.length ? store.periods(scope, metrics.includes('MaxContributorValue')) : Promise.resolve([]),
  ]);
  return {
    KeyLabels: def.Contribution.Keys,
    AggregationStatistic: def.AggregateOn,
    AggregateValue: top.total,
    ApproximateUniqueCount: top.unique,
    Contributors: top.contributors.map((t) => ({
      Keys: JSON.parse(t.key) as string[],
      ApproximateAggregateValue: t.total,
      Datapoints: series.filter((s) => s.key === t.key).map((s) => ({ Timestamp: new Date(s.at), ApproximateValue: s.value })),
    })),
    ...(metrics.length ? { MetricDatapoints: periods.map((p) => metricDatapoint(p, metrics)) } : {}),
  };
}

/** The metrics asked for; MetricDatapoints carries only those (none asked: no MetricDatapoints). */
function checkMetrics(list: string[] | undefined): readonly RuleMetric[] {
  if (list === undefined) return [];
  for (const m of list) {
    if (!(RULE_METRICS as readonly string[]).includes(m)) throw invalidValue(`The value ${m} for parameter Metrics is invalid: use ${RULE_METRICS.join(', ')}.`);
  }
  return list as RuleMetric[];
}

export function ruleMetricValue(p: PeriodStats, m: RuleMetric): number {
  switch (m) {
    case 'UniqueContributors': return p.unique;
    case 'MaxContributorValue': return p.maxContributor;
    case 'SampleCount': return p.samples;
    case 'Sum': return p.sum;
    case 'Minimum': return p.min;
    case 'Maximum': return p.max;
    case 'Average': return p.sum / p.samples;
  }
}

function metricDatapoint(p: PeriodStats, metrics: readonly RuleMetric[]): InsightRuleMetricDatapoint {
  const dp: InsightRuleMetricDatapoint = { Timestamp: new Date(p.at) };
  for (const m of metrics) dp[m] = ruleMetricValue(p, m);
  return dp;
}
