/**
 * The metrics AWS services publish about themselves (AWS/Events, AWS/Firehose…): observations are
 * summed per series and minute in memory and written to the metric store every few seconds, so
 * users graph and alarm on them as on AWS. A series' minute is one stored point (sample count,
 * sum, min, max and the distribution of the observed values).
 */
import type { Scope } from '../lib/arn.ts';
import type { Logger } from '../lib/logger.ts';
import type { MetricPoint } from '../store/telemetry/metric-points.ts';

const MINUTE = 60_000;
/** Distinct values kept per point's distribution; counts past this only feed the summary. */
const MAX_DISTINCT = 64;

interface Summary {
  s: Scope;
  metric: string;
  dims: Record<string, string>;
  unit: string;
  minute: number;
  n: number;
  sum: number;
  min: number;
  max: number;
  values: Map<number, number>;
}

export class ServiceMetrics {
  private series = new Map<string, Summary>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly namespace: string,
    private readonly sink: (points: MetricPoint[]) => Promise<void>,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  /** `n` observations of `value` in one series (a count of 5 is `observe(…, 1, 'Count', 5)`). */
  observe(s: Scope, metric: string, dims: Record<string, string>, value: number, unit = 'None', n = 1): void {
    if (n <= 0 || !Number.isFinite(value)) return;
    const minute = Math.floor(this.now() / MINUTE) * MINUTE;
    const key = [s.account, s.region, metric, JSON.stringify(dims), unit, minute].join('\u0000');
    let c = this.series.get(key);
    if (!c) {
      c = { s, metric, dims, unit, minute, n: 0, sum: 0, min: value, max: value, values: new Map() };
      this.series.set(key, c);
    }
    c.n += n;
    c.sum += value * n;
    c.min = Math.min(c.min, value);
    c.max = Math.max(c.max, value);
    if (c.values.has(value) || c.values.size < MAX_DISTINCT) c.values.set(value, (c.values.get(value) ?? 0) + n);
  }

  async flush(): Promise<void> {
    if (this.series.size === 0) return;
    const batch = [...this.series.values()];
    this.series = new Map();
    const points: MetricPoint[] = batch.map((c) => ({
      account: c.s.account, region: c.s.region, namespace: this.namespace, metricName: c.metric, dimensions: c.dims, timestamp: c.minute,
      storageResolution: 60, unit: c.unit, sampleCount: c.n, sum: c.sum, min: c.min, max: c.max,
      values: [...c.values.keys()], counts: [...c.values.values()],
    }));
    try {
      await this.sink(points);
    } catch (err) {
      this.log.error({ err, points: points.length, namespace: this.namespace }, 'could not write service metrics');
    }
  }

  start(everyMs: number): void {
    this.timer = setInterval(() => void this.flush(), everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
