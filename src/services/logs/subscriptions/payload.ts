import { gzipSync } from 'node:zlib';

/**
 * What subscription deliveries carry, as CloudWatch Logs sends it: a JSON document, gzip-compressed
 * (base64-encoded wherever the transport is JSON). Field order follows AWS's examples.
 *
 *   {"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"…","logStream":"…",
 *    "subscriptionFilters":["<filter name>"],"logEvents":[{"id":"…","timestamp":…,"message":"…"}]}
 *
 * Kinesis and Firehose destinations also get a CONTROL_MESSAGE when a subscription starts
 * delivering to them ("mainly for checking if the destination is reachable"); consumers skip it.
 */
export interface SubscriptionLogEvent {
  id: string;
  timestamp: number;
  message: string;
}

export interface SubscriptionMessage {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE';
  owner: string;
  logGroup: string;
  logStream: string;
  subscriptionFilters: string[];
  logEvents: SubscriptionLogEvent[];
}

/** AWS's batch limits for one subscription message: 10,000 events, 1 MiB counting 26 bytes per event. */
export const MAX_MESSAGE_EVENTS = 10_000;
export const MAX_MESSAGE_BYTES = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;

export const eventBytes = (e: SubscriptionLogEvent): number => Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;

export function dataMessage(owner: string, logGroup: string, logStream: string, filterName: string, logEvents: SubscriptionLogEvent[]): SubscriptionMessage {
  return { messageType: 'DATA_MESSAGE', owner, logGroup, logStream, subscriptionFilters: [filterName], logEvents };
}

/** The health check AWS sends to a stream destination; `kind` names it in the message. */
export function controlMessage(kind: 'kinesis' | 'firehose', timestamp: number): SubscriptionMessage {
  const what = kind === 'kinesis' ? 'Kinesis stream' : 'Firehose';
  return {
    messageType: 'CONTROL_MESSAGE',
    owner: 'CloudwatchLogs',
    logGroup: '',
    logStream: '',
    subscriptionFilters: [],
    logEvents: [{ id: '', timestamp, message: `CWL CONTROL MESSAGE: Checking health of destination ${what}.` }],
  };
}

export function gzipMessage(m: SubscriptionMessage): Buffer {
  return gzipSync(JSON.stringify(m));
}

/** The event Lambda receives: `{"awslogs":{"data":"<base64 of the gzip payload>"}}`. */
export function lambdaEvent(gz: Buffer): string {
  return JSON.stringify({ awslogs: { data: gz.toString('base64') } });
}

// -------------------------------------------------------------------------------------------------
// Outbox rows of topic `logs.subscription`

export const SUBSCRIPTION_TOPIC = 'logs.subscription';

/** One outbox row: the events one PutLogEvents call contributed to one filter, or a control message. */
export type SubscriptionRowPayload =
  | {
      type: 'data';
      owner: string;
      logGroup: string;
      logStream: string;
      filterName: string;
      /** The filter's destinationArn (a destination ARN when delivery goes through one). */
      destinationArn: string;
      events: SubscriptionLogEvent[];
    }
  | { type: 'control'; kind: 'kinesis' | 'firehose'; filterName: string; timestamp: number };

export function parseRowPayload(text: string): SubscriptionRowPayload {
  const v = JSON.parse(text) as SubscriptionRowPayload;
  if (v.type !== 'data' && v.type !== 'control') throw new Error(`unknown subscription payload type ${(v as { type?: unknown }).type}`);
  return v;
}

/** Messages to send for a set of rows, each with the ids of the rows it carries. */
export interface PlannedMessage {
  rowIds: number[];
  message: SubscriptionMessage;
}

/**
 * Groups data rows by (owner, group, stream, filter) — one message names one stream and one filter,
 * as AWS's do — and merges consecutive rows while the message stays within AWS's limits. A row is
 * never split: PutLogEvents' own limits keep each row within them. Control rows are messages alone.
 */
export function planMessages(rows: { id: number; payload: SubscriptionRowPayload }[]): PlannedMessage[] {
  const out: PlannedMessage[] = [];
  const open = new Map<string, { plan: PlannedMessage; bytes: number }>();
  for (const { id, payload: p } of rows) {
    if (p.type === 'control') {
      out.push({ rowIds: [id], message: controlMessage(p.kind, p.timestamp) });
      continue;
    }
    const key = JSON.stringify([p.owner, p.logGroup, p.logStream, p.filterName]);
    const bytes = p.events.reduce((n, e) => n + eventBytes(e), 0);
    const cur = open.get(key);
    if (cur && cur.plan.message.logEvents.length + p.events.length <= MAX_MESSAGE_EVENTS && cur.bytes + bytes <= MAX_MESSAGE_BYTES) {
      cur.plan.rowIds.push(id);
      cur.plan.message.logEvents.push(...p.events);
      cur.bytes += bytes;
      continue;
    }
    const plan = { rowIds: [id], message: dataMessage(p.owner, p.logGroup, p.logStream, p.filterName, [...p.events]) };
    out.push(plan);
    open.set(key, { plan, bytes });
  }
  return out;
}
