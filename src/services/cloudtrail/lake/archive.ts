/**
 * The Lake archive: `trail_events` keeps 90 days, so a store whose retention is longer copies the
 * records it selects into `lake_events` (store id + the same columns), by `seq > cursor` (the
 * recorder stores records in seq order), and drops them once older than its retention. The cursor
 * lives in the metadata store, one per telemetry scope (each node's embedded store numbers its own
 * records; a shared server is archived by one node, under a lease), and moves only after the copy;
 * a query reads the archive up to the cursor plus `trail_events` above it, so a record is seen
 * exactly once even while a copy runs. A crash between a copy and its cursor leaves rows above the
 * cursor: they are deleted before this process's first copy.
 * Runs only where the `lake_events` table exists (LAKE_EVENTS_MIGRATION in the telemetry list);
 * without it stores read `trail_events` alone (at most 90 days).
 */
import type { Logger } from '../../../lib/logger.ts';
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import { intLiteral } from '../../../store/telemetry/sql-literal.ts';
import type { EventDataStore, LakeRepo } from './repo.ts';
import { storeConditions, storeSource, storeStart } from './source.ts';
import { quote } from './sql/fields.ts';

export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;
const COLUMNS = 'account, region, event_time, seq, event_id, event_category, event_source, event_name, read_only, username, access_key_id, ' +
  'error_code, resource_types, resource_names, record';

export { LAKE_EVENTS_MIGRATION } from '../../../store/telemetry/lake-events.ts';

export class LakeArchive {
  private enabled = false;
  private cleaned = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly engine: SqlEngine, private readonly repo: LakeRepo, private readonly log: Pick<Logger, 'warn' | 'error'>) {}

  /** Checks for the table. */
  async start(): Promise<void> {
    const [t] = await this.engine.query<{ n: string | number }>("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'lake_events'");
    this.enabled = Number(t?.n ?? 0) > 0;
    if (!this.enabled) this.log.warn({}, 'lake_events is missing: event data stores keep at most 90 days of events');
  }

  /**
   * Removes rows a crash left above a cursor. Before the first copy, not at start: on a shared
   * server another node may be between a copy and its cursor until this one holds the lease.
   */
  private async cleanUp(): Promise<void> {
    for (const s of this.repo.allStores()) {
      const cursor = await this.repo.cursor(s);
      if (cursor === undefined) continue;
      const [r] = await this.engine.query<{ m: string | number }>(`SELECT max(seq) AS m FROM lake_events WHERE store_id = ${quote(s.id)}`);
      if (Number(r?.m ?? 0) > cursor) {
        await this.engine.exec(`ALTER TABLE lake_events DELETE WHERE store_id = ${quote(s.id)} AND seq > ${intLiteral(cursor)} SETTINGS mutations_sync = 1`);
      }
    }
  }

  archives(s: EventDataStore): boolean {
    return this.enabled && s.status === 'ENABLED' && s.retentionPeriod > HISTORY_DAYS;
  }

  /** The store's rows for a query (see the file comment). */
  async source(s: EventDataStore, now: number): Promise<string> {
    const scope = this.repo.scope;
    if (!this.archives(s)) return storeSource(s, now, scope);
    const cursor = (await this.repo.cursor(s)) ?? storeStart(s, scope).seq;
    const cutoff = now - s.retentionPeriod * DAY_MS;
    return `(SELECT ${COLUMNS} FROM lake_events WHERE store_id = ${quote(s.id)} AND event_time >= ${intLiteral(cutoff)} AND seq <= ${intLiteral(cursor)}
      UNION ALL SELECT ${COLUMNS} FROM trail_events WHERE ${storeConditions(s, now, scope).join(' AND ')} AND seq > ${intLiteral(cursor)})`;
  }

  /**
   * Runs copies and expiries one at a time: a cursor never moves twice at once, and an expiry never
   * sees rows of a store it does not know yet (copied after it listed the stores).
   */
  private serial(what: string, work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(async () => {
      if (this.enabled) await work();
    });
    this.chain = run.catch((err: unknown) => this.log.error({ err }, `${what} Lake events failed; retrying`));
    return run;
  }

  /** Copies every archiving store's new records. */
  copyAll(now: number): Promise<void> {
    return this.serial('archiving', async () => {
      if (!this.cleaned) {
        await this.cleanUp();
        this.cleaned = true;
      }
      const scope = this.repo.scope;
      const [m] = await this.engine.query<{ m: string | number }>('SELECT max(seq) AS m FROM trail_events');
      const upto = Number(m?.m ?? 0);
      for (const s of this.repo.allStores()) {
        if (!this.archives(s)) continue;
        const cursor = (await this.repo.cursor(s)) ?? storeStart(s, scope).seq;
        if (upto <= cursor) continue;
        await this.engine.exec(`INSERT INTO lake_events (store_id, ${COLUMNS}) SELECT ${quote(s.id)}, ${COLUMNS} FROM trail_events
          WHERE ${storeConditions(s, now, scope).join(' AND ')} AND seq > ${intLiteral(cursor)} AND seq <= ${intLiteral(upto)}`);
        await this.repo.setCursor(s.arn, upto);
      }
    });
  }

  /**
   * Drops archived rows past each store's retention, and every row of stores that no longer exist
   * (whichever node removed them from the metadata store).
   */
  expire(now: number): Promise<void> {
    return this.serial('expiring', () => this.expireNow(now));
  }

  private async expireNow(now: number): Promise<void> {
    const known = new Set(this.repo.allStores().map((s) => s.id));
    const ids = await this.engine.query<{ id: string }>('SELECT DISTINCT store_id AS id FROM lake_events');
    for (const { id } of ids) {
      if (!known.has(id)) await this.engine.exec(`ALTER TABLE lake_events DELETE WHERE store_id = ${quote(id)} SETTINGS mutations_sync = 1`);
    }
    for (const s of this.repo.allStores()) {
      const cutoff = intLiteral(now - s.retentionPeriod * DAY_MS);
      const [old] = await this.engine.query<{ n: string | number }>(`SELECT count() AS n FROM lake_events WHERE store_id = ${quote(s.id)} AND event_time < ${cutoff}`);
      if (Number(old?.n ?? 0) > 0) {
        await this.engine.exec(`ALTER TABLE lake_events DELETE WHERE store_id = ${quote(s.id)} AND event_time < ${cutoff} SETTINGS mutations_sync = 1`);
      }
    }
  }
}
