/**
 * X-Ray's segment documents (`trace_segments`): every document PutTraceSegments, the daemon's UDP
 * port or OTLP accepted, as sent (a later complete document and streamed subsegments are merged
 * when the trace is read, src/services/xray/traces/assemble.ts), plus the columns trace queries
 * filter on. Written through an ingest pipeline (store/ingest/): a 200 means the documents are in
 * the write-ahead log; they reach the table in large batches, and every read of the table first
 * waits for what was acknowledged (read-your-writes).
 */
import { createIngestPipeline } from '../ingest/pipeline.ts';
import type { IngestPipeline, IngestPipelineOptions } from '../ingest/types.ts';
import type { SqlEngine } from './engine.ts';
import { RowBinaryHead } from './row-binary-head.ts';
import { TRACE_SEGMENT_COLUMNS, TraceSegmentCodec, unpackDocument } from './trace-segment-codec.ts';
import { hasDocumentsWithoutGraphColumns, serviceGraphRows, type GraphRow } from './trace-graph.ts';
import { setSettledRetention } from './trace-graph-settle.ts';

export interface TraceSegmentRow {
  account: string;
  region: string;
  traceId: string;
  id: string;
  /** '' when the document has none. */
  parentId: string;
  /** `type: "subsegment"` sent on its own. */
  subsegment: boolean;
  inProgress: boolean;
  name: string;
  origin: string;
  /** Epoch seconds (fractions kept). */
  startTime: number;
  /** Epoch seconds; 0 while in progress. */
  endTime: number;
  /** When it was accepted, epoch ms (orders versions of one id; retention). */
  received: number;
  /** The document, JSON — or sealed with `keyId` (X-Ray's KMS encryption config). */
  document: string;
  /** The KMS key ARN the document is sealed with; '' when it is not. */
  keyId: string;
  /** The service-graph columns (services/xray/traces/graph-facts.ts; trace-graph.ts reads them). */
  graph: TraceGraphColumns;
}

/** A possible inferred node: an `aws` / `remote` subsegment of the document. */
export interface TraceGraphCall {
  id: string;
  name: string;
  type: string;
  account: string;
  /** 0 ok, 1 error, 2 throttle, 3 fault. */
  status: number;
  responseTime: number;
  start: number;
  end: number;
}

export interface TraceGraphColumns {
  /** The segment's node; '' for a streamed subsegment. */
  nodeName: string;
  nodeType: string;
  nodeAccount: string;
  status: number;
  responseTime: number;
  /** Ids of the subsegments the document holds (a streamed subsegment: its own id too). */
  owned: readonly string[];
  calls: readonly TraceGraphCall[];
}

export const TRACE_SEGMENTS_TABLE = 'trace_segments';
export { SEALED } from './trace-segment-codec.ts';
/** "X-Ray … retains trace data for 30 days." The default of `xrayRetentionDays` (setRetention). */
export const TRACE_RETENTION_DAYS = 30;

export const TRACE_SEGMENTS_MIGRATION = {
  id: '0013_trace_segments',
  statements: [
    // ORDER BY trace: BatchGetTraces and every summary read whole traces. Time-range reads
    // (GetTraceSummaries, GetServiceGraph) prune by the daily partition and start_time's min/max.
    `CREATE TABLE IF NOT EXISTS ${TRACE_SEGMENTS_TABLE} (
      account LowCardinality(String),
      region LowCardinality(String),
      trace_id String,
      id String,
      parent_id String,
      subsegment UInt8,
      in_progress UInt8,
      name String,
      origin LowCardinality(String),
      start_time Float64,
      end_time Float64,
      received Int64 CODEC(Delta, ZSTD(1)),
      document String CODEC(ZSTD(3)),
      INDEX start_minmax start_time TYPE minmax GRANULARITY 1
    ) ENGINE = MergeTree
    PARTITION BY intDiv(received, 86400000)
    ORDER BY (account, region, trace_id, id, received)
    TTL toDateTime(intDiv(received, 1000)) + INTERVAL ${TRACE_RETENTION_DAYS} DAY
    SETTINGS ttl_only_drop_parts = 1`,
  ],
} as const;

/**
 * The service-graph columns (0014). Rows stored before it have `graph_facts` 0:
 * GetServiceGraph over a range holding any of them assembles traces in memory instead
 * (trace-graph.ts).
 */
export const TRACE_GRAPH_MIGRATION = {
  id: '0014_trace_segments_graph',
  statements: [
    `ALTER TABLE ${TRACE_SEGMENTS_TABLE}
      ADD COLUMN IF NOT EXISTS graph_facts UInt8 DEFAULT 0,
      ADD COLUMN IF NOT EXISTS node_name String DEFAULT '',
      ADD COLUMN IF NOT EXISTS node_type LowCardinality(String) DEFAULT '',
      ADD COLUMN IF NOT EXISTS node_account String DEFAULT '',
      ADD COLUMN IF NOT EXISTS status UInt8 DEFAULT 0,
      ADD COLUMN IF NOT EXISTS response_time Float64 DEFAULT 0,
      ADD COLUMN IF NOT EXISTS owned Array(String),
      ADD COLUMN IF NOT EXISTS call_ids Array(String),
      ADD COLUMN IF NOT EXISTS call_names Array(String),
      ADD COLUMN IF NOT EXISTS call_types Array(LowCardinality(String)),
      ADD COLUMN IF NOT EXISTS call_accounts Array(String),
      ADD COLUMN IF NOT EXISTS call_status Array(UInt8),
      ADD COLUMN IF NOT EXISTS call_rt Array(Float64),
      ADD COLUMN IF NOT EXISTS call_start Array(Float64),
      ADD COLUMN IF NOT EXISTS call_end Array(Float64)`,
  ],
} as const;


