import type { LogsMetaRepo } from '../../../store/meta/logs.ts';
import type { OutboxRepo } from '../../../store/meta/outbox.ts';
import type { SubscriptionsRepo } from '../../../store/meta/subscriptions.ts';
import type { DeliveryTargets } from './targets.ts';
import type { StreamCalls } from '../../../server/targets/stream-records.ts';

/** What the subscription handlers and the ingest hook need; built once by the Logs module (module.ts). */
export interface SubscriptionDeps {
  /** Log group existence. */
  meta: LogsMetaRepo;
  subs: SubscriptionsRepo;
  /** Control messages are enqueued by PutSubscriptionFilter, data by the ingest hook. */
  outbox: OutboxRepo;
  targets: DeliveryTargets;
  /** Osprey's own Kinesis / Firehose (stream ARNs not mapped in `streams`). */
  streams: StreamCalls;
}
