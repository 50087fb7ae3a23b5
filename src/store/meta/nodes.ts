/**
 * The nodes of a cluster, as each announces itself: one heartbeat row per node id, renewed well
 * inside a lease period (jobs/node-heartbeat.ts) and removed when the node stops cleanly. A row
 * whose heartbeat is older than a lease period belongs to a node that died or lost the store: the
 * health monitor reports it (OSPREY_NODE_LOST). Each beat also copies the names of the leases the
 * node holds at that moment, because by the time the node is found missing its leases have
 * expired and may already be another node's — the row keeps what it held when last seen.
 *
 * Each row also names the node's data directory (`home`: an id drawn once and kept in it). A node
 * starting on a data directory holds its lock, so a row with the same home is a predecessor that
 * was killed: its leases are released at once (`takeOver`) instead of lapsing after a lease period.
 */
import type { Sql } from './sql/types.ts';

export const NODES_SQL = `
  CREATE TABLE cluster_nodes (
    node_id TEXT PRIMARY KEY,
    started_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    leases TEXT NOT NULL DEFAULT '[]'
  ) WITHOUT ROWID;
`;

/** In a data directory: its id among the nodes (a backup leaves it out: a restored copy is a new node). */
export const NODE_HOME_FILE = 'node-home';

/** Core migration 15. */
export const NODES_HOME_SQL = "ALTER TABLE cluster_nodes ADD COLUMN home TEXT NOT NULL DEFAULT '';";

export interface NodeBeat {
  nodeId: string;
  startedAt: number;
  lastSeen: number;
  /** Names of the leases the node held at its last beat (unexpired, owned by it), sorted. */
  leases: string[];
}

interface Row { nodeId: string; startedAt: number; lastSeen: number; leases: string }

export class NodeStore {
  /** `home`: this node's data directory id (rows it writes carry it). */
  constructor(private readonly db: Sql, private readonly home = '') {}

  /** Announces `nodeId` alive at `now`, with the leases it holds now. */
  async beat(nodeId: string, startedAt: number, now: number): Promise<void> {
    const held = await this.db.all<{ name: string }>('SELECT name FROM leases WHERE owner = ? AND expires_at > ? ORDER BY name', [nodeId, now]);
    await this.db.run(
      `INSERT INTO cluster_nodes (node_id, started_at, last_seen, leases, home) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (node_id) DO UPDATE SET last_seen = excluded.last_seen, leases = excluded.leases`,
      [nodeId, startedAt, now, JSON.stringify(held.map((l) => l.name)), this.home]);
  }

  /**
   * Before this node's first beat: the earlier nodes of this data directory are dead (this process
   * holds its lock). Their named leases are released and their rows removed — a restart, not a
   * lost node. Returns their ids.
   */
  async takeOver(self: string): Promise<string[]> {
    if (this.home === '') return [];
    return this.db.transaction(async (tx) => {
      const gone = (await tx.all<{ nodeId: string }>('SELECT node_id AS nodeId FROM cluster_nodes WHERE home = ? AND node_id <> ?', [this.home, self])).map((r) => r.nodeId);
      for (const id of gone) {
        await tx.run('UPDATE leases SET expires_at = 0 WHERE owner = ?', [id]);
        await tx.run('DELETE FROM cluster_nodes WHERE node_id = ?', [id]);
      }
      return gone;
    });
  }

  /** A clean stop: the node is gone on purpose, nothing to report. */
  async remove(nodeId: string): Promise<void> {
    await this.db.run('DELETE FROM cluster_nodes WHERE node_id = ?', [nodeId]);
  }

  /** Every node that announced itself, oldest heartbeat first. */
  async list(): Promise<NodeBeat[]> {
    const rows = await this.db.all<Row>('SELECT node_id AS nodeId, started_at AS startedAt, last_seen AS lastSeen, leases FROM cluster_nodes ORDER BY last_seen, node_id');
    return rows.map((r) => ({ ...r, leases: JSON.parse(r.leases) as string[] }));
  }

  /**
   * Forgets a lost node once its loss is dealt with — only if it has not beaten since `lastSeen`
   * (a node that came back keeps its row). Returns whether the row was removed.
   */
  async forget(nodeId: string, lastSeen: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM cluster_nodes WHERE node_id = ? AND last_seen <= ?', [nodeId, lastSeen])).changes > 0;
  }

  /** SQLite is one process per data directory: rows left there are of processes that are gone. */
  async clear(): Promise<void> {
    await this.db.run('DELETE FROM cluster_nodes');
  }
}
