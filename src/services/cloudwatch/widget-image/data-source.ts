import type { MessageData, MetricDataQuery, MetricDataResult, ScanBy } from '@aws-sdk/client-cloudwatch';
import type { Ctx } from '../../../protocol/service.ts';

/**
 * Where widget images get their numbers: the lead wires this to the CloudWatch GetMetricData
 * implementation, so images and the API can never disagree.
 */
export interface WidgetDataSource {
  /** Runs the equivalent GetMetricData (the API's input and output shapes; timestamps as Date). */
  getMetricData(ctx: Ctx, input: { MetricDataQueries: MetricDataQuery[]; StartTime: Date; EndTime: Date; ScanBy?: ScanBy }):
    Promise<{ MetricDataResults: MetricDataResult[]; Messages?: MessageData[] }>;
}
