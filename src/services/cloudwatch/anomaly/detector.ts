/**
 * What an anomaly detector is: a single metric (namespace, name, dimensions, statistic) or a
 * metric-math expression over MetricDataQueries, with its training configuration. Parsed from the
 * three spellings PutAnomalyDetector and DeleteAnomalyDetector accept (the deprecated top-level
 * Namespace/MetricName/Dimensions/Stat, SingleMetricAnomalyDetector, MetricMathAnomalyDetector),
 * and keyed canonically so the same metric always finds the same detector.
 */
import type { AnomalyDetector, Dimension, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { combination, invalidValue, missing } from '../errors.ts';
import { compact, dimensionsOf, metricQueryOf, required, type DimensionValue, type MetricQuery } from '../inputs.ts';
import { parseStatistic } from '../statistics.ts';
import { planQueries } from '../get-metric-data/queries.ts';
import { isKnownTimeZone } from '../../../lib/time-zone.ts';

export type DetectorMetric =
  | { type: 'SINGLE_METRIC'; namespace: string; metricName: string; dimensions: DimensionValue[]; stat: string }
  | { type: 'METRIC_MATH'; queries: MetricQuery[] };

export interface DetectorConfig {
  excluded: { start: number; end: number }[];
  timezone?: string;
  periodicSpikes?: boolean;
}

export interface DetectorInput {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  Stat?: string;
  SingleMetricAnomalyDetector?: { AccountId?: string; Namespace?: string; MetricName?: string; Dimensions?: Dimension[]; Stat?: string };
  MetricMathAnomalyDetector?: { MetricDataQueries?: MetricDataQuery[] };
}

const MAX_DIMENSIONS = 30;
const MAX_EXCLUDED = 100;

/** The detector a Put/DeleteAnomalyDetector request names, checked as CloudWatch checks it. */
export function detectorMetricOf(input: DetectorInput, account: string): DetectorMetric {
  const legacy = input.Namespace !== undefined || input.MetricName !== undefined || input.Dimensions !== undefined || input.Stat !== undefined;
  const given = [legacy, input.SingleMetricAnomalyDetector !== undefined, input.MetricMathAnomalyDetector !== undefined].filter(Boolean).length;
  if (given > 1) {
    throw combination('Specify only one of Namespace/MetricName/Dimensions/Stat, SingleMetricAnomalyDetector and MetricMathAnomalyDetector.');
  }
  if (input.MetricMathAnomalyDetector !== undefined) return mathDetector(input.MetricMathAnomalyDetector.MetricDataQueries);
  const s = input.SingleMetricAnomalyDetector ?? input;
  const prefix = input.SingleMetricAnomalyDetector ? 'SingleMetricAnomalyDetector.' : '';
  const accountId = input.SingleMetricAnomalyDetector?.AccountId;
  if (accountId !== undefined && accountId !== account) {
    throw invalidValue(`The value ${accountId} for parameter ${prefix}AccountId is invalid: cross-account anomaly detectors are not supported by this server.`);
  }
  if (given === 0) throw missing('SingleMetricAnomalyDetector');
  const namespace = required(s.Namespace, `${prefix}Namespace`);
  const metricName = required(s.MetricName, `${prefix}MetricName`);
  const stat = required(s.Stat, `${prefix}Stat`);
  if (parseStatistic(stat) === undefined) throw invalidValue(`The value ${stat} for parameter ${prefix}Stat is invalid.`);
  const dims = dimensionsOf(s.Dimensions ?? [], `${prefix}Dimensions`);
  if (dims.length > MAX_DIMENSIONS) throw invalidValue(`The collection ${prefix}Dimensions must not have a size greater than ${MAX_DIMENSIONS}.`);
  return { type: 'SINGLE_METRIC', namespace, metricName, dimensions: sortDims(dims), stat };
}

function mathDetector(list: MetricDataQuery[] | undefined): DetectorMetric {
  const queries = required(list, 'MetricMathAnomalyDetector.MetricDataQueries')
    .map((q, i) => metricQueryOf(q, `MetricMathAnomalyDetector.MetricDataQueries.member.${i + 1}`));
  const planned = planQueries(queries);
  const returned = queries.filter((q) => q.ReturnData !== false);
  if (returned.length !== 1 || returned[0]!.Expression === undefined) {
    throw invalidValue('MetricMathAnomalyDetector.MetricDataQueries must have exactly one query that returns data, and it must be a math expression.');
  }
  if (planned.some((p) => p.kind === 'insights')) {
    throw invalidValue('Metric math anomaly detectors cannot use Metrics Insights (SELECT) queries.');
  }
  return { type: 'METRIC_MATH', queries: queries.map(canonicalQuery) };
}

/** PutAnomalyDetector's Configuration and MetricCharacteristics. */
export function detectorConfigOf(input: { Configuration?: AnomalyDetector['Configuration']; MetricCharacteristics?: AnomalyDetector['MetricCharacteristics'] }): DetectorConfig {
  const ranges = input.Configuration?.ExcludedTimeRanges ?? [];
  if (ranges.length > MAX_EXCLUDED) throw invalidValue(`The collection Configuration.ExcludedTimeRanges must not have a size greater than ${MAX_EXCLUDED}.`);
  const excluded = ranges.map((r, i) => {
    const start = required(r.StartTime, `Configuration.ExcludedTimeRanges.member.${i + 1}.StartTime`).getTime();
    const end = required(r.EndTime, `Configuration.ExcludedTimeRanges.member.${i + 1}.EndTime`).getTime();
    if (!(start < end)) throw invalidValue(`The value for parameter Configuration.ExcludedTimeRanges.member.${i + 1} is invalid: StartTime must be before EndTime.`);
    return { start, end };
  });
  const tz = input.Configuration?.MetricTimezone;
  if (tz !== undefined && !isKnownTimeZone(tz)) {
    throw invalidValue(`The value ${tz} for parameter Configuration.MetricTimezone is invalid: use a tz database name such as UTC or America/New_York.`);
  }
  const spikes = input.MetricCharacteristics?.PeriodicSpikes;
  return compact({ excluded, timezone: tz, periodicSpikes: spikes });
}

/** One string per detector: the same metric (dimension order aside) always gives the same key. */
export function detectorKey(m: DetectorMetric): string {
  return m.type === 'SINGLE_METRIC'
    ? JSON.stringify(['S', m.namespace, m.metricName, sortDims(m.dimensions).map((d) => [d.Name, d.Value]), m.stat])
    : JSON.stringify(['M', m.queries.map(canonicalQuery)]);
}

/** The detector as DescribeAnomalyDetectors shows it (both the deprecated and the current members). */
export function detectorShape(m: DetectorMetric, c: DetectorConfig, state: 'PENDING_TRAINING' | 'TRAINED_INSUFFICIENT_DATA' | 'TRAINED'): AnomalyDetector {
  const configuration = compact({
    ExcludedTimeRanges: c.excluded.map((r) => ({ StartTime: new Date(r.start), EndTime: new Date(r.end) })),
    MetricTimezone: c.timezone,
  });
  const characteristics = c.periodicSpikes === undefined ? undefined : { PeriodicSpikes: c.periodicSpikes };
  if (m.type === 'METRIC_MATH') {
    return compact({ Configuration: configuration, StateValue: state, MetricCharacteristics: characteristics,
      MetricMathAnomalyDetector: { MetricDataQueries: m.queries as MetricDataQuery[] } });
  }
  return compact({
    Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions, Stat: m.stat,
    Configuration: configuration, StateValue: state, MetricCharacteristics: characteristics,
    SingleMetricAnomalyDetector: { Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions, Stat: m.stat },
  });
}

const sortDims = (d: readonly DimensionValue[]) => [...d].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));

/** A query without the members that do not change its values (Label), dimensions sorted. */
function canonicalQuery(q: MetricQuery): MetricQuery {
  const s = q.MetricStat;
  return compact({
    Id: q.Id,
    MetricStat: s && compact({
      Metric: compact({ Namespace: s.Metric.Namespace, MetricName: s.Metric.MetricName, Dimensions: s.Metric.Dimensions && sortDims(s.Metric.Dimensions) }),
      Period: s.Period, Stat: s.Stat, Unit: s.Unit,
    }),
    Expression: q.Expression, ReturnData: q.ReturnData === false ? false : undefined, Period: q.Period,
  });
}
