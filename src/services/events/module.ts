/**
 * The EventBridge module: buses, rules and targets in the metadata store; PutEvents matched against indexed
 * rules and turned into durable outbox rows before it answers; deliveries with retry policies and
 * dead-letter queues; archives and replays; connections and API destinations; scheduled rules;
 * Osprey's own events (alarm state changes) on each account's default bus; AWS/Events metrics.
 */
import type { Env, ServiceModule } from '../../server/module.ts';
import { createArchives } from './archives/index.ts';
import { createConnections } from './connections/index.ts';
import { eventsLimits, type EventsDeps } from './deps.ts';
import { EventsDelivery } from './delivery.ts';
import { Dispatcher } from './dispatch.ts';
import { coreHandlers } from './handlers.ts';
import { EventsMetrics } from './metrics.ts';
import { publishApiCallEvents } from './cloudtrail-events.ts';
import { publishServiceEvent } from './own-events.ts';
import { EventsStore } from './repo.ts';
import { RuleIndex } from './rule-index.ts';
import { createRuleScheduler } from './schedules/index.ts';
import { EVENTS_MIGRATIONS } from './schema.ts';

/** How often counted AWS/Events metrics are written. */
const METRICS_FLUSH_MS = 5000;

export async function createEvents(env: Env): Promise<ServiceModule<'events'>> {
  await env.migrate('events', EVENTS_MIGRATIONS);
  const now = () => env.clock.now();
  const deps: EventsDeps = { repo: new EventsStore(env.db), clock: env.clock, log: env.log, limits: eventsLimits(env.config.quotas) };
  const metrics = new EventsMetrics((points) => env.telemetry.metricPoints.append(points), now, env.log);
  const dispatcher = new Dispatcher(new RuleIndex(deps.repo, env.log), env.outbox, now);
  dispatcher.listen((s, bus, events, matched) => {
    metrics.count(s, 'MatchedEvents', { EventBusName: bus }, events.length > 0 && matched > 0 ? matched : 0);
  });
  const archives = createArchives({ db: env.db, clock: env.clock, log: env.log, dispatcher, events: deps.repo });
  dispatcher.listen(archives.listener);
  dispatcher.listen((s, bus, events) => env.bus.publish({ kind: 'events.accepted', account: s.account, region: s.region, bus, events: events.map((e) => e.event) }));
  const connections = createConnections({ db: env.db, clock: env.clock, log: env.log, keys: env.keys, timeoutMs: env.config.delivery.timeoutMs });
  const scheduler = createRuleScheduler({ db: env.db, repo: deps.repo, dispatcher, clock: env.clock, log: env.log });
  env.bus.subscribe('alarm.stateChanged', (f) => publishServiceEvent(deps, dispatcher, f.event));
  env.bus.subscribe('service.event', (f) => publishServiceEvent(deps, dispatcher, f.event));
  env.bus.subscribe('trail.recorded', (f) => publishApiCallEvents(deps, dispatcher, f.events));
  const delivery = new EventsDelivery({
    invoke: { call: env.call, serviceCtx: env.serviceCtx, lambdaFunctions: env.config.lambda.functions, streams: env.config.streams, timeoutMs: env.config.delivery.timeoutMs, now },
    metrics, apiDestinations: connections.invoke, now,
  });
  return {
    name: 'events',
    handlers: { ...coreHandlers(deps, dispatcher), ...archives.handlers, ...connections.handlers },
    deliveries: [delivery],
    jobs: [
      { name: 'events-metrics', start: () => metrics.start(METRICS_FLUSH_MS), stop: () => metrics.stop() },
      scheduler,
      ...archives.jobs,
    ],
  };
}
