import type { Ctx } from '../../protocol/service.ts';
import type { MetricPointStore } from '../../store/telemetry/metric-points.ts';
import type { MetricReader } from '../../store/telemetry/metric-reader.ts';
import type { BandModels } from './get-metric-data/band.ts';
import type { RuleMetricSeries } from './insight-rules/rule-metric.ts';

/** What the CloudWatch metric handlers need; injected so tests can swap pieces. */
export interface MetricsDeps {
  points: Pick<MetricPointStore, 'append'>;
  reader: MetricReader;
  /** Runs a Metrics Insights query (GetMetricData expressions starting with SELECT). */
  insights: (ctx: Ctx, query: string, opts: { startTime: number; endTime: number; period: number }) =>
    Promise<{ label: string; timestamps: number[]; values: number[] }[]>;
  /** Anomaly models for ANOMALY_DETECTION_BAND; absent → the function is an error. */
  anomaly?: BandModels;
  /** Contributor Insights rule metrics for INSIGHT_RULE_METRIC; absent → the function is an error. */
  ruleMetric?: RuleMetricSeries;
}
