import type { ServiceHandlers } from '../../protocol/service.ts';
import type { MetricsDeps } from './deps.ts';
import { putMetricData } from './put-metric-data.ts';
import { getMetricStatistics } from './get-metric-statistics.ts';
import { listMetrics } from './list-metrics.ts';
import { getMetricData } from './get-metric-data/index.ts';

/** CloudWatch metrics (awsQuery, awsJson1_0 and rpcv2Cbor; one handler set for all three). */
export function cloudWatchService(deps: MetricsDeps): ServiceHandlers {
  return {
    service: 'cloudwatch',
    handlers: {
      PutMetricData: (ctx, input) => putMetricData(deps, ctx, input),
      GetMetricStatistics: (ctx, input) => getMetricStatistics(deps, ctx, input),
      ListMetrics: (ctx, input) => listMetrics(deps, ctx, input),
      GetMetricData: (ctx, input) => getMetricData(deps, ctx, input),
    },
  };
}
