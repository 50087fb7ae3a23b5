/** DescribeEventTypes: the catalogue of Osprey's incident types (public, the same for every account). */
import type { In, Out } from '../../protocol/operations.ts';
import { EVENT_TYPES } from './event-types.ts';
import { PERSONA, among } from './filter.ts';
import type { HealthOperations } from './operations.ts';
import { page } from './paging.ts';

type Ops = HealthOperations;

export function describeEventTypes(input: In<HealthOperations, 'DescribeEventTypes'>): Out<Ops, 'DescribeEventTypes'> {
  const f = input.filter;
  const matching = EVENT_TYPES.filter((t) => !f || (among(t.code, f.eventTypeCodes) && among(t.service, f.services)
    && among<string>(t.category, f.eventTypeCategories) && among<string>(t.actionability, f.actionabilities) && among<string>(PERSONA, f.personas)));
  const { items, nextToken } = page([...matching], (t) => t.code, input.maxResults ?? 100, input.nextToken);
  return { eventTypes: items.map((t) => ({ ...t, personas: [PERSONA] })), ...(nextToken ? { nextToken } : {}) };
}
