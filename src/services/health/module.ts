/**
 * AWS Health (awsJson1_1), reporting Osprey's own incidents: monitors run checks every
 * `health.intervalMs`, keep each condition as an AWS Health event (open, then closed) in the
 * metadata store, and send an "AWS Health Event" to EventBridge on every change. Only the
 * operator's account sees them (audience.ts). docs/health.md.
 *
 * Two monitors: what each node sees of itself (its stores answering, its disk) runs on every node;
 * what is the same for the whole cluster (the shared outbox's backlog, lost nodes) runs on the
 * holder of the `health.cluster` lease, so that one node — not each — reports it.
 */
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { LeasedTask, leaseOf } from '../../jobs/leased-task.ts';
import { PeriodicTask } from '../../jobs/periodic-task.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import { operatorAccount } from './audience.ts';
import type { HealthDeps } from './deps.ts';
import { describeEventTypes } from './describe-event-types.ts';
import { describeAffectedEntities, describeEntityAggregates } from './entities.ts';
import { describeEventAggregates, describeEventDetails, describeEvents } from './events.ts';
import { deliveryBacklogCheck } from './monitor/delivery-backlog.ts';
import { diskSpaceCheck } from './monitor/disk-space.ts';
import { IncidentMonitor } from './monitor/monitor.ts';
import { nodeLostCheck } from './monitor/node-lost.ts';
import { storeProbeCheck, telemetryProbe } from './monitor/store-probe.ts';
import { publishHealthEvent } from './notify.ts';
import { checkLocale } from './locale.ts';
import { HealthRepo, type Incident } from './repo.ts';
import { HEALTH_MIGRATIONS } from './schema.ts';
import './operations.ts';

export async function createHealth(env: Env): Promise<ServiceModule<'health'>> {
  await env.migrate('health', HEALTH_MIGRATIONS);
  const repo = new HealthRepo(env.db);
  const cfg = env.config.health;
  const operator = operatorAccount(env.config);
  const deps: HealthDeps = { repo, sees: (ctx) => ctx.account === operator };
  // With several nodes (PostgreSQL) each node's stores and disk are its own components: their
  // entities name the node (host and data directory, the same after a restart).
  const node = env.db.dialect === 'postgres' ? `${hostname()}:${resolve(env.dataDir)}` : undefined;
  const local = { telemetry: node ? `telemetry-store@${node}` : 'telemetry-store', meta: node ? `metadata-store@${node}` : 'metadata-store', disk: node ?? env.dataDir };
  const on = node ? ` on node ${node}` : '';
  const checks = [
    storeProbeCheck([
      { entity: local.telemetry, label: `telemetry store (${env.config.telemetry.kind})${on}`, probe: telemetryProbe(env.telemetry.engine) },
      { entity: local.meta, label: `metadata store (${env.db.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'})${on}`, probe: (now) => repo.probe(now) },
    ]),
    diskSpaceCheck(env.dataDir, cfg.diskFreePercent, undefined, local.disk),
  ];
  const leaseMs = env.config.leaseMs;
  const clusterChecks = [
    deliveryBacklogCheck(env.outbox, cfg.deliveryBacklogSeconds),
    nodeLostCheck({ nodes: env.nodes, leases: env.leases, leaseMs, self: env.nodeId }),
  ];
  const to = { account: operator, region: cfg.eventRegion };
  const notify = (i: Incident) => publishHealthEvent(env.bus, to, i, env.clock.now());
  const monitor = new IncidentMonitor(checks, repo, env.clock, notify, env.log, { entities: new Set(Object.values(local)) });
  await monitor.load();
  const task = new PeriodicTask('health-monitor', cfg.intervalMs, () => monitor.runOnce(), env.log);
  const cluster = new IncidentMonitor(clusterChecks, repo, env.clock, notify, env.log, { reload: true });
  // Passes come at least three times per lease period (the holder renews on those due for it).
  const clusterTask = new LeasedTask({
    ...leaseOf(env, 'health.cluster'), intervalMs: Math.min(cfg.intervalMs, Math.floor(leaseMs / 3)), task: () => cluster.runOnce(),
  });
  const handlers: ServiceHandlers<'health'> = {
    DescribeEvents: (ctx, input) => (checkLocale(input.locale), describeEvents(deps, ctx, input)),
    DescribeEventDetails: (ctx, input) => (checkLocale(input.locale), describeEventDetails(deps, ctx, input)),
    DescribeEventAggregates: (ctx, input) => describeEventAggregates(deps, ctx, input),
    DescribeAffectedEntities: (ctx, input) => (checkLocale(input.locale), describeAffectedEntities(deps, ctx, input)),
    DescribeEntityAggregates: (ctx, input) => describeEntityAggregates(deps, ctx, input),
    DescribeEventTypes: (_ctx, input) => (checkLocale(input.locale), describeEventTypes(input)),
  };
  return {
    name: 'health',
    handlers,
    // The first pass right away: an incident present at start-up is reported without waiting an interval.
    jobs: [
      { name: 'health-monitor', start: () => (task.start(), task.kick()), stop: () => task.stop() },
      { name: 'health-cluster-monitor', start: () => (clusterTask.start(), clusterTask.kick()), stop: () => clusterTask.stop() },
    ],
  };
}
