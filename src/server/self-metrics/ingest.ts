/**
 * The telemetry write path: rows and bytes acknowledged per table, flush (insert) latency and
 * failures as they happen (the pipelines' IngestObserver), and the WAL and head levels read from
 * the pipelines' in-memory counters at each sample — no query against the engine.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { IngestObserver } from '../../store/ingest/types.ts';
import type { IngestTable, Telemetry } from '../../store/telemetry/index.ts';
import type { CloudSink } from './cloud-sink.ts';
import type { SelfMetricSource } from './source.ts';

/** Seconds; a flush is one large insert (100 ms – seconds on chDB). */
const FLUSH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Level = 'walBytes' | 'walSegments' | 'headRows' | 'headBytes';
const LEVELS: readonly { key: Level; prom: string; help: string; cloud: string; unit: 'Bytes' | 'Count' }[] = [
  { key: 'walBytes', prom: 'osprey_wal_bytes', help: 'Bytes in the write-ahead log segment files', cloud: 'WalBytes', unit: 'Bytes' },
  { key: 'walSegments', prom: 'osprey_wal_segments', help: 'Write-ahead log segment files', cloud: 'WalSegments', unit: 'Count' },
  { key: 'headRows', prom: 'osprey_ingest_head_rows', help: 'Acknowledged rows in memory, not yet inserted into the engine', cloud: 'HeadRows', unit: 'Count' },
  { key: 'headBytes', prom: 'osprey_ingest_head_bytes', help: 'Memory held by acknowledged rows not yet inserted (flushing included)', cloud: 'HeadBytes', unit: 'Bytes' },
];

export class IngestMetrics implements SelfMetricSource {
  private readonly rows: Counter<'table'>;
  private readonly bytes: Counter<'table'>;
  private readonly flushes: Histogram<'table' | 'outcome'>;
  private readonly gauges: Map<Level, Gauge<'table'>>;
  private telemetry: Telemetry | undefined;
  private last: Partial<Record<IngestTable, Record<Level, number>>> = {};

  constructor(registry: Registry, private readonly cloud: CloudSink) {
    const registers = [registry];
    this.rows = new Counter({ name: 'osprey_ingest_rows_total', help: 'Rows acknowledged (durable in the WAL), by table', labelNames: ['table'], registers });
    this.bytes = new Counter({ name: 'osprey_ingest_bytes_total', help: 'Encoded WAL bytes of acknowledged rows, by table', labelNames: ['table'], registers });
    this.flushes = new Histogram({
      name: 'osprey_ingest_flush_duration_seconds', help: 'Inserts of a head batch into the engine (outcome ok or error)',
      labelNames: ['table', 'outcome'], buckets: FLUSH_BUCKETS, registers,
    });
    this.gauges = new Map(LEVELS.map((l) => [l.key, new Gauge({ name: l.prom, help: l.help, labelNames: ['table'], registers })]));
  }

  /** The observer one table's pipeline reports to (given to openTelemetry before the store exists). */
  observer(table: IngestTable): IngestObserver {
    const rows = this.rows.labels(table);
    const bytes = this.bytes.labels(table);
    const dims = { Table: table };
    return {
      appended: (n, b) => {
        rows.inc(n);
        bytes.inc(b);
        this.cloud.observe('IngestRows', dims, n, 'Count');
        this.cloud.observe('IngestBytes', dims, b, 'Bytes');
      },
      flushed: (n, seconds, ok) => {
        this.flushes.observe({ table, outcome: ok ? 'ok' : 'error' }, seconds);
        this.cloud.observe(ok ? 'IngestFlushLatency' : 'IngestFlushFailures', dims, ok ? seconds * 1000 : 1, ok ? 'Milliseconds' : 'Count');
      },
    };
  }

  attach(telemetry: Telemetry): void {
    this.telemetry = telemetry;
  }

  async sample(): Promise<void> {
    if (!this.telemetry) return;
    const stats = this.telemetry.ingestStats();
    for (const [table, s] of Object.entries(stats) as [IngestTable, (typeof stats)[IngestTable]][]) {
      for (const l of LEVELS) this.gauges.get(l.key)!.set({ table }, s[l.key]);
      this.last[table] = { walBytes: s.walBytes, walSegments: s.walSegments, headRows: s.headRows, headBytes: s.headBytes };
    }
  }

  publish(cloud: CloudSink): void {
    for (const [table, v] of Object.entries(this.last)) {
      for (const l of LEVELS) cloud.observe(l.cloud, { Table: table }, v[l.key], l.unit);
    }
  }
}
