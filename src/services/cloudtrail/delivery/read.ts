/**
 * Reads the records a trail has not delivered yet: `seq > cursor` in the trail's account (its home
 * region, or every region for a multi-region trail), made while it logged, in seq order, one batch
 * at a time. What SQL can decide cheaply (scope, time, event category) is filtered there; the
 * selectors' finer rules (read-only, data resources, advanced fields) through `trailSelects`.
 */
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import type { CloudTrailRecord } from '../record/types.ts';
import { trailSelects } from '../trails/selectors.ts';
import type { Trail } from '../trails/types.ts';
import type { LoggingWindow } from './window.ts';

/** AWS writes at most this many records per log file; a batch is one file per region. */
export const BATCH_RECORDS = 1000;

export interface PendingRecord {
  seq: number;
  /** Epoch ms. */
  eventTime: number;
  region: string;
  category: string;
  /** The record's JSON exactly as stored (what AWS writes to log groups and files). */
  json: string;
  record: CloudTrailRecord;
}

export interface PendingBatch {
  /** The records the trail selects, in seq order. */
  records: PendingRecord[];
  /** The highest seq read (selected or not): the cursor once the batch is delivered; undefined when nothing was read. */
  lastSeq: number | undefined;
  /** Whether the batch was cut at the limit (more may follow). */
  full: boolean;
}

/** The event categories a trail can select at all (the rest are skipped in SQL). */
export function candidateCategories(trail: Pick<Trail, 'eventSelectors' | 'advancedEventSelectors' | 'insightSelectors'>): string[] {
  const cats = ['Management'];
  const data = trail.advancedEventSelectors !== undefined || (trail.eventSelectors ?? []).some((s) => (s.DataResources ?? []).length > 0);
  if (data) cats.push('Data');
  if (trail.insightSelectors.length > 0) cats.push('Insight');
  return cats;
}

/**
 * How long after its eventTime a record can be appended. A record's seq is at least the wall clock
 * in µs when it was appended, and the call it records started before that, so a record past the
 * cursor has eventTime > cursor / 1000 − (call duration, clock steps back). This bounds the read
 * by the table's sort key (event_time) instead of scanning every row since StartLogging each pass.
 */
export const MAX_RECORD_DELAY_MS = 24 * 3600 * 1000;

interface Row { seq: string | number; event_time: string | number; region: string; event_category: string; record: string }

export async function readPending(engine: Pick<SqlEngine, 'query'>, trail: Trail, cursor: number, window: LoggingWindow, limit = BATCH_RECORDS): Promise<PendingBatch> {
  const rows = await engine.query<Row>(
    `SELECT seq, event_time, region, event_category, record FROM trail_events
     WHERE account = {account:String} ${trail.isMultiRegionTrail ? '' : 'AND region = {region:String}'}
       AND event_time >= {from:Int64} AND event_time <= {to:Int64} AND seq > {cursor:UInt64}
       AND event_category IN {cats:Array(String)}
     ORDER BY seq LIMIT {limit:UInt32}`,
    { account: trail.account, region: trail.region, from: Math.max(window.from, Math.floor(cursor / 1000) - MAX_RECORD_DELAY_MS), to: window.to, cursor, cats: candidateCategories(trail), limit },
  );
  const records: PendingRecord[] = [];
  for (const r of rows) {
    const record = JSON.parse(r.record) as CloudTrailRecord;
    if (!trailSelects(trail, record)) continue;
    records.push({ seq: Number(r.seq), eventTime: Number(r.event_time), region: r.region, category: r.event_category, json: r.record, record });
  }
  const last = rows.at(-1);
  return { records, lastSeq: last === undefined ? undefined : Number(last.seq), full: rows.length >= limit };
}
