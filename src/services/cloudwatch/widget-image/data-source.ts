import type { Ctx } from '../../../protocol/service.ts';

/**
 * Where widget images get their numbers: the lead wires this to the CloudWatch GetMetricData
 * implementation, so images and the API can never disagree.
 */
export interface WidgetDataSource {
  /** Runs the equivalent GetMetricData (same input/output shapes as the CloudWatch API: MetricDataQueries, StartTime, EndTime as Date; returns MetricDataResults [{Id, Label, Timestamps: Date[], Values: number[], StatusCode}]). */
  getMetricData(ctx: Ctx, input: { MetricDataQueries: unknown[]; StartTime: Date; EndTime: Date; ScanBy?: string }): Promise<{ MetricDataResults: { Id?: string; Label?: string; Timestamps?: Date[]; Values?: number[] }[]; Messages?: unknown[] }>;
}
