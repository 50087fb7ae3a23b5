/**
 * The kinds of incident Osprey reports about itself, as AWS Health event types: service `OSPREY`,
 * category `issue`, codes `OSPREY_<CONDITION>`. One catalogue serves the monitor (what to open),
 * DescribeEventTypes, and the console's component list.
 */
import type { EventType } from '@aws-sdk/client-health';

/** The service name Osprey's events carry (AWS's are e.g. EC2, RDS). */
export const OSPREY_SERVICE = 'OSPREY';

export const STORE_UNAVAILABLE = 'OSPREY_STORE_UNAVAILABLE';
export const DELIVERY_BACKLOG = 'OSPREY_DELIVERY_BACKLOG';
export const DISK_NEARLY_FULL = 'OSPREY_DISK_NEARLY_FULL';
export const NODE_LOST = 'OSPREY_NODE_LOST';

export type IncidentType = typeof STORE_UNAVAILABLE | typeof DELIVERY_BACKLOG | typeof DISK_NEARLY_FULL | typeof NODE_LOST;

export const EVENT_TYPES: readonly Required<Pick<EventType, 'service' | 'code' | 'category' | 'actionability'>>[] = [
  { service: OSPREY_SERVICE, code: DELIVERY_BACKLOG, category: 'issue', actionability: 'ACTION_MAY_BE_REQUIRED' },
  { service: OSPREY_SERVICE, code: DISK_NEARLY_FULL, category: 'issue', actionability: 'ACTION_REQUIRED' },
  { service: OSPREY_SERVICE, code: NODE_LOST, category: 'issue', actionability: 'ACTION_MAY_BE_REQUIRED' },
  { service: OSPREY_SERVICE, code: STORE_UNAVAILABLE, category: 'issue', actionability: 'ACTION_REQUIRED' },
];

/** Every Osprey event is an `issue` (an incident), never a scheduled change or notification. */
export const OSPREY_CATEGORY = 'issue';
