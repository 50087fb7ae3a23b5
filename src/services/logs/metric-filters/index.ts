/**
 * Metric filters: the four API operations, and the ingest hook that publishes their metrics.
 * `metricFilterHandlers(deps)` is spread into the Logs service's handler table.
 */
import { deleteMetricFilter, describeMetricFilters, putMetricFilter, type MetricFilterDeps } from './filters.ts';
import { testMetricFilter } from './test-metric-filter.ts';
import type { ServiceHandlersFor } from '../../../protocol/operations.ts';

export type MetricFilterHandlers = ServiceHandlersFor<'logs', 'PutMetricFilter' | 'DescribeMetricFilters' | 'DeleteMetricFilter' | 'TestMetricFilter'>;

export function metricFilterHandlers(deps: MetricFilterDeps): MetricFilterHandlers {
  return {
    PutMetricFilter: (ctx, input) => putMetricFilter(deps, ctx, input),
    DescribeMetricFilters: (ctx, input) => describeMetricFilters(deps, ctx, input),
    DeleteMetricFilter: (ctx, input) => deleteMetricFilter(deps, ctx, input),
    TestMetricFilter: (ctx, input) => testMetricFilter(ctx, input),
  };
}

export { MetricFilterIngestHook } from './hook.ts';
export { metricPointsForBatch, compileMetricFilter } from './apply.ts';
export type { MetricFilterDeps } from './filters.ts';
