/**
 * CloudWatch dashboards (PutDashboard and friends), in the `dashboards` table. Dashboards are global
 * per account in AWS (no region in the key or the ARN). Async signatures so a PostgreSQL
 * implementation can stand in.
 */
import { startsWith } from './prefix.ts';
import type { Db } from './db.ts';

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

export class SqliteDashboardRepo implements DashboardRepo {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      upsert: db.prepare(`INSERT INTO dashboards (account, name, body, last_modified, size)
        VALUES (@account, @name, @body, @lastModified, @size)
        ON CONFLICT (account, name) DO UPDATE SET
          body = excluded.body, last_modified = excluded.last_modified, size = excluded.size`),
      get: db.prepare('SELECT * FROM dashboards WHERE account = ? AND name = ?'),
      exists: db.prepare('SELECT 1 FROM dashboards WHERE account = ? AND name = ?'),
      delete: db.prepare('DELETE FROM dashboards WHERE account = ? AND name = ?'),
    };
  }

  async put(d: DashboardRecord): Promise<void> {
    this.stmts.upsert.run(d);
  }

  async get(account: string, name: string): Promise<DashboardRecord | undefined> {
    const r = this.stmts.get.get(account, name) as Row | undefined;
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
    const rows = this.db
      .prepare(`SELECT account, name, last_modified, size FROM dashboards WHERE ${where.join(' AND ')} ORDER BY name LIMIT @limit`)
      .all(params) as Omit<Row, 'body'>[];
    return rows.map(toEntry);
  }

  async deleteAll(account: string, names: string[]): Promise<string[]> {
    // Check and delete in one transaction so a concurrent delete cannot turn "all" into "some".
    return this.db.transaction(() => {
      const missing = names.filter((n) => this.stmts.exists.get(account, n) === undefined);
      if (missing.length === 0) for (const n of names) this.stmts.delete.run(account, n);
      return missing;
    })();
  }
}
