/**
 * PutMetricStream's input, checked as CloudWatch checks it: the Firehose delivery stream must be
 * one Osprey can deliver to (mapped in `streams`), IncludeFilters and ExcludeFilters exclude each
 * other, filters name a namespace (and optionally metric names), and StatisticsConfigurations ask
 * for percentiles (pNN), the additional statistic Osprey streams in every output format.
 */
import type { PutMetricStreamInput } from '@aws-sdk/client-cloudwatch';
import type { NameFilter } from '../../../store/telemetry/metric-minutes.ts';
import { combination, invalidValue, missing } from '../errors.ts';
import { required } from '../inputs.ts';

export type OutputFormat = 'json' | 'opentelemetry0.7' | 'opentelemetry1.0';
const FORMATS: readonly string[] = ['json', 'opentelemetry0.7', 'opentelemetry1.0'];
const MAX_FILTERS = 1000;

export interface StatisticsConfig {
  metrics: { namespace: string; metricName: string }[];
  /** As given (p99, p99.9), each a percentile. */
  statistics: string[];
}

export interface StreamDefinition {
  firehoseArn: string;
  roleArn: string;
  outputFormat: OutputFormat;
  include: NameFilter[];
  exclude: NameFilter[];
  statistics: StatisticsConfig[];
}

/** `p99.9` → 0.999; undefined for anything that is not a percentile strictly between 0 and 100. */
export function percentileLevel(stat: string): number | undefined {
  const m = /^p(\d{1,2}(?:\.\d{1,10})?)$/.exec(stat);
  if (!m) return undefined;
  const p = Number(m[1]);
  return p > 0 && p < 100 ? p / 100 : undefined;
}

export function streamDefinitionOf(input: PutMetricStreamInput, scope: { account: string; region: string }): StreamDefinition {
  const firehoseArn = required(input.FirehoseArn, 'FirehoseArn');
  const roleArn = required(input.RoleArn, 'RoleArn');
  const outputFormat = required(input.OutputFormat, 'OutputFormat');
  if (!FORMATS.includes(outputFormat)) throw invalidValue(`The value ${outputFormat} for parameter OutputFormat is invalid: use json, opentelemetry0.7 or opentelemetry1.0.`);
  if (!/^arn:aws[\w-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream\/[A-Za-z0-9_.-]{1,64}$/.test(firehoseArn)) {
    throw invalidValue(`The value ${firehoseArn} for parameter FirehoseArn is invalid: it must be a Firehose delivery stream ARN.`);
  }
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/.test(roleArn)) throw invalidValue(`The value ${roleArn} for parameter RoleArn is invalid: it must be an IAM role ARN.`);
  if (input.IncludeLinkedAccountsMetrics === true) {
    throw invalidValue(`IncludeLinkedAccountsMetrics is not supported: this server has no cross-account observability (account ${scope.account}).`);
  }
  if (input.IncludeFilters?.length && input.ExcludeFilters?.length) {
    throw combination('IncludeFilters and ExcludeFilters cannot be used together: specify one of them.');
  }
  return {
    firehoseArn, roleArn, outputFormat: outputFormat as OutputFormat,
    include: filtersOf(input.IncludeFilters, 'IncludeFilters'),
    exclude: filtersOf(input.ExcludeFilters, 'ExcludeFilters'),
    statistics: (input.StatisticsConfigurations ?? []).map((c, i) => statisticsOf(c, `StatisticsConfigurations.member.${i + 1}`)),
  };
}

function filtersOf(list: PutMetricStreamInput['IncludeFilters'], param: string): NameFilter[] {
  if (list === undefined) return [];
  if (list.length > MAX_FILTERS) throw invalidValue(`The collection ${param} must not have a size greater than ${MAX_FILTERS}.`);
  return list.map((f, i) => {
    if (!f.Namespace) throw missing(`${param}.member.${i + 1}.Namespace`);
    return { namespace: f.Namespace, metricNames: f.MetricNames ?? [] };
  });
}

function statisticsOf(c: NonNullable<PutMetricStreamInput['StatisticsConfigurations']>[number], param: string): StatisticsConfig {
  const metrics = required(c.IncludeMetrics, `${param}.IncludeMetrics`);
  const statistics = required(c.AdditionalStatistics, `${param}.AdditionalStatistics`);
  if (metrics.length < 1 || metrics.length > 100) throw invalidValue(`The collection ${param}.IncludeMetrics must have between 1 and 100 members.`);
  if (statistics.length < 1 || statistics.length > 20) throw invalidValue(`The collection ${param}.AdditionalStatistics must have between 1 and 20 members.`);
  for (const s of statistics) {
    if (percentileLevel(s) === undefined) {
      throw invalidValue(`The value ${s} for parameter ${param}.AdditionalStatistics is invalid: this server streams percentile statistics (p0.1 … p99.9) only.`);
    }
  }
  return {
    metrics: metrics.map((m, i) => ({
      namespace: required(m.Namespace, `${param}.IncludeMetrics.member.${i + 1}.Namespace`),
      metricName: required(m.MetricName, `${param}.IncludeMetrics.member.${i + 1}.MetricName`),
    })),
    statistics,
  };
}
