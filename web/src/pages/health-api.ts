// AWS Health as the Health page reads it: Osprey's incidents (events, each with its one affected
// component and its description), and the components the page lists with their current status.
import { DescribeAffectedEntitiesCommand, DescribeEventDetailsCommand, HealthClient, paginateDescribeEvents } from '@aws-sdk/client-health';
import type { ClientConfig } from '../aws.ts';
import { collect } from '../aws.ts';
import { usePageClient } from '../page-client.ts';

const makeHealth = (cfg: ClientConfig) => new HealthClient(cfg);
export const useHealth = (): HealthClient => usePageClient(makeHealth);

export interface Incident {
  arn: string;
  code: string;
  /** The affected component (entityValue): `telemetry-store`, the data directory, `delivery/sns`… */
  entity: string;
  status: 'open' | 'closed';
  start: number;
  end?: number;
  description: string;
}

/** DescribeEventDetails and DescribeAffectedEntities take at most 10 event ARNs a call. */
const BATCH = 10;
/** The page shows the latest incidents; older ones stay readable through the API. */
const MAX_EVENTS = 200;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += BATCH) out.push(items.slice(i, i + BATCH));
  return out;
}

export async function loadIncidents(health: HealthClient): Promise<Incident[]> {
  const events = await collect(paginateDescribeEvents({ client: health, pageSize: 100 }, {}), (p) => p.events, MAX_EVENTS);
  const entity = new Map<string, string>();
  const description = new Map<string, string>();
  await Promise.all(chunks(events.map((e) => e.arn!)).map(async (eventArns) => {
    const [entities, details] = await Promise.all([
      health.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns } })),
      health.send(new DescribeEventDetailsCommand({ eventArns })),
    ]);
    for (const x of entities.entities ?? []) entity.set(x.eventArn!, x.entityValue ?? '');
    for (const d of details.successfulSet ?? []) description.set(d.event!.arn!, d.eventDescription?.latestDescription ?? '');
  }));
  return events.map((e) => ({
    arn: e.arn!, code: e.eventTypeCode!, entity: entity.get(e.arn!) ?? '', status: e.statusCode === 'open' ? 'open' : 'closed',
    start: e.startTime!.getTime(), ...(e.endTime ? { end: e.endTime.getTime() } : {}), description: description.get(e.arn!) ?? '',
  }));
}

export interface Component {
  id: string;
  name: string;
  /** Whether an incident concerns this component. */
  owns(i: Incident): boolean;
}

/** A store's entity: `telemetry-store`, or on a cluster `telemetry-store@<host>:<data dir>` (each node's own). */
const storeEntity = (entity: string, store: string): boolean => entity === store || entity.startsWith(`${store}@`);

/** What Osprey watches in itself (the monitor's checks), in the order the page lists them. */
export const COMPONENTS: Component[] = [
  { id: 'telemetry-store', name: 'Telemetry store', owns: (i) => i.code === 'OSPREY_STORE_UNAVAILABLE' && storeEntity(i.entity, 'telemetry-store') },
  { id: 'metadata-store', name: 'Metadata store', owns: (i) => i.code === 'OSPREY_STORE_UNAVAILABLE' && storeEntity(i.entity, 'metadata-store') },
  { id: 'disk', name: 'Disk (data directory)', owns: (i) => i.code === 'OSPREY_DISK_NEARLY_FULL' },
  { id: 'delivery', name: 'Deliveries (outbox)', owns: (i) => i.code === 'OSPREY_DELIVERY_BACKLOG' },
  { id: 'nodes', name: 'Cluster nodes', owns: (i) => i.code === 'OSPREY_NODE_LOST' },
];

export const componentOf = (i: Incident): Component | undefined => COMPONENTS.find((c) => c.owns(i));

/** "Disk nearly full" from OSPREY_DISK_NEARLY_FULL. */
export const typeLabel = (code: string): string => {
  const words = code.replace(/^OSPREY_/, '').toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
