/**
 * The CloudWatch Logs module: groups, streams and events, the ingest hooks that run before
 * PutLogEvents answers (live tail, metric filters, EMF, subscriptions), export tasks, retention,
 * Logs Insights, the CloudWatch agent's EMF listener (TCP+UDP) and OTLP/HTTP logs export
 * (`/v1/logs`), whose documents and records go through this module's own PutLogEvents as internal
 * calls.
 */
import { effectiveAccessKeys } from '../../config/config.ts';
import { SequenceGenerator } from '../../lib/ids.ts';
import { startEmfListener, type RunningEmfListener } from '../../server/emf-listener.ts';
import type { Env, Listener, ServiceModule } from '../../server/module.ts';
import { InsightsQueryStore } from '../../store/meta/insights-queries.ts';
import { LogsMetaStore } from '../../store/meta/logs.ts';
import { MetricFiltersStore } from '../../store/meta/metric-filters.ts';
import { QueryDefinitionStore } from '../../store/meta/query-definitions.ts';
import { ResourcePolicyStore } from '../../store/meta/resource-policies.ts';
import { SubscriptionsStore } from '../../store/meta/subscriptions.ts';
import { EmfAgentSink } from './emf/agent-sink.ts';
import { EmfIngestHook } from './emf/hook.ts';
import { createExportTasks } from './export/index.ts';
import { logsHandlers } from './index.ts';
import type { IngestHook } from './ingest-hooks.ts';
import { InsightsQueries } from './insights-api/queries.ts';
import { LiveTailHub } from './live-tail.ts';
import { LIVE_TAIL_MIGRATIONS, LiveTailRelay } from './live-tail-relay.ts';
import { otlpLogsRoute } from './otlp/logs-route.ts';
import { MetricFilterIngestHook } from './metric-filters/index.ts';
import { RetentionJob } from './retention-job.ts';
import { createLogSubscriptions } from './subscriptions/index.ts';

export async function createLogs(env: Env): Promise<ServiceModule<'logs'>> {
  const { db, telemetry, keys, clock, log, config } = env;
  await env.migrate('logs', LIVE_TAIL_MIGRATIONS);
  const meta = new LogsMetaStore(db);
  const metricFilters = new MetricFiltersStore(db);
  const subscriptions = createLogSubscriptions({
    meta, subs: new SubscriptionsStore(db), outbox: env.outbox,
    targets: { lambdaFunctions: config.lambda.functions, streams: config.streams },
    timeoutMs: config.delivery.timeoutMs, clock, log, streams: { call: env.call, serviceCtx: env.serviceCtx },
  });
  // Sessions see other nodes' events only through the relay; on SQLite there is one node.
  const relay = db.dialect === 'postgres' ? new LiveTailRelay({ db, changes: env.changes, nodeId: env.nodeId, clock, log }) : undefined;
  const liveTail = new LiveTailHub(1000, relay, log);
  const retention = new RetentionJob(meta, telemetry.logEvents, clock, log, config.retentionIntervalMs, env, db.dialect === 'sqlite' || env.telemetryScope.shared);
  const exportTasks = createExportTasks({ db, meta, events: telemetry.logEvents, keys, config: config.export, clock, log });
  // Each stored batch is a `logs.ingested` fact, published awaited: what the subscribers derive
  // (metric points, subscription deliveries) is durable before PutLogEvents answers. Logs' own
  // hooks subscribe first, in this order; other services may subscribe after them.
  for (const hook of [liveTail, ...(relay ? [relay] : []), new MetricFilterIngestHook(metricFilters, telemetry.metricPoints, log), new EmfIngestHook(telemetry.metricPoints, log), subscriptions.hook]) {
    env.bus.subscribe('logs.ingested', (f) => hook.onIngest(f.batch));
  }
  const hooks: IngestHook[] = [{ name: 'bus', onIngest: (batch) => env.bus.publishAwaited({ kind: 'logs.ingested', batch }) }];
  const handlers = logsHandlers(
    { meta, metricFilters, events: telemetry.logEvents, seq: new SequenceGenerator(), keys, hooks, subscriptions: subscriptions.deps, retention, liveTail, resourcePolicies: new ResourcePolicyStore(db) },
    exportTasks.deps,
    { queries: new InsightsQueries({ engine: telemetry.engine, meta, events: telemetry.logEvents, keys, queries: new InsightsQueryStore(db), clock, log }), definitions: new QueryDefinitionStore(db) },
  );
  return {
    name: 'logs',
    handlers,
    deliveries: [subscriptions.delivery],
    jobs: [
      { name: 'retention', start: () => retention.start(), stop: () => retention.stop() },
      { name: 'export-tasks', start: () => exportTasks.start(), stop: () => exportTasks.close() },
      ...(relay ? [{ name: 'live-tail-relay', start: () => relay.start(liveTail), stop: () => relay.stop() }] : []),
    ],
    listeners: [emfListener(env)],
    routes: [otlpLogsRoute(env)],
    drain: () => liveTail.close(),
  };
}

/**
 * The CloudWatch agent's EMF endpoint (TCP+UDP): documents become PutLogEvents calls through this
 * module's handlers (same rules, same ingest hooks), into the first configured key's account.
 */
function emfListener(env: Env): Listener {
  const { config, clock, log } = env;
  const sink = new EmfAgentSink({
    api: { call: (op, ctx, input) => env.call('logs', op, ctx, input), check: (op, input) => env.check('logs', op, input) },
    account: effectiveAccessKeys(config)[0]!.accountId,
    region: config.emfRegion,
    clock,
    log,
  });
  let listener: RunningEmfListener | undefined;
  return {
    name: 'emf',
    start: async () => {
      listener = await startEmfListener({ host: config.host, port: config.emfPort, log, onDocument: (line) => sink.accept(line) });
    },
    close: async () => {
      // No new documents; the buffered ones are stored while the stores are still open.
      await listener?.close();
      await sink.close();
    },
  };
}
