/**
 * X-Ray's account-level records besides groups and rules, per (account, region), in SQLite:
 * resource policies, trace retrievals (StartTraceRetrieval's tokens), the telemetry records daemons
 * report and the sampling statistics SDKs report with GetSamplingTargets.
 */
import type { Db } from '../../store/meta/sqlite.ts';

type Scope = { account: string; region: string };
type Row = Record<string, unknown>;

export interface ResourcePolicyRecord {
  name: string;
  document: string;
  revision: number;
  /** Epoch seconds. */
  updatedAt: number;
}

export type RetrievalStatus = 'COMPLETE' | 'CANCELLED';

export interface RetrievalRecord {
  token: string;
  traceIds: string[];
  /** Epoch seconds. */
  start: number;
  end: number;
  status: RetrievalStatus;
  createdAt: number;
}

export interface TelemetryRecordRow {
  source: string;
  at: number;
  received: number;
  sent: number;
  spillover: number;
  rejected: number;
  backendErrors: Record<string, number>;
}

export interface SamplingWindow {
  rule: string;
  /** Epoch seconds, a multiple of the 10 s reporting window. */
  windowStart: number;
  requests: number;
  borrowed: number;
  sampled: number;
}

export class SqliteXraySettingsRepo {
  constructor(private readonly db: Db) {}

  policies(scope: Scope): ResourcePolicyRecord[] {
    return this.db.prepare('SELECT * FROM xray_resource_policies WHERE account = ? AND region = ? ORDER BY name').all(scope.account, scope.region).map(toPolicy);
  }
  policy(scope: Scope, name: string): ResourcePolicyRecord | undefined {
    const row = this.db.prepare('SELECT * FROM xray_resource_policies WHERE account = ? AND region = ? AND name = ?').get(scope.account, scope.region, name);
    return row ? toPolicy(row) : undefined;
  }
  putPolicy(scope: Scope, p: ResourcePolicyRecord): void {
    this.db.prepare(`INSERT INTO xray_resource_policies (account, region, name, document, revision, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, name) DO UPDATE SET document = excluded.document, revision = excluded.revision, updated_at = excluded.updated_at`)
      .run(scope.account, scope.region, p.name, p.document, p.revision, p.updatedAt);
  }
  deletePolicy(scope: Scope, name: string): boolean {
    return this.db.prepare('DELETE FROM xray_resource_policies WHERE account = ? AND region = ? AND name = ?').run(scope.account, scope.region, name).changes > 0;
  }

  retrieval(scope: Scope, token: string): RetrievalRecord | undefined {
    const row = this.db.prepare('SELECT * FROM xray_trace_retrievals WHERE account = ? AND region = ? AND token = ?').get(scope.account, scope.region, token) as Row | undefined;
    if (!row) return undefined;
    return {
      token: row.token as string, traceIds: JSON.parse(row.trace_ids as string) as string[], start: row.start_time as number, end: row.end_time as number,
      status: row.status as RetrievalStatus, createdAt: row.created_at as number,
    };
  }
  /** Stores a retrieval and forgets the scope's retrievals created before `expiredBefore`. */
  putRetrieval(scope: Scope, r: RetrievalRecord, expiredBefore: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM xray_trace_retrievals WHERE account = ? AND region = ? AND created_at < ?').run(scope.account, scope.region, expiredBefore);
      this.db.prepare('INSERT INTO xray_trace_retrievals (account, region, token, trace_ids, start_time, end_time, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(scope.account, scope.region, r.token, JSON.stringify(r.traceIds), r.start, r.end, r.status, r.createdAt);
    })();
  }
  setRetrievalStatus(scope: Scope, token: string, status: RetrievalStatus): void {
    this.db.prepare('UPDATE xray_trace_retrievals SET status = ? WHERE account = ? AND region = ? AND token = ?').run(status, scope.account, scope.region, token);
  }

  /** Appends a daemon's records and forgets the scope's records older than `expiredBefore`. */
  addTelemetry(scope: Scope, rows: readonly TelemetryRecordRow[], expiredBefore: number): void {
    const put = this.db.prepare(`INSERT INTO xray_telemetry_records (account, region, source, at, received, sent, spillover, rejected, backend_errors)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM xray_telemetry_records WHERE account = ? AND region = ? AND at < ?').run(scope.account, scope.region, expiredBefore);
      for (const r of rows) put.run(scope.account, scope.region, r.source, r.at, r.received, r.sent, r.spillover, r.rejected, JSON.stringify(r.backendErrors));
    })();
  }
  /** Adds one client's report to its rule's window; forgets the scope's windows before `expiredBefore`. */
  addSamplingReport(scope: Scope, w: SamplingWindow, expiredBefore: number): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM xray_sampling_statistics WHERE account = ? AND region = ? AND window_start < ?').run(scope.account, scope.region, expiredBefore);
      this.db.prepare(`INSERT INTO xray_sampling_statistics (account, region, rule, window_start, requests, borrowed, sampled) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (account, region, rule, window_start) DO UPDATE SET requests = requests + excluded.requests,
        borrowed = borrowed + excluded.borrowed, sampled = sampled + excluded.sampled`)
        .run(scope.account, scope.region, w.rule, w.windowStart, w.requests, w.borrowed, w.sampled);
    })();
  }
  samplingWindows(scope: Scope, since: number): SamplingWindow[] {
    const rows = this.db.prepare('SELECT * FROM xray_sampling_statistics WHERE account = ? AND region = ? AND window_start >= ? ORDER BY rule, window_start')
      .all(scope.account, scope.region, since) as Row[];
    return rows.map((r) => ({ rule: r.rule as string, windowStart: r.window_start as number, requests: r.requests as number, borrowed: r.borrowed as number, sampled: r.sampled as number }));
  }
  forgetSamplingRule(scope: Scope, rule: string): void {
    this.db.prepare('DELETE FROM xray_sampling_statistics WHERE account = ? AND region = ? AND rule = ?').run(scope.account, scope.region, rule);
  }
}

function toPolicy(r: unknown): ResourcePolicyRecord {
  const row = r as Row;
  return { name: row.name as string, document: row.document as string, revision: row.revision as number, updatedAt: row.updated_at as number };
}
