/**
 * INSIGHT_RULE_METRIC(ruleName, metricName): "returns data from a Contributor Insights rule" — one
 * series of the rule's metric per period, from the context's resolver.
 */
import { MetricMathError } from '../errors.ts';
import type { MathContext, MathValue } from '../types.ts';
import { wrongType, type Arg } from '../values.ts';

export async function insightRuleMetric(args: readonly Arg[], ctx: MathContext): Promise<MathValue> {
  const [rule, metric] = args;
  if (rule?.kind !== 'string') throw wrongType('INSIGHT_RULE_METRIC', 1, rule!, 'the rule name as a string');
  if (metric?.kind !== 'string') throw wrongType('INSIGHT_RULE_METRIC', 2, metric!, 'a metric name as a string, such as "UniqueContributors"');
  if (ctx.insightRule === undefined) throw new MetricMathError('INSIGHT_RULE_METRIC is not available for this request.');
  const values = await ctx.insightRule(rule.value, metric.value);
  return { kind: 'series', series: { label: metric.value, values } };
}
