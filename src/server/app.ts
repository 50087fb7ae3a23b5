import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { effectiveAccessKeys, type OspreyConfig } from '../config/config.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { DeliveryWorker } from '../jobs/delivery-worker.ts';
import { nodeHeartbeat } from '../jobs/node-heartbeat.ts';
import { ProtocolEngine } from '../protocol/engine.ts';
import type { Credential } from '../protocol/sigv4.ts';
import { adminBackupRoute } from './admin-route.ts';
import { openKernel } from './env.ts';
import { closeHttpServer, createHttpServer } from './http.ts';
import { untypedTable } from './internal-calls.ts';
import type { AnyServiceModule, Job } from './module.ts';
import { MODULES } from './modules.ts';
import { SelfMonitoring } from './self-metrics/self-monitoring.ts';
import { listenError } from './startup-error.ts';

/**
 * Shared metadata with embedded (per-node) telemetry: what such a cluster cannot do, said once at
 * start (docs/scaling.md has the table).
 */
const PER_NODE_TELEMETRY_LIMITS = [
  'reads of logs, metrics, traces, Insights, CloudTrail Lake and Kinesis records answer from this node only: keep clients on one node',
  'time-driven alarm evaluation (missing data) runs on the alarm-lease holder over its own metrics',
  'CloudTrail delivery and metric streams run on every node over the data it stored (a series sent to several nodes streams one partial aggregate per node and minute)',
];

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ServerOptions {
  clock?: Clock;
  log?: Logger;
  /** Names from the module list to run (default: all of them). */
  modules?: readonly string[];
}

/** Kernel → service modules → protocol engine → jobs and listeners → HTTP; shutdown in reverse. */
export async function startServer(cfg: OspreyConfig, opts: ServerOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? createLogger(cfg.logLevel);
  const clock = opts.clock ?? systemClock;
  const unknown = (opts.modules ?? []).filter((n) => MODULES[n] === undefined);
  if (unknown.length > 0) throw new Error(`unknown module ${unknown.join(', ')}; known: ${Object.keys(MODULES).join(', ')}`);
  const self = new SelfMonitoring(cfg, clock, log);
  const kernel = await openKernel(cfg, clock, log, { ingest: (table) => self.ingest.observer(table) });
  self.attach(kernel.env);
  const modules: AnyServiceModule[] = [];
  for (const name of new Set(opts.modules ?? Object.keys(MODULES))) {
    const m = await MODULES[name]!(kernel.env);
    kernel.handlers[m.name] = untypedTable(m.handlers);
    modules.push(m);
  }
  kernel.setRecorders(modules.flatMap((m) => (m.recorder ? [m.recorder] : [])));
  const keys = new Map<string, Credential>(effectiveAccessKeys(cfg).map((k) => [k.accessKeyId, k]));
  const engine = new ProtocolEngine({
    handlers: kernel.handlers, credentials: (id) => keys.get(id), clock, log,
    audit: {
      record(r) {
        self.api.record(r);
        return kernel.audit.record(r);
      },
    },
    maxBodyBytes: cfg.maxBodyBytes, maxSkewMs: cfg.maxClockSkewSeconds * 1000,
  });
  const delivery = new DeliveryWorker({ outbox: kernel.env.outbox, handlers: modules.flatMap((m) => m.deliveries ?? []), clock, log, settings: cfg.delivery, onSettled: self.outbox?.settled });
  // The delivery worker starts first and stops last: it sends what the other jobs and the last requests enqueued.
  self.watchDelivery(delivery);
  // Self-monitoring stops after the modules' jobs (their last counts are published) and before delivery.
  const selfJob = self.job();
  const { env } = kernel;
  const jobs: Job[] = [
    // First to start, last to stop: the node is announced before its jobs take leases, and its row
    // goes only once they have released them (a clean stop is never reported as a lost node).
    nodeHeartbeat({ nodeId: env.nodeId, nodes: env.nodes, clock, log, leaseMs: cfg.leaseMs }),
    { name: 'delivery', start: () => delivery.start(), stop: () => delivery.stop() },
    ...(selfJob ? [selfJob] : []),
    ...modules.flatMap((m) => m.jobs ?? []),
  ];
  const listeners = modules.flatMap((m) => m.listeners ?? []);
  for (const l of listeners) await l.start();
  for (const j of jobs) await j.start();

  const started = Date.now();
  const { server, inFlight } = createHttpServer({
    engine, log, maxBodyBytes: cfg.maxBodyBytes,
    routes: [adminBackupRoute(cfg, { dataDir: cfg.dataDir, db: kernel.env.db, telemetry: kernel.env.telemetry, clock, log }), ...modules.flatMap((m) => m.routes ?? [])],
    metrics: () => self.scrape(),
    health: async () => ({ uptimeSeconds: Math.round((Date.now() - started) / 1000), inFlight: inFlight() }),
  });
  server.listen(cfg.port, cfg.host);
  await once(server, 'listening').catch((err: unknown) => {
    throw listenError(err, 'HTTP listener', cfg.host, cfg.port, '--port / OSPREY_PORT');
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`;
  kernel.setPublicUrl(url);
  log.info({ url, dataDir: cfg.dataDir, telemetry: cfg.telemetry.kind, modules: modules.map((m) => m.name) }, 'osprey listening');
  if (cfg.metadata.url !== '' && cfg.telemetry.kind === 'chdb') log.warn({ limits: PER_NODE_TELEMETRY_LIMITS }, 'telemetry is per node');

  let closing: Promise<void> | undefined;
  const close = async () => {
    log.info({ inFlight: inFlight() }, 'shutting down: finishing in-flight requests');
    for (const m of modules) m.drain?.();
    for (const l of [...listeners].reverse()) await l.close();
    await closeHttpServer(server, inFlight);
    for (const j of [...jobs].reverse()) await j.stop();
    for (const m of [...modules].reverse()) await m.close?.();
    self.close();
    await kernel.close();
    log.info('shutdown complete');
  };
  return { url, port, close: () => (closing ??= close()) };
}
