/**
 * The EMF ingest hook: after PutLogEvents (or the agent listener) stored a batch, the metrics
 * embedded in its EMF events are appended to the metric store before the batch is acknowledged.
 * Every event is looked at, whatever the log group: CloudWatch no longer needs the
 * `x-amzn-logs-format: json/emf` header, and no client here sends it (protocols.md §8).
 */
import type { Logger } from '../../../lib/logger.ts';
import { Distribution, summarize } from '../../../lib/metric-observation.ts';
import type { MetricPoint, MetricPointStore } from '../../../store/telemetry/metric-points.ts';
import type { IngestHook, IngestedBatch } from '../ingest-hooks.ts';
import { parseEmf } from './extract.ts';

/**
 * What CloudWatch publishes about EMF it could not use, per log group: AWS/Logs EMFValidationErrors
 * and EMFParsingErrors (Sum), dimension LogGroupName.
 */
export const EMF_ERROR_NAMESPACE = 'AWS/Logs';

const MINUTE = 60_000;

/** The metric points of a batch's EMF events, plus the per-minute error counts of the bad ones. */
export function emfPointsForBatch(batch: IngestedBatch): MetricPoint[] {
  const points: MetricPoint[] = [];
  const errors = new Map<string, Distribution>();
  const countError = (metricName: string, ts: number): void => {
    const key = `${metricName}\0${ts - (ts % MINUTE)}`;
    let d = errors.get(key);
    if (d === undefined) errors.set(key, (d = new Distribution()));
    d.add(1);
  };
  for (const e of batch.events) {
    const r = parseEmf(e.message, e.ingestionTime);
    if (r.kind === 'none') continue;
    if (r.kind === 'unparseable') {
      countError('EMFParsingErrors', e.timestamp);
      continue;
    }
    if (r.kind === 'invalid') {
      countError('EMFValidationErrors', e.timestamp);
      continue;
    }
    for (const m of r.metrics) {
      points.push({
        account: batch.account,
        region: batch.region,
        namespace: m.namespace,
        metricName: m.metricName,
        dimensions: m.dimensions,
        timestamp: r.timestamp,
        storageResolution: m.storageResolution,
        unit: m.unit,
        ...summarize(m.observation),
      });
    }
  }
  for (const [key, d] of errors) {
    const [metricName, minute] = key.split('\0') as [string, string];
    points.push({
      account: batch.account,
      region: batch.region,
      namespace: EMF_ERROR_NAMESPACE,
      metricName,
      dimensions: { LogGroupName: batch.logGroup },
      timestamp: Number(minute),
      storageResolution: 60,
      unit: 'None',
      ...d.summary(),
    });
  }
  return points;
}

export class EmfIngestHook implements IngestHook {
  readonly name = 'emf';

  constructor(
    private readonly points: Pick<MetricPointStore, 'append'>,
    private readonly log?: Logger,
  ) {}

  async onIngest(batch: IngestedBatch): Promise<void> {
    const points = emfPointsForBatch(batch);
    if (points.length === 0) return;
    this.log?.debug({ logGroup: batch.logGroup, points: points.length }, 'emf metrics extracted');
    // Awaited: the points are durable before the batch is acknowledged.
    await this.points.append(points);
  }
}
