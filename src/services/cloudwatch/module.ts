/**
 * The CloudWatch module: metrics (PutMetricData, GetMetricData & co., Metrics Insights), alarms
 * (evaluated in-process, kicked by `metrics.appended` facts, actions delivered from the outbox),
 * dashboards, anomaly detectors and their models, Contributor Insights rules, metric streams, and OTLP/HTTP metrics export (`/v1/metrics`).
 */
import { LeasedTask, leaseOf } from '../../jobs/leased-task.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import { AlarmStore } from '../../store/meta/alarms.ts';
import { DashboardStore } from '../../store/meta/dashboards.ts';
import { MetricReadCache } from '../../store/telemetry/index.ts';
import { AlarmActionDelivery, AlarmRunner, AlarmStateMachine, getMetricDataQuery } from './alarms/index.ts';
import { alarmHistoryCopyMigrations, AlarmHistoryCopy, AlarmHistoryCopyCursor } from './alarms/history-copy.ts';
import type { AlarmDeps } from './alarms/deps.ts';
import type { MetricsDeps } from './deps.ts';
import { getMetricData, type GetMetricDataInput } from './get-metric-data/index.ts';
import { cloudWatchHandlers } from './index.ts';
import { runMetricsInsights, type MiRow } from './metrics-insights/index.ts';
import { otlpMetricsRoute } from './otlp/metrics-route.ts';
import { createAnomaly } from './anomaly/index.ts';
import { rootCauseFinder } from './anomaly/root-cause.ts';
import type { Ctx } from '../../protocol/service.ts';
import { inPartitionOf } from '../../lib/arn.ts';
import { createInsightRules } from './insight-rules/index.ts';
import { taggingHandlers } from './tagging.ts';
import { createMetricStreams } from './metric-streams/index.ts';

export async function createCloudWatch(env: Env): Promise<ServiceModule<'cloudwatch'>> {
  const { telemetry, clock, log, config } = env;
  // Up to 500,000 cached result rows (one per bucket of a returned series).
  const insightsCache = telemetry.seriesVersions && new MetricReadCache<MiRow[]>(telemetry.seriesVersions, 500_000);
  const metrics: MetricsDeps = {
    points: telemetry.metricPoints,
    reader: telemetry.metricReader,
    insights: (ctx, query, o) => runMetricsInsights(telemetry.engine, query, { account: ctx.account, region: ctx.region, ...o }, insightsCache),
  };
  const anomaly = await createAnomaly(env, (ctx, input) => getMetricData(metrics, ctx, input as never));
  metrics.anomaly = anomaly.models;
  const insightRules = await createInsightRules(env);
  const streams = await createMetricStreams(env, (points) => telemetry.metricPoints.append(points).then(() => env.bus.publish({ kind: 'metrics.appended', points })));
  metrics.ruleMetric = insightRules.ruleMetric;
  // Alarms query their datapoints through GetMetricData in this service, so metric-math alarms work like any other.
  const repo = new AlarmStore(env.db, env.outbox, env.changes);
  const machine = new AlarmStateMachine(repo, env.bus);
  const gmd = (ctx: Ctx, input: GetMetricDataInput) => getMetricData(metrics, ctx, input);
  const rootCauses = rootCauseFinder(telemetry.metricReader, gmd,
    (s) => env.serviceCtx({ ...s, principalArn: inPartitionOf('arn:aws:iam::aws:role/cloudwatch-alarms', s.region) }));
  // Time-driven evaluation runs on one node of a cluster: the holder of this lease.
  const lease = new LeasedTask({ ...leaseOf(env, 'cloudwatch.alarms'), intervalMs: Math.floor(env.config.leaseMs / 3), task: async () => {} });
  const runner = new AlarmRunner({
    repo, machine, clock, log, rootCauses, leader: () => lease.held,
    query: getMetricDataQuery((ctx, input) => getMetricData(metrics, ctx, input as never), clock, log),
  });
  env.bus.subscribe('metrics.appended', (f) => runner.kickPoints(f.points));
  const alarms: AlarmDeps = { repo, machine, runner, bands: anomaly.models };
  // Alarm history into the telemetry store (Athena's osprey.alarm_history) and its 30-day retention.
  await env.migrate('cloudwatch-alarm-history', alarmHistoryCopyMigrations(env.db.dialect));
  const cursor = new AlarmHistoryCopyCursor(env.db, env.telemetryScope);
  await cursor.init();
  const historyCopy = new AlarmHistoryCopy({ history: repo, cursor, engine: telemetry.engine, clock, log });
  return {
    name: 'cloudwatch',
    handlers: {
      ...cloudWatchHandlers(metrics, new DashboardStore(env.db), alarms), ...anomaly.handlers, ...insightRules.handlers,
      ...streams.handlers, ...taggingHandlers(alarms, insightRules.repo, streams.repo),
    },
    deliveries: [streams.delivery, new AlarmActionDelivery({ call: env.call, serviceCtx: env.serviceCtx, lambdaUrls: config.lambda.functions, timeoutMs: config.delivery.timeoutMs })],
    jobs: [{
      name: 'alarm-runner',
      // The lease first: a single node holds it at once, so its alarms evaluate from the start.
      start: async () => { await lease.runNow(); lease.start(); runner.start(); },
      stop: async () => { await runner.stop(); await lease.stop(); },
    }, historyCopy, anomaly.job, insightRules.job, streams.job],
    routes: [otlpMetricsRoute(metrics, env)],
  };
}
