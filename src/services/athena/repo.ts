/** Athena's repository: the async interface handlers and the runner use, and its implementation on the metadata store (SQLite or PostgreSQL). */
import type { Scope } from '../../lib/arn.ts';
import type { Sql } from '../../store/meta/sql/types.ts';
import { PreparedStatementStore, type PreparedStatementRepo } from './prepared-statements-repo.ts';
import type { NamedQueryRecord, QueryRecord, WorkGroupRecord } from './types.ts';

export interface AthenaRepo {
  /** The workgroups' prepared statements (prepared-statements-repo.ts). */
  readonly prepared: PreparedStatementRepo;

  workgroup(s: Scope, name: string): Promise<WorkGroupRecord | undefined>;
  /** Workgroups by name, names > `after`. */
  listWorkgroups(s: Scope, q: { after?: string; limit: number }): Promise<WorkGroupRecord[]>;
  /** false when the name is taken. */
  insertWorkgroup(s: Scope, w: WorkGroupRecord): Promise<boolean>;
  updateWorkgroup(s: Scope, w: WorkGroupRecord): Promise<void>;
  /** Deletes the workgroup and its prepared statements, and its queries and named queries when `recursive`. */
  deleteWorkgroup(s: Scope, name: string, recursive: boolean): Promise<void>;
  countWorkgroupItems(s: Scope, name: string): Promise<number>;

  insertQuery(s: Scope, q: QueryRecord): Promise<void>;
  updateQuery(s: Scope, q: QueryRecord): Promise<void>;
  /** QUEUED → RUNNING; false when the query is no longer queued (cancelled meanwhile). */
  claimQuery(s: Scope, id: string, started: number): Promise<boolean>;
  /** QUEUED or RUNNING → CANCELLED; false when it had already finished. */
  cancelQuery(s: Scope, id: string, at: number, reason: string): Promise<boolean>;
  /** Records the outcome of a RUNNING query; false (nothing written) when it was cancelled meanwhile. */
  finishQuery(s: Scope, q: QueryRecord): Promise<boolean>;
  query(s: Scope, id: string): Promise<QueryRecord | undefined>;
  queryByToken(s: Scope, token: string): Promise<QueryRecord | undefined>;
  /** Query ids of a workgroup, newest first; `before` = (submitted, id) of the last one of the previous page. */
  listQueries(s: Scope, workgroup: string, q: { before?: { submitted: number; id: string }; limit: number }): Promise<QueryRecord[]>;
  /** Queued or running queries of the account (all its Regions): the concurrency quota. */
  countActive(account: string): Promise<number>;
  /** Finished queries (every scope) submitted before `before`, oldest first, at most `limit`. */
  expiredQueries(before: number, limit: number): Promise<(QueryRecord & Scope)[]>;
  deleteQuery(s: Scope, id: string): Promise<void>;
  /** Queued or running queries of every scope: after a restart they were cut short. */
  activeQueries(): Promise<(QueryRecord & Scope)[]>;

  insertNamedQuery(s: Scope, n: NamedQueryRecord): Promise<void>;
  updateNamedQuery(s: Scope, n: NamedQueryRecord): Promise<void>;
  namedQuery(s: Scope, id: string): Promise<NamedQueryRecord | undefined>;
  listNamedQueries(s: Scope, workgroup: string, q: { after?: string; limit: number }): Promise<NamedQueryRecord[]>;
  deleteNamedQuery(s: Scope, id: string): Promise<boolean>;
}

interface QueryRow {
  account: string; region: string; id: string; workgroup: string; query: string; statement_type: string; context: string; result_config: string;
  state: string; reason: string | null; error: string | null; submitted: number; started: number | null; completed: number | null;
  bytes_scanned: number | null; result_rows: number | null; client_token: string | null; execution_parameters: string | null;
}
interface WorkgroupRow { name: string; description: string | null; state: string; config: string; created_at: number; tags: string }
interface NamedRow { id: string; name: string; description: string | null; database_name: string; query: string; workgroup: string }

const opt = <T>(v: T | null): T | undefined => v ?? undefined;

function queryOf(r: QueryRow): QueryRecord & Scope {
  return {
    account: r.account, region: r.region, id: r.id, workgroup: r.workgroup, query: r.query, statementType: r.statement_type as QueryRecord['statementType'],
    context: JSON.parse(r.context) as QueryRecord['context'], resultConfig: JSON.parse(r.result_config) as QueryRecord['resultConfig'],
    state: r.state as QueryRecord['state'], reason: opt(r.reason), error: r.error ? (JSON.parse(r.error) as QueryRecord['error']) : undefined,
    submitted: r.submitted, started: opt(r.started), completed: opt(r.completed), bytesScanned: opt(r.bytes_scanned), resultRows: opt(r.result_rows),
    clientToken: opt(r.client_token), executionParameters: r.execution_parameters ? (JSON.parse(r.execution_parameters) as string[]) : undefined,
  };
}

