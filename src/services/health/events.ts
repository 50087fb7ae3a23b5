/** DescribeEvents, DescribeEventDetails and DescribeEventAggregates over Osprey's incidents. */
import type { Event, EventDetailsErrorItem, EventDetails } from '@aws-sdk/client-health';
import type { In, Out } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { visibleIncidents, type HealthDeps } from './deps.ts';
import { PERSONA, actionabilityOf, matchesEventFilter, statusOf } from './filter.ts';
import type { HealthOperations } from './operations.ts';
import { page } from './paging.ts';
import type { Incident } from './repo.ts';

type Ops = HealthOperations;

/** Page size when maxResults is not given. */
const DEFAULT_PAGE = 100;

export function toEvent(i: Incident): Event {
  return {
    arn: i.arn, service: i.service, eventTypeCode: i.typeCode, eventTypeCategory: i.category as Event['eventTypeCategory'],
    region: i.region, startTime: new Date(i.startTime), ...(i.endTime !== undefined ? { endTime: new Date(i.endTime) } : {}),
    lastUpdatedTime: new Date(i.lastUpdated), statusCode: statusOf(i),
    // Only the operator's account is told (audience.ts): account-specific, not a public event.
    eventScopeCode: 'ACCOUNT_SPECIFIC',
    actionability: actionabilityOf(i) as Event['actionability'], personas: [PERSONA],
  };
}

export async function describeEvents(deps: HealthDeps, ctx: Ctx, input: In<Ops, 'DescribeEvents'>): Promise<Out<Ops, 'DescribeEvents'>> {
  const matching = (await visibleIncidents(deps, ctx)).filter((i) => matchesEventFilter(i, input.filter));
  const { items, nextToken } = page(matching, (i) => i.arn, input.maxResults ?? DEFAULT_PAGE, input.nextToken);
  return { events: items.map(toEvent), ...(nextToken ? { nextToken } : {}) };
}

export async function describeEventDetails(deps: HealthDeps, ctx: Ctx, input: In<Ops, 'DescribeEventDetails'>): Promise<Out<Ops, 'DescribeEventDetails'>> {
  const successfulSet: EventDetails[] = [];
  const failedSet: EventDetailsErrorItem[] = [];
  for (const arn of input.eventArns ?? []) {
    const i = deps.sees(ctx) ? await deps.repo.get(arn) : undefined;
    if (i) successfulSet.push({ event: toEvent(i), eventDescription: { latestDescription: i.description }, eventMetadata: {} });
    else failedSet.push({ eventArn: arn, errorName: 'EventNotFound', errorMessage: `No event found for ARN ${arn}.` });
  }
  return { successfulSet, failedSet };
}

export async function describeEventAggregates(deps: HealthDeps, ctx: Ctx, input: In<Ops, 'DescribeEventAggregates'>): Promise<Out<Ops, 'DescribeEventAggregates'>> {
  const counts = new Map<string, number>();
  for (const i of (await visibleIncidents(deps, ctx))) {
    if (matchesEventFilter(i, input.filter)) counts.set(i.category, (counts.get(i.category) ?? 0) + 1);
  }
  const all = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([aggregateValue, count]) => ({ aggregateValue, count }));
  const { items, nextToken } = page(all, (a) => a.aggregateValue, input.maxResults ?? DEFAULT_PAGE, input.nextToken);
  return { eventAggregates: items, ...(nextToken ? { nextToken } : {}) };
}
