/** The health_events table: Osprey's incidents, open (no end time) or closed. */
import type { Db } from '../../store/meta/db.ts';

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
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      all: db.prepare('SELECT * FROM health_events ORDER BY start_time DESC, arn'),
      open: db.prepare('SELECT * FROM health_events WHERE end_time IS NULL ORDER BY start_time, arn'),
      byArn: db.prepare('SELECT * FROM health_events WHERE arn = ?'),
      // Upsert: an incident opened and closed while the store was down is written once, whole.
      save: db.prepare(`INSERT INTO health_events (arn, service, type_code, category, region, entity, description, start_time, end_time, last_updated)
        VALUES (@arn, @service, @typeCode, @category, @region, @entity, @description, @startTime, @endTime, @lastUpdated)
        ON CONFLICT (arn) DO UPDATE SET description = excluded.description, end_time = excluded.end_time, last_updated = excluded.last_updated`),
      probe: db.prepare('INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at'),
    };
  }

  /** Every incident, newest first. Incidents are rare (a handful a day at worst), so lists are read whole. */
  all(): Incident[] {
    return (this.stmts.all.all() as Row[]).map(toIncident);
  }

  open(): Incident[] {
    return (this.stmts.open.all() as Row[]).map(toIncident);
  }

  get(arn: string): Incident | undefined {
    const r = this.stmts.byArn.get(arn) as Row | undefined;
    return r && toIncident(r);
  }

  save(i: Incident): void {
    this.stmts.save.run({ ...i, endTime: i.endTime ?? null });
  }

  /** The metadata store's liveness probe: one small write, committed (fails when SQLite cannot write). */
  probe(now: number): void {
    this.stmts.probe.run(now);
  }
}
