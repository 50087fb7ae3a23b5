import type { SequenceGenerator } from '../../lib/ids.ts';
import type { LogEventStore } from '../../store/telemetry/log-events.ts';
import type { LogsMetaRepo } from '../../store/meta/logs.ts';
import type { MetricFiltersRepo } from '../../store/meta/metric-filters.ts';
import type { KeyStore } from '../../store/keys/key-store.ts';
import type { IngestHook } from './ingest-hooks.ts';
import type { SubscriptionDeps } from './subscriptions/deps.ts';
import type { LiveTailHub } from './live-tail.ts';
import type { ResourcePolicyRepo } from '../../store/meta/resource-policies.ts';

/** What the Logs handlers need from the outside world; injected so tests can swap pieces. */
export interface LogsDeps {
  meta: LogsMetaRepo;
  metricFilters: MetricFiltersRepo;
  events: LogEventStore;
  seq: SequenceGenerator;
  keys: KeyStore;
  /** Run on every stored batch before PutLogEvents answers (metric filters, EMF, subscriptions). */
  hooks: IngestHook[];
  /** Subscription filters and destinations; their operations answer NotImplemented without it. */
  subscriptions?: SubscriptionDeps;
  /** Lets PutRetentionPolicy trigger an early retention pass. */
  retention?: { kick(): void };
  liveTail: LiveTailHub;
  /** PutResourcePolicy & co.; their operations answer NotImplemented without it. */
  resourcePolicies?: ResourcePolicyRepo;
}
