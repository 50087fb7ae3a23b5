/**
 * The 1 min tier without repeated values (migrations 0021/0022).
 *
 * Why: most series publish one value a minute, so most 1 min rows summarise one value, and their
 * min, max and sketch repeat their sum — on the peers workload (1,000 series × 1,440 one-minute
 * values) sum, min and max took 2.75 bytes per sample each and the sketch 1.23, 10.5 of the ~16.4
 * bytes per sample of all tiers. ZSTD compresses each column on its own, so the repeats cost full
 * price. The head now writes such rows with NaN in min and max and an empty sketch (a constant
 * column: ~0 bytes), and readers take all three from `sum` (the SQL below). CloudWatch refuses NaN
 * values, so NaN can only mean "one value".
 *
 * An AggregatingMergeTree cannot hold that encoding (a merge would take min(NaN, x) and drop the
 * one value's sketch key), so the tier becomes a plain MergeTree: partial rows of one minute
 * written by different flushes stay separate, and readers already aggregate every bucket (they
 * always did: merges run whenever they run). A series sending every few seconds keeps a few
 * one-value rows a minute instead of one merged row — about the size of the merged row.
 *
 * 0021 copies the old tier's rows as they are (their min/max are real values, which the readers'
 * SQL reads unchanged) into a new table, re-runnable from the start after a crash; 0022 drops the
 * old table once 0021 is recorded (as 0007/0008 did).
 */
import { MINUTE_TIER_TABLE, ROLLUP_TIERS, ttl, type RollupTier } from './metric-rollups.ts';
import { sketchKeySql } from './metric-sketch.ts';

const DAY = 86_400_000;
const OLD_TABLE = 'metric_tier_1m';
const COLUMNS = 'series, unit, ts, sample_count, sum, min, max, dist_count, sketch';

export const MINUTE_TIER_MIGRATION = {
  id: '0021_metric_minute_tier_plain',
  statements: [
    `CREATE TABLE IF NOT EXISTS ${MINUTE_TIER_TABLE} (
        series UInt64 CODEC(Delta, ZSTD(1)),
        unit LowCardinality(String),
        ts Int64 CODEC(Delta, ZSTD(1)),
        sample_count Float64 CODEC(ZSTD(1)),
        sum Float64 CODEC(ZSTD(1)),
        min Float64 CODEC(ZSTD(1)),
        max Float64 CODEC(ZSTD(1)),
        dist_count Float64 CODEC(ZSTD(1)),
        sketch Tuple(Array(Int32), Array(Float64)) CODEC(ZSTD(3))
      ) ENGINE = MergeTree
      PARTITION BY intDiv(ts, ${DAY})
      ORDER BY (series, unit, ts)
      ${ttl(ROLLUP_TIERS[0]!.retentionMs)}
      SETTINGS ttl_only_drop_parts = 1, non_replicated_deduplication_window = 1000`,
    `TRUNCATE TABLE ${MINUTE_TIER_TABLE}`,
    `INSERT INTO ${MINUTE_TIER_TABLE} (${COLUMNS}) SELECT ${COLUMNS} FROM ${OLD_TABLE}`,
  ],
};

export const DROP_OLD_MINUTE_TIER_MIGRATION = {
  id: '0022_drop_old_metric_minute_tier',
  statements: [`DROP TABLE IF EXISTS ${OLD_TABLE}`],
};

/** A tier row's statistics and sketch as SQL over its stored columns (one-value rows resolved from `sum`). */
export interface TierColumnsSql { min: string; max: string; sketch: string }

const PLAIN: TierColumnsSql = { min: 'min', max: 'max', sketch: 'sketch' };
const SINGLES: TierColumnsSql = {
  min: 'if(isNaN(min), sum, min)',
  max: 'if(isNaN(max), sum, max)',
  sketch: `if(isNaN(min), tuple([${sketchKeySql('sum')}], [toFloat64(1)]), sketch)`,
};

export const tierColumnsSql = (t: Pick<RollupTier, 'elidesSingles'>): TierColumnsSql => (t.elidesSingles ? SINGLES : PLAIN);
