import type { MetricPointStore } from '../../store/telemetry/metric-points.ts';
import type { MetricReader } from '../../store/telemetry/metric-reader.ts';

/** What the CloudWatch metric handlers need; injected so tests can swap pieces. */
export interface MetricsDeps {
  points: Pick<MetricPointStore, 'append'>;
  reader: MetricReader;
}