export interface StoredSegment {
  traceId: string;
  received: number;
  document: string;
  /** '' unless the document is sealed with this KMS key ARN. */
  keyId: string;
}

/**
 * Exactly-once batch inserts on WAL replay (the batch's token, ingest/types.ts): the table keeps
 * the hashes of its last inserted blocks, as log_events does (log-head.ts).
 */
export const TRACE_SEGMENTS_DEDUP_MIGRATION = {
  id: '0019_trace_segments_dedup_window',
  statements: [`ALTER TABLE ${TRACE_SEGMENTS_TABLE} MODIFY SETTING non_replicated_deduplication_window = 1000`],
};

/** The trace ingest pipeline over the raw engine (a flush must not wait for reads that wait for it). */
export function createTraceSegmentPipeline(raw: SqlEngine, opts: IngestPipelineOptions): Promise<IngestPipeline<TraceSegmentRow>> {
  const codec = new TraceSegmentCodec();
  return createIngestPipeline(codec, new RowBinaryHead(raw, codec, TRACE_SEGMENTS_TABLE, TRACE_SEGMENT_COLUMNS), opts);
}

export class TraceSegmentStore {
  /** `engine` reads through the pipeline (read-your-writes: a query of the table waits for acknowledged rows). */
  constructor(readonly engine: SqlEngine, private readonly ingest: IngestPipeline<TraceSegmentRow>) {}

  /** Appends in flight: their oldest `received` (the settle pass stays behind it). */
  private readonly unstored = new Map<number, number>();
  private appends = 0;

  async append(rows: readonly TraceSegmentRow[]): Promise<void> {
    const id = ++this.appends;
    let oldest = Infinity;
    for (const r of rows) if (r.received < oldest) oldest = r.received;
    this.unstored.set(id, oldest);
    try {
      await this.ingest.append(rows);
    } finally {
      this.unstored.delete(id);
    }
  }

  /** Epoch ms of the oldest document still being inserted; undefined when none is. */
  oldestUnstored(): number | undefined {
    let oldest: number | undefined;
    for (const r of this.unstored.values()) if (oldest === undefined || r < oldest) oldest = r;
    return oldest;
  }

  /**
   * Traces with a segment starting in [start, end] (epoch seconds), newest first: `limit` of them
   * after skipping `offset`.
   */
  async traceIdsInRange(account: string, region: string, start: number, end: number, limit: number, offset = 0): Promise<string[]> {
    const rows = await this.engine.query<{ trace_id: string }>(
      `SELECT trace_id, max(start_time) AS latest FROM ${TRACE_SEGMENTS_TABLE}
       WHERE account = {account:String} AND region = {region:String}
         AND start_time >= {start:Float64} AND start_time <= {end:Float64}
       GROUP BY trace_id ORDER BY latest DESC, trace_id LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      { account, region, start, end, limit, offset },
    );
    return rows.map((r) => r.trace_id);
  }

  /** Every stored document of these traces, oldest first. */
  async segmentsOf(account: string, region: string, traceIds: readonly string[]): Promise<StoredSegment[]> {
    if (traceIds.length === 0) return [];
    const rows = await this.engine.query<{ trace_id: string; received: string | number; document: string }>(
      `SELECT trace_id, received, document FROM ${TRACE_SEGMENTS_TABLE}
       WHERE account = {account:String} AND region = {region:String} AND trace_id IN {ids:Array(String)}
       ORDER BY received, id`,
      { account, region, ids: [...traceIds] },
    );
    return rows.map((r) => ({ traceId: r.trace_id, received: Number(r.received), ...unpackDocument(r.document) }));
  }

  /**
   * Keeps trace data `days` days (the table's TTL; whole parts go once all their rows expired, so
   * within a day of that). Existing parts are not rewritten: merges and drops apply the new TTL.
   */
  async setRetention(days: number): Promise<void> {
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`retention must be a positive number of days, got ${days}`);
    await setSettledRetention(this.engine, days);
    const [row] = await this.engine.query<{ engine_full: string }>(`SELECT engine_full FROM system.tables WHERE database = currentDatabase() AND name = '${TRACE_SEGMENTS_TABLE}'`);
    if (row?.engine_full.includes(`toIntervalDay(${days})`)) return;
    await this.engine.exec(`ALTER TABLE ${TRACE_SEGMENTS_TABLE} MODIFY TTL toDateTime(intDiv(received, 1000)) + INTERVAL ${days} DAY SETTINGS materialize_ttl_after_modify = 0`);
  }

  /** The service graph of the traces with a segment starting in [start, end] (trace-graph.ts), per `period` if given. */
  serviceGraph(scope: { account: string; region: string }, start: number, end: number, period?: number): Promise<GraphRow[]> {
    return serviceGraphRows(this.engine, scope, start, end, period);
  }

  /** Whether those traces hold documents stored before the graph columns existed. */
  hasDocumentsWithoutGraphColumns(scope: { account: string; region: string }, start: number, end: number): Promise<boolean> {
    return hasDocumentsWithoutGraphColumns(this.engine, scope, start, end);
  }

  close(): Promise<void> {
    return this.ingest.close();
  }
}
