/**
 * The Lake archive: `trail_events` keeps 90 days, so a store whose retention is longer copies the
 * records it selects into `lake_events` (store id + the same columns), by `seq > cursor` (the
 * recorder stores records in seq order), and drops them once older than its retention. The cursor
 * lives in SQLite and moves only after the copy; a query reads the archive up to the cursor plus
 * `trail_events` above it, so a record is seen exactly once even while a copy runs. A crash between
 * a copy and its cursor leaves rows above the cursor: they are deleted at start before copying.
 * Runs only where the `lake_events` table exists (LAKE_EVENTS_MIGRATION in the telemetry list);
 * without it stores read `trail_events` alone (at most 90 days).
 */
import type { Logger } from '../../../lib/logger.ts';
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import { intLiteral } from '../../../store/telemetry/sql-literal.ts';
import type { EventDataStore, LakeRepo } from './repo.ts';
import { storeConditions, storeSource } from './source.ts';
import { quote } from './sql/fields.ts';

export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;
const COLUMNS = 'account, region, event_time, seq, event_id, event_category, event_source, event_name, read_only, username, access_key_id, ' +
  'error_code, resource_types, resource_names, record';

export { LAKE_EVENTS_MIGRATION } from '../../../store/telemetry/lake-events.ts';

export class LakeArchive {
  private enabled = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly engine: SqlEngine, private readonly repo: LakeRepo, private readonly log: Pick<Logger, 'warn' | 'error'>) {}

  /** Checks for the table and removes rows a crash left above a cursor. */
  async start(): Promise<void> {
    const [t] = await this.engine.query<{ n: string | number }>("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'lake_events'");
    this.enabled = Number(t?.n ?? 0) > 0;
    if (!this.enabled) {
      this.log.warn({}, 'lake_events is missing: event data stores keep at most 90 days of events');
      return;
    }
    for (const s of this.repo.allStores()) {
      const cursor = await this.repo.cursor(s.arn);
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
    if (!this.archives(s)) return storeSource(s, now);
    const cursor = (await this.repo.cursor(s.arn)) ?? s.startSeq;
    const cutoff = now - s.retentionPeriod * DAY_MS;
    return `(SELECT ${COLUMNS} FROM lake_events WHERE store_id = ${quote(s.id)} AND event_time >= ${intLiteral(cutoff)} AND seq <= ${intLiteral(cursor)}
      UNION ALL SELECT ${COLUMNS} FROM trail_events WHERE ${storeConditions(s, now).join(' AND ')} AND seq > ${intLiteral(cursor)})`;
  }

  /** Copies every archiving store's new records; runs are serialized so a cursor never moves twice at once. */
  copyAll(now: number): Promise<void> {
    const run = this.chain.then(async () => {
      if (!this.enabled) return;
      const [m] = await this.engine.query<{ m: string | number }>('SELECT max(seq) AS m FROM trail_events');
      const upto = Number(m?.m ?? 0);
      for (const s of this.repo.allStores()) {
        if (!this.archives(s)) continue;
        const cursor = (await this.repo.cursor(s.arn)) ?? s.startSeq;
        if (upto <= cursor) continue;
        await this.engine.exec(`INSERT INTO lake_events (store_id, ${COLUMNS}) SELECT ${quote(s.id)}, ${COLUMNS} FROM trail_events
          WHERE ${storeConditions(s, now).join(' AND ')} AND seq > ${intLiteral(cursor)} AND seq <= ${intLiteral(upto)}`);
        await this.repo.setCursor(s.arn, upto);
      }
    });
    this.chain = run.catch((err: unknown) => this.log.error({ err }, 'archiving Lake events failed; retrying'));
    return run;
  }

  /** Drops archived rows past each store's retention, and every row of stores that no longer exist. */
  async expire(now: number, removed: readonly string[]): Promise<void> {
    if (!this.enabled) return;
    for (const id of removed) await this.engine.exec(`ALTER TABLE lake_events DELETE WHERE store_id = ${quote(id)} SETTINGS mutations_sync = 1`);
    for (const s of this.repo.allStores()) {
      const cutoff = intLiteral(now - s.retentionPeriod * DAY_MS);
      const [old] = await this.engine.query<{ n: string | number }>(`SELECT count() AS n FROM lake_events WHERE store_id = ${quote(s.id)} AND event_time < ${cutoff}`);
      if (Number(old?.n ?? 0) > 0) {
        await this.engine.exec(`ALTER TABLE lake_events DELETE WHERE store_id = ${quote(s.id)} AND event_time < ${cutoff} SETTINGS mutations_sync = 1`);
      }
    }
  }
}
