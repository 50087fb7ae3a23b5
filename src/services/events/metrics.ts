/**
 * EventBridge's metrics in AWS/Events (MatchedEvents, TriggeredRules, Invocations,
 * FailedInvocations, DeadLetterInvocations) on the shared per-minute service metrics. Each count
 * goes to the per-rule (or per-bus) series and to the account-wide series without dimensions.
 */
import type { Scope } from '../../lib/arn.ts';
import type { Logger } from '../../lib/logger.ts';
import { ServiceMetrics } from '../../server/service-metrics.ts';
import type { MetricPoint } from '../../store/telemetry/metric-points.ts';

export const NAMESPACE = 'AWS/Events';
export type EventsMetric = 'MatchedEvents' | 'TriggeredRules' | 'Invocations' | 'FailedInvocations' | 'DeadLetterInvocations';

export class EventsMetrics extends ServiceMetrics {
  constructor(sink: (points: MetricPoint[]) => Promise<void>, now: () => number, log: Logger) {
    super(NAMESPACE, sink, now, log);
  }

  /** `dims` is the specific series ({RuleName} or {EventBusName}); the account-wide one is added. */
  count(s: Scope, metric: EventsMetric, dims: Record<string, string>, n = 1): void {
    for (const d of [dims, {}]) this.observe(s, metric, d, 1, 'None', n);
  }
}
