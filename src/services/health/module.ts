/**
 * AWS Health (awsJson1_1), reporting Osprey's own incidents: a monitor runs checks every
 * `health.intervalMs` (stores answering, delivery backlog, free disk), keeps each condition as an
 * AWS Health event (open, then closed) in SQLite, and sends an "AWS Health Event" to EventBridge on
 * every change. Only the operator's account sees them (audience.ts). docs/health.md.
 */
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
import { storeProbeCheck, telemetryProbe } from './monitor/store-probe.ts';
import { publishHealthEvent } from './notify.ts';
import { checkLocale } from './locale.ts';
import { HealthRepo } from './repo.ts';
import { HEALTH_MIGRATIONS } from './schema.ts';
import './operations.ts';

export async function createHealth(env: Env): Promise<ServiceModule<'health'>> {
  await env.migrate('health', HEALTH_MIGRATIONS);
  const repo = new HealthRepo(env.db);
  const cfg = env.config.health;
  const operator = operatorAccount(env.config);
  const deps: HealthDeps = { repo, sees: (ctx) => ctx.account === operator };
  const checks = [
    storeProbeCheck([
      { entity: 'telemetry-store', label: `telemetry store (${env.config.telemetry.kind})`, probe: telemetryProbe(env.telemetry.engine) },
      { entity: 'metadata-store', label: `metadata store (${env.db.dialect === 'postgres' ? 'PostgreSQL' : 'SQLite'})`, probe: (now) => repo.probe(now) },
    ]),
    deliveryBacklogCheck(env.outbox, cfg.deliveryBacklogSeconds),
    diskSpaceCheck(env.dataDir, cfg.diskFreePercent),
  ];
  const to = { account: operator, region: cfg.eventRegion };
  const monitor = new IncidentMonitor(checks, repo, env.clock, (i) => publishHealthEvent(env.bus, to, i, env.clock.now()), env.log);
  await monitor.load();
  const task = new PeriodicTask('health-monitor', cfg.intervalMs, () => monitor.runOnce(), env.log);
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
    jobs: [{ name: 'health-monitor', start: () => (task.start(), task.kick()), stop: () => task.stop() }],
  };
}
