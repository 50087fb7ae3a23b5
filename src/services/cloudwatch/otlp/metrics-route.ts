/**
 * OTLP/HTTP metrics export, `POST /v1/metrics` (AWS's endpoint: monitoring.<region>.amazonaws.com,
 * SigV4 with the `monitoring` signing name; unsigned with `otlpUnsigned`). Data points become
 * CloudWatch metric points (to-metric-points.ts) appended like PutMetricData's — durable before the
 * 200, readable with GetMetricData, and alarms see them. Refused points are the partial success.
 */
import { decodeMetrics } from '../../../protocol/otlp/decode-metrics.ts';
import { otlpRoute } from '../../../protocol/otlp/export-route.ts';
import type { Env, HttpRoute } from '../../../server/module.ts';
import type { MetricsDeps } from '../deps.ts';
import { CumulativeTracker } from './cumulative.ts';
import { toMetricPoints } from './to-metric-points.ts';

export function otlpMetricsRoute(deps: MetricsDeps, env: Env): HttpRoute {
  const tracker = new CumulativeTracker(BigInt(env.clock.now()) * 1_000_000n);
  return otlpRoute(env.config, 'metrics', async ({ scope, body, contentType }) => {
    const resources = decodeMetrics(body, contentType);
    const batch = tracker.begin();
    const { points, rejected, reasons } = toMetricPoints(resources, scope, batch, env.clock.now());
    if (points.length > 0) await deps.points.append(points);
    batch.commit();
    return { rejected, message: [...reasons].slice(0, 5).map(([reason, n]) => `${n} × ${reason}`).join('; ') };
  });
}
