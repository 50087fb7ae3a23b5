/**
 * The metric-filter ingest hook: each stored batch goes through its log group's metric filters (the
 * new events only), and the resulting points are appended to the metric store before the batch is
 * acknowledged.
 */
import type { Logger } from '../../../lib/logger.ts';
import type { MetricFiltersRepo } from '../../../store/meta/metric-filters.ts';
import type { MetricPointStore } from '../../../store/telemetry/metric-points.ts';
import type { IngestHook, IngestedBatch } from '../ingest-hooks.ts';
import { compileMetricFilter, metricPointsForBatch, type CompiledMetricFilter } from './apply.ts';

export class MetricFilterIngestHook implements IngestHook {
  readonly name = 'metric-filters';

  constructor(
    private readonly filters: Pick<MetricFiltersRepo, 'listForGroup'>,
    private readonly points: Pick<MetricPointStore, 'append'>,
    private readonly log?: Logger,
  ) {}

  async onIngest(batch: IngestedBatch): Promise<void> {
    // One indexed metadata read per batch; compiled patterns are cached by text.
    const records = await this.filters.listForGroup({ account: batch.account, region: batch.region, name: batch.logGroup });
    if (records.length === 0) return;
    const compiled: CompiledMetricFilter[] = [];
    for (const r of records) {
      try {
        compiled.push(compileMetricFilter(r));
      } catch (err) {
        // Only possible for a filter stored before a parser change: skip it, keep the others.
        this.log?.warn({ err, logGroup: batch.logGroup, filterName: r.name }, 'metric filter pattern no longer parses; skipped');
      }
    }
    const points = metricPointsForBatch(compiled, batch);
    // Awaited: the points are durable before the batch is acknowledged.
    if (points.length > 0) await this.points.append(points);
  }
}