const workgroupOf = (r: WorkgroupRow): WorkGroupRecord => ({
  name: r.name, description: opt(r.description), state: r.state as WorkGroupRecord['state'], config: JSON.parse(r.config) as WorkGroupRecord['config'],
  createdAt: r.created_at, tags: JSON.parse(r.tags) as Record<string, string>,
});

const namedOf = (r: NamedRow): NamedQueryRecord => ({ id: r.id, name: r.name, description: opt(r.description), database: r.database_name, query: r.query, workgroup: r.workgroup });

const queryValues = (q: QueryRecord) => [
  q.workgroup, q.query, q.statementType, JSON.stringify(q.context), JSON.stringify(q.resultConfig), q.state, q.reason ?? null,
  q.error ? JSON.stringify(q.error) : null, q.submitted, q.started ?? null, q.completed ?? null, q.bytesScanned ?? null, q.resultRows ?? null,
];

export class AthenaStore implements AthenaRepo {
  readonly prepared: PreparedStatementRepo;
  constructor(private readonly db: Sql) {
    this.prepared = new PreparedStatementStore(db);
  }

  async workgroup(s: Scope, name: string): Promise<WorkGroupRecord | undefined> {
    const r = await this.db.get<WorkgroupRow>('SELECT * FROM athena_workgroups WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
    return r && workgroupOf(r);
  }

  async listWorkgroups(s: Scope, q: { after?: string; limit: number }): Promise<WorkGroupRecord[]> {
    return ((await this.db.all<WorkgroupRow>('SELECT * FROM athena_workgroups WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?', [s.account, s.region, q.after ?? '', q.limit]))).map(workgroupOf);
  }

  async insertWorkgroup(s: Scope, w: WorkGroupRecord): Promise<boolean> {
    return (await this.db.run('INSERT INTO athena_workgroups (account, region, name, description, state, config, created_at, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [s.account, s.region, w.name, w.description ?? null, w.state, JSON.stringify(w.config), w.createdAt, JSON.stringify(w.tags)])).changes === 1;
  }

  async updateWorkgroup(s: Scope, w: WorkGroupRecord): Promise<void> {
    await this.db.run('UPDATE athena_workgroups SET description = ?, state = ?, config = ?, tags = ? WHERE account = ? AND region = ? AND name = ?', [w.description ?? null, w.state, JSON.stringify(w.config), JSON.stringify(w.tags), s.account, s.region, w.name]);
  }

  async deleteWorkgroup(s: Scope, name: string, recursive: boolean): Promise<void> {
    if (recursive) {
      await this.db.run('DELETE FROM athena_queries WHERE account = ? AND region = ? AND workgroup = ?', [s.account, s.region, name]);
      await this.db.run('DELETE FROM athena_named_queries WHERE account = ? AND region = ? AND workgroup = ?', [s.account, s.region, name]);
    }
    await this.prepared.deleteWorkgroup(s, name);
    await this.db.run('DELETE FROM athena_workgroups WHERE account = ? AND region = ? AND name = ?', [s.account, s.region, name]);
  }

  async countWorkgroupItems(s: Scope, name: string): Promise<number> {
    const q = await this.db.get<{ n: number }>('SELECT count(*) AS n FROM athena_named_queries WHERE account = ? AND region = ? AND workgroup = ?', [s.account, s.region, name]);
    return Number(q!.n);
  }

  async insertQuery(s: Scope, q: QueryRecord): Promise<void> {
    await this.db.run(`INSERT INTO athena_queries (workgroup, query, statement_type, context, result_config, state, reason, error, submitted, started, completed,
      bytes_scanned, result_rows, account, region, id, client_token, execution_parameters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [...queryValues(q), s.account, s.region, q.id, q.clientToken ?? null, q.executionParameters ? JSON.stringify(q.executionParameters) : null]);
  }

  async updateQuery(s: Scope, q: QueryRecord): Promise<void> {
    await this.db.run(`UPDATE athena_queries SET workgroup = ?, query = ?, statement_type = ?, context = ?, result_config = ?, state = ?, reason = ?, error = ?,
      submitted = ?, started = ?, completed = ?, bytes_scanned = ?, result_rows = ? WHERE account = ? AND region = ? AND id = ?`, [...queryValues(q), s.account, s.region, q.id]);
  }

  async claimQuery(s: Scope, id: string, started: number): Promise<boolean> {
    return (await this.db.run("UPDATE athena_queries SET state = 'RUNNING', started = ? WHERE account = ? AND region = ? AND id = ? AND state = 'QUEUED'", [started, s.account, s.region, id])).changes === 1;
  }

  async cancelQuery(s: Scope, id: string, at: number, reason: string): Promise<boolean> {
    return (await this.db.run("UPDATE athena_queries SET state = 'CANCELLED', reason = ?, completed = ? WHERE account = ? AND region = ? AND id = ? AND state IN ('QUEUED', 'RUNNING')", [reason, at, s.account, s.region, id])).changes === 1;
  }

  async finishQuery(s: Scope, q: QueryRecord): Promise<boolean> {
    return (await this.db.run(`UPDATE athena_queries SET state = ?, reason = ?, error = ?, completed = ?, bytes_scanned = ?, result_rows = ?
      WHERE account = ? AND region = ? AND id = ? AND state = 'RUNNING'`, [q.state, q.reason ?? null, q.error ? JSON.stringify(q.error) : null, q.completed ?? null, q.bytesScanned ?? null, q.resultRows ?? null, s.account, s.region, q.id])).changes === 1;
  }

  async query(s: Scope, id: string): Promise<QueryRecord | undefined> {
    const r = await this.db.get<QueryRow>('SELECT * FROM athena_queries WHERE account = ? AND region = ? AND id = ?', [s.account, s.region, id]);
    return r && queryOf(r);
  }

  async queryByToken(s: Scope, token: string): Promise<QueryRecord | undefined> {
    const r = await this.db.get<QueryRow>('SELECT * FROM athena_queries WHERE account = ? AND region = ? AND client_token = ?', [s.account, s.region, token]);
    return r && queryOf(r);
  }

  async listQueries(s: Scope, workgroup: string, q: { before?: { submitted: number; id: string }; limit: number }): Promise<QueryRecord[]> {
    const b = q.before ?? { submitted: Number.MAX_SAFE_INTEGER, id: '' };
    return ((await this.db.all<QueryRow>(`SELECT * FROM athena_queries WHERE account = ? AND region = ? AND workgroup = ?
      AND (submitted < ? OR (submitted = ? AND id < ?)) ORDER BY submitted DESC, id DESC LIMIT ?`, [s.account, s.region, workgroup, b.submitted, b.submitted, b.id || '\uffff', q.limit]))).map(queryOf);
  }

  async countActive(account: string): Promise<number> {
    return Number((await this.db.get<{ n: number }>("SELECT count(*) AS n FROM athena_queries WHERE account = ? AND state IN ('QUEUED', 'RUNNING')", [account]))!.n);
  }

  async expiredQueries(before: number, limit: number): Promise<(QueryRecord & Scope)[]> {
    return ((await this.db.all<QueryRow>("SELECT * FROM athena_queries WHERE submitted < ? AND state NOT IN ('QUEUED', 'RUNNING') ORDER BY submitted, id LIMIT ?", [before, limit]))).map(queryOf);
  }

  async deleteQuery(s: Scope, id: string): Promise<void> {
    await this.db.run('DELETE FROM athena_queries WHERE account = ? AND region = ? AND id = ?', [s.account, s.region, id]);
  }

  async activeQueries(): Promise<(QueryRecord & Scope)[]> {
    return ((await this.db.all<QueryRow>("SELECT * FROM athena_queries WHERE state IN ('QUEUED', 'RUNNING')"))).map(queryOf);
  }

  async insertNamedQuery(s: Scope, n: NamedQueryRecord): Promise<void> {
    await this.db.run('INSERT INTO athena_named_queries (account, region, id, name, description, database_name, query, workgroup) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [s.account, s.region, n.id, n.name, n.description ?? null, n.database, n.query, n.workgroup]);
  }

  async updateNamedQuery(s: Scope, n: NamedQueryRecord): Promise<void> {
    await this.db.run('UPDATE athena_named_queries SET name = ?, description = ?, query = ? WHERE account = ? AND region = ? AND id = ?', [n.name, n.description ?? null, n.query, s.account, s.region, n.id]);
  }

  async namedQuery(s: Scope, id: string): Promise<NamedQueryRecord | undefined> {
    const r = await this.db.get<NamedRow>('SELECT * FROM athena_named_queries WHERE account = ? AND region = ? AND id = ?', [s.account, s.region, id]);
    return r && namedOf(r);
  }

  async listNamedQueries(s: Scope, workgroup: string, q: { after?: string; limit: number }): Promise<NamedQueryRecord[]> {
    return ((await this.db.all<NamedRow>('SELECT * FROM athena_named_queries WHERE account = ? AND region = ? AND workgroup = ? AND id > ? ORDER BY id LIMIT ?', [s.account, s.region, workgroup, q.after ?? '', q.limit]))).map(namedOf);
  }

  async deleteNamedQuery(s: Scope, id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM athena_named_queries WHERE account = ? AND region = ? AND id = ?', [s.account, s.region, id])).changes === 1;
  }
}
