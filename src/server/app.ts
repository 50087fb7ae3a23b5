import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import type { OspreyConfig } from '../config/config.ts';
import { effectiveAccessKeys } from '../config/config.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { SequenceGenerator } from '../lib/ids.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { ProtocolEngine } from '../protocol/engine.ts';
import type { ServiceHandlers } from '../protocol/service.ts';
import type { Credential } from '../protocol/sigv4.ts';
import { openSqlite } from '../store/meta/sqlite.ts';
import { SqliteLogsMetaRepo } from '../store/meta/logs.ts';
import { SqliteMetricFiltersRepo } from '../store/meta/metric-filters.ts';
import { MetricFilterIngestHook } from '../services/logs/metric-filters/index.ts';
import { EmfIngestHook } from '../services/logs/emf/hook.ts';
import { EmfAgentSink } from '../services/logs/emf/agent-sink.ts';
import { startEmfListener } from './emf-listener.ts';
import { SqliteOutboxRepo } from '../store/meta/outbox.ts';
import { SqliteSubscriptionsRepo } from '../store/meta/subscriptions.ts';
import { SqliteResourcePolicyRepo } from '../store/meta/resource-policies.ts';
import { DeliveryWorker } from '../jobs/delivery-worker.ts';
import { createLogSubscriptions } from '../services/logs/subscriptions/index.ts';
import { MetricReadCache, openTelemetry } from '../store/telemetry/index.ts';
import { logsService } from '../services/logs/index.ts';
import { cloudWatchService } from '../services/cloudwatch/index.ts';
import { runMetricsInsights, type MiRow } from '../services/cloudwatch/metrics-insights/index.ts';
import { SqliteDashboardRepo } from '../store/meta/dashboards.ts';
import { SqliteAlarmRepo } from '../store/meta/alarms.ts';
import { EventBus } from '../lib/event-bus.ts';
import { createSns } from '../services/sns/index.ts';
import type { MetricsDeps } from '../services/cloudwatch/deps.ts';
import type { AlarmDeps } from '../services/cloudwatch/alarms/deps.ts';
import { getMetricData } from '../services/cloudwatch/get-metric-data/index.ts';
import { AlarmActionDelivery, AlarmRunner, AlarmStateMachine, getMetricDataQuery } from '../services/cloudwatch/alarms/index.ts';
import { createExportTasks } from '../services/logs/export/index.ts';
import { RetentionJob } from '../services/logs/retention-job.ts';
import { LiveTailHub } from '../services/logs/live-tail.ts';
import { InsightsQueries } from '../services/logs/insights-api/queries.ts';
import { InsightsQueryRepo } from '../store/meta/insights-queries.ts';
import { QueryDefinitionRepo } from '../store/meta/query-definitions.ts';
import { KeyStore } from '../store/keys/key-store.ts';
import { createHttpServer } from './http.ts';
import { AuditRecorder } from './audit-recorder.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { listenError } from './startup-error.ts';

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Wires config → stores → services → protocol engine → HTTP listener. */
export async function startServer(cfg: OspreyConfig, opts: { clock?: Clock; log?: Logger } = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(cfg.logLevel);
  const clock = opts.clock ?? systemClock;
  mkdirSync(cfg.dataDir, { recursive: true });
  // Before any store opens: a second server on this directory stops here with one clear line.
  const dirLock = lockDataDir(cfg.dataDir);

  const db = openSqlite(join(cfg.dataDir, 'meta.sqlite'), { fsync: cfg.fsync });
  const telemetry = await openTelemetry(
    cfg.telemetry.kind === 'chdb' ? { kind: 'chdb', path: join(cfg.dataDir, 'telemetry'), fsync: cfg.fsync } : cfg.telemetry,
  );
  const audit = new AuditRecorder(telemetry.audit, log);

  const logsMeta = new SqliteLogsMetaRepo(db);
  const metricFilters = new SqliteMetricFiltersRepo(db);
  const outbox = new SqliteOutboxRepo(db);
  const subscriptions = createLogSubscriptions({
    meta: logsMeta,
    subs: new SqliteSubscriptionsRepo(db),
    outbox,
    targets: { lambdaFunctions: cfg.lambda.functions, streams: cfg.streams },
    timeoutMs: cfg.delivery.timeoutMs,
    clock,
    log,
  });
  // The public URL is only known once listening (port 0 in tests); SNS links are built lazily.
  let publicUrl = cfg.publicUrl;
  const sns = createSns({
    db, outbox, clock, log, publicUrl: () => publicUrl, keysDir: join(cfg.dataDir, 'keys'),
    smtp: cfg.sns.smtp, lambdaUrls: cfg.lambda.functions, timeoutMs: cfg.delivery.timeoutMs,
  });
  const alarmActions = new AlarmActionDelivery({
    publishSns: (account, region, topicArn, m) => sns.publish(account, region, topicArn, m),
    lambdaUrls: cfg.lambda.functions,
    timeoutMs: cfg.delivery.timeoutMs,
  });
  const delivery = new DeliveryWorker({ outbox, handlers: [subscriptions.delivery, alarmActions, sns.delivery], clock, log, settings: cfg.delivery });
  const liveTail = new LiveTailHub();
  const retention = new RetentionJob(logsMeta, telemetry.logEvents, clock, log, cfg.retentionIntervalMs);
  const keyStore = KeyStore.open(cfg.dataDir);
  const exportTasks = createExportTasks({ db, meta: logsMeta, events: telemetry.logEvents, keys: keyStore, config: cfg.export, clock, log });
  // Up to 500,000 cached result rows (one per bucket of a returned series).
  const insightsCache = telemetry.seriesVersions && new MetricReadCache<MiRow[]>(telemetry.seriesVersions, 500_000);
  const metrics: MetricsDeps = {
    points: telemetry.metricPoints,
    reader: telemetry.metricReader,
    insights: (ctx, query, o) => runMetricsInsights(telemetry.engine, query, { account: ctx.account, region: ctx.region, ...o }, insightsCache),
  };
  // Alarms: evaluated in-process through GetMetricData (injected query), kicked by new data.
  const bus = new EventBus();
  const alarmRepo = new SqliteAlarmRepo(db, outbox);
  const machine = new AlarmStateMachine(alarmRepo, bus);
  const runner = new AlarmRunner({ repo: alarmRepo, machine, clock, log, query: getMetricDataQuery((ctx, input) => getMetricData(metrics, ctx, input as never), clock, log) });
  const alarms: AlarmDeps = { repo: alarmRepo, machine, runner };
  telemetry.metricPoints.onAppend((points) => runner.kickPoints(points));
  const services: ServiceHandlers[] = [
    logsService({
      meta: logsMeta,
      metricFilters,
      events: telemetry.logEvents,
      seq: new SequenceGenerator(),
      keys: keyStore,
      // Awaited per batch: derived metric points and deliveries are durable before PutLogEvents answers.
      hooks: [liveTail, new MetricFilterIngestHook(metricFilters, telemetry.metricPoints, log), new EmfIngestHook(telemetry.metricPoints, log), subscriptions.hook],
      subscriptions: subscriptions.deps,
      retention,
      liveTail,
      resourcePolicies: new SqliteResourcePolicyRepo(db),
    }, exportTasks.deps, {
      queries: new InsightsQueries({
        engine: telemetry.engine,
        meta: logsMeta,
        events: telemetry.logEvents,
        keys: keyStore,
        queries: new InsightsQueryRepo(db),
        clock,
        log,
      }),
      definitions: new QueryDefinitionRepo(db),
    }),
    cloudWatchService(metrics, new SqliteDashboardRepo(db), alarms),
    sns.service,
  ];
  const handlers = Object.fromEntries(services.map((s) => [s.service, s.handlers]));

  const keys = new Map<string, Credential>(effectiveAccessKeys(cfg).map((k) => [k.accessKeyId, k]));
  const engine = new ProtocolEngine({
    handlers,
    credentials: (id) => keys.get(id),
    clock,
    log,
    audit,
    maxBodyBytes: cfg.maxBodyBytes,
    maxSkewMs: cfg.maxClockSkewSeconds * 1000,
  });

  // The CloudWatch agent's EMF endpoint (TCP+UDP): documents go through the Logs handlers like
  // PutLogEvents (same rules, same ingest hooks), into the first configured key's account.
  const logsHandlers = handlers.logs!;
  const emfSink = new EmfAgentSink({
    api: {
      createLogGroup: (ctx, input) => logsHandlers.CreateLogGroup!(ctx, input),
      createLogStream: (ctx, input) => logsHandlers.CreateLogStream!(ctx, input),
      putLogEvents: (ctx, input) => logsHandlers.PutLogEvents!(ctx, input),
    },
    account: effectiveAccessKeys(cfg)[0]!.accountId,
    region: cfg.emfRegion,
    clock,
    log,
  });
  const emf = await startEmfListener({ host: cfg.host, port: cfg.emfPort, log, onDocument: (line) => emfSink.accept(line) });

  retention.start();
  delivery.start();
  runner.start();
  await exportTasks.start();
  const started = Date.now();
  const { server, inFlight } = createHttpServer({
    engine,
    log,
    maxBodyBytes: cfg.maxBodyBytes,
    health: async () => ({ uptimeSeconds: Math.round((Date.now() - started) / 1000), inFlight: inFlight() }),
    sns: { prefix: sns.paths.prefix, handle: (p) => sns.handleHttp(p) },
  });
  server.listen(cfg.port, cfg.host);
  await once(server, 'listening').catch((err: unknown) => {
    throw listenError(err, 'HTTP listener', cfg.host, cfg.port, '--port / OSPREY_PORT');
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`;
  if (publicUrl === '') publicUrl = url;
  log.info({ url, dataDir: cfg.dataDir, telemetry: cfg.telemetry.kind }, 'osprey listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () =>
      (closing ??= (async () => {
        log.info({ inFlight: inFlight() }, 'shutting down: finishing in-flight requests');
        liveTail.close();
        // No new EMF documents; the buffered ones are stored while the stores are still open.
        await emf.close();
        await emfSink.close();
        // Stop accepting; keep-alive sockets close once idle, in-flight requests complete first.
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = Date.now() + 30_000;
        while (inFlight() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        server.closeAllConnections();
        await closed;
        await runner.stop();
        await retention.stop();
        // After the last request (whose outbox rows are committed), before the database closes.
        await delivery.stop();
        sns.close();
        await exportTasks.close();
        await audit.close();
        await telemetry.close();
        db.close();
        dirLock.release();
        log.info('shutdown complete');
      })()),
  };
}
