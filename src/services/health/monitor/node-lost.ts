/**
 * OSPREY_NODE_LOST: a node of the cluster whose heartbeat (store/meta/nodes.ts) is older than one
 * lease period — killed, crashed, or cut off from the metadata store — without having stopped
 * cleanly (a clean stop removes its row). The entity is `node/<node id>`; the description says
 * when it was last seen and which leases it held then.
 *
 * When it closes: once the cluster has absorbed the loss — every lease the node held at its last
 * beat is held by another node — and at the earliest one lease period after it opened, so that
 * even a node that held nothing is reported. That is what an AWS Health user expects of an issue:
 * open while work is affected, closed when it is no longer (a node id is one process, so the node
 * itself never "comes back" after a kill; replacing it is the operator's business, not a condition
 * to wait for). A lease nobody takes over (the work runs only on that node, `modules`) keeps the
 * incident open. A node that beats again (it was only cut off) closes it at once. The row of a
 * node whose incident closed is forgotten, so the table holds live nodes and open incidents only.
 *
 * Runs on the `health.cluster` lease holder only (module.ts): one node reports each lost node.
 */
import type { Lease, LeaseStore } from '../../../store/meta/leases.ts';
import type { NodeBeat, NodeStore } from '../../../store/meta/nodes.ts';
import { NODE_LOST } from '../event-types.ts';
import type { Check, Condition } from './check.ts';

export interface NodeLostDeps {
  nodes: Pick<NodeStore, 'list' | 'forget'>;
  leases: Pick<LeaseStore, 'list'>;
  leaseMs: number;
  /** This node (never reported by itself: its own store trouble is OSPREY_STORE_UNAVAILABLE). */
  self: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The leases `n` held at its last beat that no other node holds now. */
function notTakenOver(n: NodeBeat, leases: Map<string, Lease>, now: number): string[] {
  return n.leases.filter((name) => {
    const l = leases.get(name);
    return l === undefined || l.owner === n.nodeId || l.expiresAt <= now;
  });
}

function describe(n: NodeBeat, now: number, leaseMs: number): string {
  const held = n.leases.length > 0 ? `It held the leases ${n.leases.join(', ')}; other nodes take them over as they expire.` : 'It held no leases.';
  return `Osprey node ${n.nodeId} (started ${iso(n.startedAt)}) was last seen at ${iso(n.lastSeen)}, ${Math.round((now - n.lastSeen) / 1000)} s ago, `
    + `over the ${leaseMs / 1000} s lease period (leaseMs): it stopped without shutting down or lost the metadata store. ${held} `
    + 'Requests sent to it fail, and telemetry kept only on it cannot be read.';
}

export function nodeLostCheck(d: NodeLostDeps): Check {
  return {
    name: 'node-lost',
    types: [NODE_LOST],
    async run(now) {
      const lost = (await d.nodes.list()).filter((n) => n.nodeId !== d.self && now - n.lastSeen > d.leaseMs);
      if (lost.length === 0) return [];
      const leases = new Map((await d.leases.list()).map((l) => [l.name, l]));
      const out: Condition[] = [];
      for (const n of lost) {
        const resolved = now - n.lastSeen > 2 * d.leaseMs && notTakenOver(n, leases, now).length === 0;
        // Forgotten only if it did not beat meanwhile; either way its condition is over.
        if (resolved) await d.nodes.forget(n.nodeId, n.lastSeen);
        else out.push({ typeCode: NODE_LOST, entity: `node/${n.nodeId}`, description: describe(n, now, d.leaseMs) });
      }
      return out;
    },
  };
}
