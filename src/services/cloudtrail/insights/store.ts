/** Open Insights events in the metadata store (see schema.ts for why a record is pending here first). */
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { Baseline } from './decide.ts';
import type { CloudTrailRecord } from '../record/types.ts';
import type { InsightType, SeriesKey, SourceCategory } from './record.ts';

export interface OpenInsight {
  key: SeriesKey;
  sharedEventID: string;
  state: 'open' | 'ended';
  /** Epoch ms: start of the first unusual interval. */
  startedAt: number;
  /** Start (epoch ms) of the last interval counted in. */
  lastInterval: number;
  intervals: number;
  total: number;
  baseline: Baseline;
  /** Epoch ms: where the frozen baseline's window began (it ends at startedAt). */
  baselineStart: number;
  pending?: CloudTrailRecord;
}

interface Raw {
  account: string; region: string; category: SourceCategory; insight_type: InsightType; event_source: string; event_name: string;
  error_code: string; shared_event_id: string; state: 'open' | 'ended'; started_at: number; last_interval: number; intervals: number;
  total: number; baseline_mean: number; baseline_stddev: number; baseline_intervals: number; baseline_start: number; pending: string | null;
}

const fromRaw = (r: Raw): OpenInsight => ({
  key: {
    account: r.account, region: r.region, category: r.category, insightType: r.insight_type,
    eventSource: r.event_source, eventName: r.event_name, errorCode: r.error_code,
  },
  sharedEventID: r.shared_event_id,
  state: r.state,
  startedAt: r.started_at,
  lastInterval: r.last_interval,
  intervals: r.intervals,
  total: r.total,
  baseline: { mean: r.baseline_mean, stddev: r.baseline_stddev, intervals: r.baseline_intervals },
  baselineStart: r.baseline_start,
  ...(r.pending ? { pending: JSON.parse(r.pending) as CloudTrailRecord } : {}),
});

const KEY_WHERE = 'account = ? AND region = ? AND category = ? AND insight_type = ? AND event_source = ? AND event_name = ? AND error_code = ?';
const keyArgs = (k: SeriesKey) => [k.account, k.region, k.category, k.insightType, k.eventSource, k.eventName, k.errorCode];

/** The series identity as one string (maps in the evaluation pass). */
export const seriesId = (k: SeriesKey): string => JSON.stringify(keyArgs(k));

export class OpenInsightsStore {
  constructor(private readonly db: Sql) {}

  async all(): Promise<OpenInsight[]> {
    return (await this.db.all<Raw>(`SELECT * FROM cloudtrail_insights_open
      ORDER BY account, region, category, insight_type, event_source, event_name, error_code`)).map(fromRaw);
  }

  /** Records a new Insights event with its Start record pending. */
  async start(x: Omit<OpenInsight, 'state' | 'pending'>, startRecord: CloudTrailRecord): Promise<void> {
    await this.db.run(`INSERT INTO cloudtrail_insights_open (account, region, category, insight_type, event_source, event_name, error_code,
        shared_event_id, state, started_at, last_interval, intervals, total, baseline_mean, baseline_stddev, baseline_intervals,
        baseline_start, pending) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [...keyArgs(x.key), x.sharedEventID, x.startedAt, x.lastInterval, x.intervals, x.total, x.baseline.mean,
        x.baseline.stddev, x.baseline.intervals, x.baselineStart, JSON.stringify(startRecord)]);
  }

  /** Counts one more unusual interval in (once: an interval already counted is skipped). */
  async extend(k: SeriesKey, interval: number, count: number): Promise<void> {
    await this.db.run(`UPDATE cloudtrail_insights_open SET last_interval = ?, intervals = intervals + 1, total = total + ?
      WHERE ${KEY_WHERE} AND state = 'open' AND last_interval < ?`, [interval, count, ...keyArgs(k), interval]);
  }

  /** Marks the event ended with its End record pending. */
  async end(k: SeriesKey, endRecord: CloudTrailRecord): Promise<void> {
    await this.db.run(`UPDATE cloudtrail_insights_open SET state = 'ended', pending = ? WHERE ${KEY_WHERE}`, [JSON.stringify(endRecord), ...keyArgs(k)]);
  }

  /** The pending record is stored: an open event keeps going, an ended one is done. */
  async stored(k: SeriesKey): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`DELETE FROM cloudtrail_insights_open WHERE ${KEY_WHERE} AND state = 'ended'`, keyArgs(k));
      await tx.run(`UPDATE cloudtrail_insights_open SET pending = NULL WHERE ${KEY_WHERE}`, keyArgs(k));
    });
  }
}
