/**
 * The telemetry engine's storage: active parts per table and merges running, from ClickHouse's
 * system.parts and system.merges. Measured on chDB: ~10 ms per read (60 ms the first time), and
 * reads on the embedded engine run one at a time — so it is refreshed at most every
 * REFRESH_MS, however often Prometheus scrapes.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../lib/logger.ts';
import type { SqlEngine } from '../../store/telemetry/index.ts';
import type { CloudSink } from './cloud-sink.ts';
import type { SelfMetricSource } from './source.ts';

const REFRESH_MS = 30_000;

export class MergeMetrics implements SelfMetricSource {
  private readonly parts: Gauge<'table'>;
  private readonly merges: Gauge;
  private readAt = -Infinity;
  private last: { parts: { table: string; parts: number }[]; merges: number } | undefined;

  constructor(registry: Registry, private readonly engine: SqlEngine, private readonly log: Logger) {
    const registers = [registry];
    this.parts = new Gauge({ name: 'osprey_telemetry_parts', help: 'Active data parts per telemetry table (many small parts = merges falling behind)', labelNames: ['table'], registers });
    this.merges = new Gauge({ name: 'osprey_telemetry_merges_active', help: 'Merges the telemetry engine is running', registers });
  }

  async sample(): Promise<void> {
    if (performance.now() - this.readAt < REFRESH_MS) return;
    this.readAt = performance.now();
    try {
      const [parts, merges] = await Promise.all([
        this.engine.query<{ table: string; parts: string }>(
          'SELECT table, count() AS parts FROM system.parts WHERE active AND database = currentDatabase() GROUP BY table ORDER BY table'),
        this.engine.query<{ merges: string }>('SELECT count() AS merges FROM system.merges WHERE database = currentDatabase()'),
      ]);
      this.last = { parts: parts.map((p) => ({ table: p.table, parts: Number(p.parts) })), merges: Number(merges[0]?.merges ?? 0) };
    } catch (err) {
      // Keeps the last figures: a busy or unreachable engine must not fail the scrape.
      this.log.warn({ err }, 'self-monitoring could not read system.parts / system.merges');
      return;
    }
    this.parts.reset();
    for (const p of this.last.parts) this.parts.set({ table: p.table }, p.parts);
    this.merges.set(this.last.merges);
  }

  publish(cloud: CloudSink): void {
    if (!this.last) return;
    cloud.observe('ActiveMerges', {}, this.last.merges, 'Count');
    cloud.observe('MaxTableParts', {}, this.last.parts.reduce((m, p) => Math.max(m, p.parts), 0), 'Count');
  }
}
