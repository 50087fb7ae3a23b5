/**
 * AWS Health's EventFilter and EntityFilter, evaluated on Osprey's incidents. Members are ANDed,
 * values within a member ORed (a list of time ranges matches a time inside any of them). Members
 * naming things Osprey's events never have (availability zones, entity ARNs, tags) match nothing.
 */
import type { DateTimeRange, EntityFilter, EventFilter } from '@aws-sdk/client-health';
import { EVENT_TYPES } from './event-types.ts';
import type { Incident } from './repo.ts';

export type EventStatus = 'open' | 'closed';
export type EntityStatus = 'IMPAIRED' | 'UNIMPAIRED';

export const statusOf = (i: Incident): EventStatus => (i.endTime === undefined ? 'open' : 'closed');
/** The component is impaired while its incident is open. */
export const entityStatusOf = (i: Incident): EntityStatus => (i.endTime === undefined ? 'IMPAIRED' : 'UNIMPAIRED');
export const actionabilityOf = (i: Incident): string | undefined => EVENT_TYPES.find((t) => t.code === i.typeCode)?.actionability;

/** Osprey's incidents are about operating the installation. */
export const PERSONA = 'OPERATIONS';

const inRanges = (t: number | undefined, ranges: DateTimeRange[] | undefined): boolean =>
  ranges === undefined || (t !== undefined && ranges.some((r) => (!r.from || t >= r.from.getTime()) && (!r.to || t <= r.to.getTime())));

export const among = <T>(value: T, list: readonly T[] | undefined): boolean => list === undefined || list.includes(value);

export function matchesEventFilter(i: Incident, f: EventFilter | undefined): boolean {
  if (!f) return true;
  return among(i.arn, f.eventArns) && among(i.typeCode, f.eventTypeCodes) && among(i.service, f.services)
    && among(i.region, f.regions) && among(i.category, f.eventTypeCategories as string[] | undefined)
    && among<string>(statusOf(i), f.eventStatusCodes) && among(i.entity, f.entityValues)
    && among(actionabilityOf(i), f.actionabilities as (string | undefined)[] | undefined)
    && among<string>(PERSONA, f.personas)
    && f.availabilityZones === undefined && f.entityArns === undefined && (f.tags === undefined || f.tags.length === 0)
    && inRanges(i.startTime, f.startTimes) && inRanges(i.endTime, f.endTimes) && inRanges(i.lastUpdated, f.lastUpdatedTimes);
}

export function matchesEntityFilter(i: Incident, f: EntityFilter): boolean {
  return among(i.arn, f.eventArns) && among(i.entity, f.entityValues) && among<string>(entityStatusOf(i), f.statusCodes)
    && f.entityArns === undefined && (f.tags === undefined || f.tags.length === 0) && inRanges(i.lastUpdated, f.lastUpdatedTimes);
}
