/**
 * The EventBridge "AWS Health Event" (source aws.health) for an incident opening or closing, on the
 * operator account's default bus in `health.eventRegion` (AWS sends global events to us-east-1).
 * Sent as a `service.event` fact, the way Osprey's other services send their AWS events: an AWS
 * source cannot be used through PutEvents. Field names and formats follow AWS Health's EventBridge
 * schema (times in detail as RFC 1123 strings, eventDescription per language).
 */
import { randomUUID } from 'node:crypto';
import type { AwsEvent, Bus } from '../../server/facts.ts';
import type { Incident } from './repo.ts';
import { statusOf } from './filter.ts';

export interface Recipient {
  account: string;
  region: string;
}

export function healthEvent(i: Incident, to: Recipient, now: number): AwsEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS Health Event',
    source: 'aws.health',
    account: to.account,
    time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: to.region,
    resources: [i.entity],
    detail: {
      eventArn: i.arn,
      service: i.service,
      eventTypeCode: i.typeCode,
      eventTypeCategory: i.category,
      eventScopeCode: 'ACCOUNT_SPECIFIC',
      // One communication per state change: open, then closed.
      communicationId: `${i.arn.split('/').pop()}-${statusOf(i)}`,
      startTime: new Date(i.startTime).toUTCString(),
      ...(i.endTime !== undefined ? { endTime: new Date(i.endTime).toUTCString() } : {}),
      lastUpdatedTime: new Date(i.lastUpdated).toUTCString(),
      statusCode: statusOf(i),
      eventRegion: i.region,
      eventDescription: [{ language: 'en_US', latestDescription: i.description }],
      affectedEntities: [{ entityValue: i.entity, status: i.endTime === undefined ? 'IMPAIRED' : 'UNIMPAIRED' }],
      affectedAccount: to.account,
    },
  };
}

export const publishHealthEvent = (bus: Bus, to: Recipient, i: Incident, now: number): void =>
  bus.publish({ kind: 'service.event', event: healthEvent(i, to, now) });
