/**
 * OSPREY_DELIVERY_BACKLOG: an outbox topic (SNS deliveries, subscription filters, EventBridge
 * targets…) whose oldest undelivered row is older than `deliveryBacklogSeconds`: its receivers are
 * down or slow, and the backlog grows. The entity is the topic, never a target: targets are one
 * account's resources, and the incident is shown to the operator's account.
 */
import type { OutboxRepo } from '../../../store/meta/outbox.ts';
import { DELIVERY_BACKLOG } from '../event-types.ts';
import type { Check } from './check.ts';

export function deliveryBacklogCheck(outbox: Pick<OutboxRepo, 'backlog'>, thresholdSeconds: number): Check {
  return {
    name: 'delivery-backlog',
    types: [DELIVERY_BACKLOG],
    async run(now) {
      const { topics } = await outbox.backlog();
      return topics.filter((t) => now - t.oldestCreatedAt > thresholdSeconds * 1000).map((t) => ({
        typeCode: DELIVERY_BACKLOG, entity: `delivery/${t.topic}`,
        description: `${t.pending} ${t.topic} deliveries are pending; the oldest was written ${Math.round((now - t.oldestCreatedAt) / 1000)} s ago, `
          + `over the ${thresholdSeconds} s threshold (health.deliveryBacklogSeconds). Their receivers are unreachable or failing; deliveries are retried with backoff.`,
      }));
    },
  };
}
