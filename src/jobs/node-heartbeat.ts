/**
 * This node's heartbeat in the metadata store (store/meta/nodes.ts): a beat at start, then three
 * per lease period — as often as leased work renews, so a node that still renews its leases is
 * never taken for lost (a lost node is one whose beat is older than a lease period). A clean stop
 * removes the row; a node killed or cut off from the store leaves it behind, and the health
 * monitor reports it (OSPREY_NODE_LOST).
 */
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { NodeStore } from '../store/meta/nodes.ts';
import { PeriodicTask } from './periodic-task.ts';

export interface NodeHeartbeatOptions {
  nodeId: string;
  nodes: NodeStore;
  clock: Clock;
  log: Logger;
  leaseMs: number;
}

export function nodeHeartbeat(o: NodeHeartbeatOptions): { name: string; start(): Promise<void>; stop(): Promise<void> } {
  const startedAt = o.clock.now();
  const task = new PeriodicTask('node-heartbeat', Math.floor(o.leaseMs / 3), () => o.nodes.beat(o.nodeId, startedAt, o.clock.now()), o.log);
  return {
    name: 'node-heartbeat',
    async start() {
      // Awaited: the node is announced before any of its jobs takes a lease.
      await task.runNow();
      task.start();
    },
    async stop() {
      await task.stop();
      await o.nodes.remove(o.nodeId).catch((err: unknown) => o.log.warn({ err }, 'could not remove this node\'s heartbeat; it will be reported lost'));
    },
  };
}
