/**
 * Metric streams: PutMetricStream & co., the runner that turns each minute of matching metrics into
 * records, and the durable delivery of those records to the Firehose delivery stream's sink.
 */
import { telemetryTaskOf } from '../../../jobs/telemetry-task.ts';
import type { Env } from '../../../server/module.ts';
import type { MetricPoint } from '../../../store/telemetry/metric-point.ts';
import { MetricStreamDelivery } from './delivery.ts';
import { metricStreamHandlers, streamArn } from './handlers.ts';
import { METRIC_STREAM_MIGRATIONS, MetricStreamStore } from './repo.ts';
import { MetricStreamRunner, TICK_MS } from './runner.ts';

export async function createMetricStreams(env: Env, appendPoints: (points: MetricPoint[]) => Promise<void>) {
  await env.migrate('cloudwatch-metric-streams', METRIC_STREAM_MIGRATIONS);
  const repo = new MetricStreamStore(env.db, env.telemetryScope.id);
  const delivery = new MetricStreamDelivery({ sinks: env.config.streams, streams: { call: env.call, serviceCtx: env.serviceCtx }, clock: env.clock, timeoutMs: env.config.delivery.timeoutMs, appendPoints });
  const runner = new MetricStreamRunner({ repo, engine: env.telemetry.engine, outbox: env.outbox, clock: env.clock, log: env.log, arnOf: streamArn });
  // Each node streams the points its own telemetry holds; with a shared store, one node (a lease).
  const task = telemetryTaskOf(env, 'metric-streams', TICK_MS, () => runner.tick());
  return {
    repo,
    delivery,
    handlers: metricStreamHandlers(repo, delivery.isDeliverable),
    job: { name: 'metric-streams', start: () => task.start(), stop: () => task.stop() },
  };
}
