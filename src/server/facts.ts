/**
 * The facts services exchange on the bus (env.bus). A service publishes what happened; others
 * subscribe to the kinds they care about, without importing the publisher.
 */
import type { EventBus } from '../lib/event-bus.ts';
import type { AuditRecord } from '../protocol/audit.ts';
import type { StoredTrailEvent } from './trail-record.ts';

/**
 * An event as EventBridge carries it (e.g. "CloudWatch Alarm State Change"), fields in AWS's order.
 * A type alias, not an interface, so an event is assignable to Record<string, unknown>.
 */
export type AwsEvent = {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  /** Set on events a replay re-sends. */
  'replay-name'?: string;
  resources: string[];
  detail: { [key: string]: unknown };
};

/** What a metric append names of each point (enough to find the alarms that watch it). */
export interface AppendedPoint {
  account: string;
  region: string;
  namespace: string;
  metricName: string;
}

/** A log event stored by PutLogEvents (or the EMF agent through it). */
export interface IngestedLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** AWS-style event id: unique, stable, the same in FilterLogEvents and subscription payloads. */
  eventId: string;
}

/** One stored PutLogEvents batch, published before the request is answered. */
export interface LogsIngested {
  account: string;
  region: string;
  logGroup: string;
  logStream: string;
  events: IngestedLogEvent[];
}

export type Fact =
  | { kind: 'alarm.stateChanged'; event: AwsEvent }
  /** Another AWS service's event for the account's default bus (e.g. Synthetics canary runs). */
  | { kind: 'service.event'; event: AwsEvent }
  | { kind: 'metrics.appended'; points: readonly AppendedPoint[] }
  | { kind: 'logs.ingested'; batch: LogsIngested }
  | { kind: 'api.called'; record: AuditRecord }
  /** CloudTrail records just stored (in seq order): EventBridge publishes the management calls. */
  | { kind: 'trail.recorded'; events: readonly StoredTrailEvent[] }
  /** Events a bus accepted (after routing): schema discovery and other observers. */
  | { kind: 'events.accepted'; account: string; region: string; bus: string; events: Record<string, unknown>[] };

export type Bus = EventBus<Fact>;
