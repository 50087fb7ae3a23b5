/** The health_events table: Osprey's incidents, open (no end time) or closed. */
import type { Sql } from '../../store/meta/sql/types.ts';

export interface Incident {
  arn: string;
  service: string;
  typeCode: string;
  category: string;
  region: string;
  /** The affected component (entityValue): a store, the data directory, an outbox topic. */
  entity: string;
  description: string;
  startTime: number;
  endTime?: number;
  lastUpdated: number;
}

interface Row {
  arn: string;
  service: string;
  type_code: string;
  category: string;
  region: string;
  entity: string;
  description: string;
  start_time: number;
  end_time: number | null;
  last_updated: number;
}

const toIncident = (r: Row): Incident => ({
  arn: r.arn, service: r.service, typeCode: r.type_code, category: r.category, region: r.region, entity: r.entity,
  description: r.description, startTime: r.start_time, ...(r.end_time !== null ? { endTime: r.end_time } : {}), lastUpdated: r.last_updated,
});

export class HealthRepo {
  constructor(private readonly db: Sql) {}

  /** Every incident, newest first. Incidents are rare (a handful a day at worst), so lists are read whole. */
  async all(): Promise<Incident[]> {
    return (await this.db.all<Row>('SELECT * FROM health_events ORDER BY start_time DESC, arn')).map(toIncident);
  }

  async open(): Promise<Incident[]> {
    return (await this.db.all<Row>('SELECT * FROM health_events WHERE end_time IS NULL ORDER BY start_time, arn')).map(toIncident);
  }

  async get(arn: string): Promise<Incident | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM health_events WHERE arn = ?', [arn]);
    return r && toIncident(r);
  }

  async save(i: Incident): Promise<void> {
    // Upsert: an incident opened and closed while the store was down is written once, whole.
    await this.db.run(`INSERT INTO health_events (arn, service, type_code, category, region, entity, description, start_time, end_time, last_updated)
      VALUES (@arn, @service, @typeCode, @category, @region, @entity, @description, @startTime, @endTime, @lastUpdated)
      ON CONFLICT (arn) DO UPDATE SET description = excluded.description, end_time = excluded.end_time, last_updated = excluded.last_updated`,
    { arn: i.arn, service: i.service, typeCode: i.typeCode, category: i.category, region: i.region, entity: i.entity,
      description: i.description, startTime: i.startTime, endTime: i.endTime ?? null, lastUpdated: i.lastUpdated });
  }

  /** The metadata store's liveness probe: one small write, committed (fails when the store cannot write). */
  async probe(now: number): Promise<void> {
    await this.db.run('INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at', [now]);
  }
}
