/**
 * Named leases for background work that must run on one node at a time (alarm evaluation, metric
 * streams, CloudTrail delivery…). A lease has an owner, an expiry and a fencing token: the token
 * grows each time the lease changes hands, so work started under an old token can be told apart
 * from the new holder's (`held` checks it before effects that must not happen twice). A node that
 * dies stops renewing; another takes the lease once it expires — within one lease period.
 * Expiry is judged by each node's clock: nodes need clocks in step to well under a lease period
 * (NTP), as every lease-based scheduler does.
 */
import type { Sql } from './sql/types.ts';

export const LEASES_SQL = `
  CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    token INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) WITHOUT ROWID;
`;

export interface Lease {
  name: string;
  owner: string;
  token: number;
  expiresAt: number;
}

export class LeaseStore {
  constructor(private readonly db: Sql) {}

  /**
   * Takes the lease (free or expired) or renews it (already `owner`'s) until now + ttlMs; the
   * token, or undefined while another owner holds it. Renewal keeps the token; a takeover bumps it.
   */
  async acquire(name: string, owner: string, now: number, ttlMs: number): Promise<number | undefined> {
    const row = await this.db.get<{ token: number }>(
      `INSERT INTO leases (name, owner, token, expires_at) VALUES (?, ?, 1, ?)
       ON CONFLICT (name) DO UPDATE SET
         token = CASE WHEN leases.owner = excluded.owner THEN leases.token ELSE leases.token + 1 END,
         owner = excluded.owner, expires_at = excluded.expires_at
       WHERE leases.owner = excluded.owner OR leases.expires_at <= ?
       RETURNING token`,
      [name, owner, now + ttlMs, now]);
    return row?.token;
  }

  /** Whether `owner` still holds the lease with this token at `now`. */
  async held(name: string, owner: string, token: number, now: number): Promise<boolean> {
    return (await this.db.get('SELECT 1 AS ok FROM leases WHERE name = ? AND owner = ? AND token = ? AND expires_at > ?', [name, owner, token, now])) !== undefined;
  }

  /** Gives the lease up (shutdown), so another node need not wait for it to expire. */
  async release(name: string, owner: string): Promise<void> {
    await this.db.run('UPDATE leases SET expires_at = 0 WHERE name = ? AND owner = ?', [name, owner]);
  }

  async list(): Promise<Lease[]> {
    return this.db.all<Lease>('SELECT name, owner, token, expires_at AS expiresAt FROM leases ORDER BY name');
  }
}
