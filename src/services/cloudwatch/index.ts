import type { MetricsDeps } from './deps.ts';
import { putMetricData } from './put-metric-data.ts';
import { getMetricStatistics } from './get-metric-statistics.ts';
import { listMetrics } from './list-metrics.ts';
import { getMetricData } from './get-metric-data/index.ts';
import { dashboardHandlers } from './dashboards/index.ts';
import { getMetricWidgetImageHandler } from './widget-image/index.ts';
import type { DashboardRepo } from '../../store/meta/dashboards.ts';
import { alarmHandlers } from './alarms/index.ts';
import type { AlarmDeps } from './alarms/deps.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';

/** CloudWatch metrics, alarms and dashboards (awsQuery, awsJson1_0 and rpcv2Cbor; one handler set for all three). */
export function cloudWatchHandlers(deps: MetricsDeps, dashboards: DashboardRepo, alarms: AlarmDeps): ServiceHandlers<'cloudwatch'> {
  return {
    PutMetricData: (ctx, input) => putMetricData(deps, ctx, input),
    GetMetricStatistics: (ctx, input) => getMetricStatistics(deps, ctx, input),
    ListMetrics: (ctx, input) => listMetrics(deps, ctx, input),
    GetMetricData: (ctx, input) => getMetricData(deps, ctx, input),
    // Widget images draw what GetMetricData returns for the widget's metrics.
    GetMetricWidgetImage: getMetricWidgetImageHandler({ getMetricData: (ctx, input) => getMetricData(deps, ctx, input as never) }),
    ...dashboardHandlers(dashboards),
    ...alarmHandlers(alarms),
  };
}
