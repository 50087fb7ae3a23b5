/**
 * EventBridge's metrics in AWS/Events (MatchedEvents, TriggeredRules, Invocations,
 * FailedInvocations, DeadLetterInvocations), counted per minute and written to the metric store
 * every few seconds, so users can graph and alarm on them like on AWS. Each count goes to the
 * per-rule (or per-bus) series and to the account-wide series without dimensions.
 */
import type { Scope } from '../../lib/arn.ts';
import type { Logger } from '../../lib/logger.ts';
import type { MetricPoint } from '../../store/telemetry/metric-points.ts';

export const NAMESPACE = 'AWS/Events';
export type EventsMetric = 'MatchedEvents' | 'TriggeredRules' | 'Invocations' | 'FailedInvocations' | 'DeadLetterInvocations';

const MINUTE = 60_000;

export class EventsMetrics {
  private counts = new Map<string, { s: Scope; metric: EventsMetric; dims: Record<string, string>; minute: number; n: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sink: (points: MetricPoint[]) => Promise<void>,
    private readonly now: () => number,
    private readonly log: Logger,
  ) {}

  /** `dims` is the specific series ({RuleName} or {EventBusName}); the account-wide one is added. */
  count(s: Scope, metric: EventsMetric, dims: Record<string, string>, n = 1): void {
    if (n <= 0) return;
    const minute = Math.floor(this.now() / MINUTE) * MINUTE;
    for (const d of [dims, {}]) {
      const key = [s.account, s.region, metric, JSON.stringify(d), minute].join('\u0000');
      const c = this.counts.get(key);
      if (c) c.n += n;
      else this.counts.set(key, { s, metric, dims: d, minute, n });
    }
  }

  async flush(): Promise<void> {
    if (this.counts.size === 0) return;
    const batch = [...this.counts.values()];
    this.counts = new Map();
    const points: MetricPoint[] = batch.map((c) => ({
      account: c.s.account, region: c.s.region, namespace: NAMESPACE, metricName: c.metric, dimensions: c.dims, timestamp: c.minute,
      storageResolution: 60, unit: 'None', sampleCount: c.n, sum: c.n, min: 1, max: 1, values: [1], counts: [c.n],
    }));
    try {
      await this.sink(points);
    } catch (err) {
      this.log.error({ err, points: points.length }, 'events: could not write AWS/Events metrics');
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
