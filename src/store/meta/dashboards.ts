/**
 * CloudWatch dashboards (PutDashboard and friends), in the `dashboards` table. Dashboards are global
 * per account in AWS (no region in the key or the ARN).
 */
import { startsWith } from './prefix.ts';
import { inList } from './sql/in-list.ts';
import { forUpdate } from './sql/locking.ts';
import type { Sql } from './sql/types.ts';

export interface DashboardRecord {
  account: string;
  name: string;
  /** Stored exactly as PutDashboard received it: GetDashboard hands back the same bytes. */
  body: string;
  /** Epoch ms. */
  lastModified: number;
  /** Byte length of the UTF-8 body (ListDashboards' Size). */
  size: number;
}

/** A listing row: everything but the body, which can be large. */
export type DashboardEntryRecord = Omit<DashboardRecord, 'body'>;

export interface ListDashboardsQuery {
  account: string;
  /** Case-sensitive name prefix. */
  prefix?: string;
  /** Exclusive lower bound on the name (pagination). */
  after?: string;
  limit: number;
}

export interface DashboardRepo {
  /** Creates or replaces by (account, name). */
  put(d: DashboardRecord): Promise<void>;
  get(account: string, name: string): Promise<DashboardRecord | undefined>;
  /** Sorted by name in byte order. */
  list(q: ListDashboardsQuery): Promise<DashboardEntryRecord[]>;
  /**
   * All-or-nothing, as DeleteDashboards is: if any name is missing nothing is deleted and the
   * missing names are returned (in request order); otherwise every one is deleted and [] returned.
   */
  deleteAll(account: string, names: string[]): Promise<string[]>;
}

/**
 * The metadata migration that creates the table (appended to store/meta/migrations.ts). Kept here so
 * tests can set up a database that was migrated without it.
 */
export const DASHBOARDS_SQL = `
  CREATE TABLE dashboards (
    account TEXT NOT NULL,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    last_modified INTEGER NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (account, name)
  ) WITHOUT ROWID;
`;

interface Row {
  account: string;
  name: string;
  body: string;
  last_modified: number;
  size: number;
}

const toEntry = (r: Omit<Row, 'body'>): DashboardEntryRecord => ({
  account: r.account,
  name: r.name,
  lastModified: r.last_modified,
  size: r.size,
});

export class DashboardStore implements DashboardRepo {
  constructor(private readonly db: Sql) {}

  async put(d: DashboardRecord): Promise<void> {
    await this.db.run(`INSERT INTO dashboards (account, name, body, last_modified, size)
      VALUES (@account, @name, @body, @lastModified, @size)
      ON CONFLICT (account, name) DO UPDATE SET
        body = excluded.body, last_modified = excluded.last_modified, size = excluded.size`,
    { account: d.account, name: d.name, body: d.body, lastModified: d.lastModified, size: d.size });
  }

  async get(account: string, name: string): Promise<DashboardRecord | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM dashboards WHERE account = ? AND name = ?', [account, name]);
    return r && { ...toEntry(r), body: r.body };
  }

  async list(q: ListDashboardsQuery): Promise<DashboardEntryRecord[]> {
    const where = ['account = @account'];
    const params: Record<string, unknown> = { account: q.account, limit: q.limit };
    if (q.prefix !== undefined) where.push(startsWith('name', q.prefix, params));
    if (q.after !== undefined) {
      where.push('name > @after');
      params.after = q.after;
    }
    const rows = await this.db.all<Omit<Row, 'body'>>(
      `SELECT account, name, last_modified, size FROM dashboards WHERE ${where.join(' AND ')} ORDER BY name LIMIT @limit`, params);
    return rows.map(toEntry);
  }

  async deleteAll(account: string, names: string[]): Promise<string[]> {
    // Check and delete in one transaction, the rows locked, so a concurrent delete cannot turn "all" into "some".
    return this.db.transaction(async (tx) => {
      const l = inList(names);
      const found = new Set((await tx.all<{ name: string }>(`SELECT name FROM dashboards WHERE account = ? AND name IN ${l.sql}${forUpdate(tx)}`,
        [account, ...l.params])).map((r) => r.name));
      const missing = names.filter((n) => !found.has(n));
      if (missing.length === 0 && names.length > 0) await tx.run(`DELETE FROM dashboards WHERE account = ? AND name IN ${l.sql}`, [account, ...l.params]);
      return missing;
    });
  }
}
