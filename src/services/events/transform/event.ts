/**
 * The event object a target receives, built the way EventBridge builds it from a PutEvents entry
 * or a schedule. Field order is AWS's (recorded against real AWS in LocalStack's validated
 * snapshots), because targets see the serialised bytes and some users diff or hash them.
 */
import { randomUUID } from 'node:crypto';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { AwsEvent } from '../../../server/facts.ts';

export type { AwsEvent };

/** A detail is always a JSON object once an entry passed validatePutEventsEntry. */
export type JsonObject = { [key: string]: unknown };

export interface EventContext {
  account: string;
  region: string;
  /** Epoch ms of the PutEvents call; the event's time when the entry has none. */
  now: number;
  /** Injected by tests; a fresh UUID otherwise. */
  id?: string;
  /** Set when the event is re-sent by a replay (AWS adds `replay-name`). */
  replayName?: string;
  /** The entry's Detail already parsed (checkPutEventsEntry), so it is not parsed twice. */
  detail?: JsonObject;
}

/** AWS writes event times with second precision and no milliseconds: 2015-11-11T21:29:54Z. */
export function formatEventTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function entryTime(time: unknown, now: number): number {
  // The SDK types Time as a Date, but a protocol decoder may hand over epoch seconds or text.
  const ms = time instanceof Date ? time.getTime()
    : typeof time === 'number' ? time * 1000
      : typeof time === 'string' ? Date.parse(time) : NaN;
  return Number.isFinite(ms) ? ms : now;
}

/** The event for a PutEvents entry that validatePutEventsEntry accepted. */
export function buildEvent(entry: PutEventsRequestEntry, ctx: EventContext): AwsEvent {
  const event: AwsEvent = {
    version: '0',
    id: ctx.id ?? randomUUID(),
    'detail-type': entry.DetailType ?? '',
    source: entry.Source ?? '',
    account: ctx.account,
    time: formatEventTime(entryTime(entry.Time, ctx.now)),
    region: ctx.region,
    resources: entry.Resources ?? [],
    detail: ctx.detail ?? (JSON.parse(entry.Detail ?? '{}') as JsonObject),
  };
  return ctx.replayName === undefined ? event : withReplayName(event, ctx.replayName);
}

/**
 * The same event as re-sent by a replay: AWS puts `replay-name` between `region` and `resources`
 * (test_archive_and_replay snapshot), so the object is rebuilt rather than extended.
 */
export function withReplayName(event: AwsEvent, replayName: string): AwsEvent {
  const { version, id, source, account, time, region, resources, detail } = event;
  return {
    version, id, 'detail-type': event['detail-type'], source, account, time, region,
    'replay-name': replayName, resources, detail,
  };
}

export interface ScheduleContext {
  account: string;
  region: string;
  ruleArn: string;
  /** Epoch ms of the scheduled firing. */
  now: number;
  id?: string;
}

/** What a schedule rule's targets receive (test_events_schedule snapshot, recorded on AWS). */
export function scheduledEvent(ctx: ScheduleContext): AwsEvent {
  return {
    version: '0',
    id: ctx.id ?? randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ctx.account,
    time: formatEventTime(ctx.now),
    region: ctx.region,
    resources: [ctx.ruleArn],
    detail: {},
  };
}
