/** What a health check reports: the conditions it finds now, one per affected component. */
import type { IncidentType } from '../event-types.ts';

export interface Condition {
  typeCode: IncidentType;
  /** The affected component (the incident's entityValue). */
  entity: string;
  /** The incident's description, as first seen. */
  description: string;
}

export interface Check {
  name: string;
  /** The incident types it decides: when it runs, open incidents of these types it no longer finds close. */
  types: readonly IncidentType[];
  /** Throws when it cannot tell (then its open incidents stay as they are). */
  run(now: number): Promise<Condition[]>;
}
