/**
 * X-Ray's account-level records besides groups and rules, per (account, region), in the metadata store:
 * resource policies, trace retrievals (StartTraceRetrieval's tokens), the telemetry records daemons
 * report and the sampling statistics SDKs report with GetSamplingTargets.
 */
import type { Sql } from '../../store/meta/sql/types.ts';

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

export class XraySettingsStore {
  constructor(private readonly db: Sql) {}

  async policies(scope: Scope): Promise<ResourcePolicyRecord[]> {
    return (await this.db.all<Row>('SELECT * FROM xray_resource_policies WHERE account = ? AND region = ? ORDER BY name', [scope.account, scope.region])).map(toPolicy);
  }
  async policy(scope: Scope, name: string): Promise<ResourcePolicyRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM xray_resource_policies WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name]);
    return row ? toPolicy(row) : undefined;
  }
  async putPolicy(scope: Scope, p: ResourcePolicyRecord): Promise<void> {
    await this.db.run(`INSERT INTO xray_resource_policies (account, region, name, document, revision, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (account, region, name) DO UPDATE SET document = excluded.document, revision = excluded.revision, updated_at = excluded.updated_at`,
    [scope.account, scope.region, p.name, p.document, p.revision, p.updatedAt]);
  }
  async deletePolicy(scope: Scope, name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM xray_resource_policies WHERE account = ? AND region = ? AND name = ?', [scope.account, scope.region, name])).changes > 0;
  }

  async retrieval(scope: Scope, token: string): Promise<RetrievalRecord | undefined> {
    const row = await this.db.get<Row>('SELECT * FROM xray_trace_retrievals WHERE account = ? AND region = ? AND token = ?', [scope.account, scope.region, token]);
    if (!row) return undefined;
    return {
      token: row.token as string, traceIds: JSON.parse(row.trace_ids as string) as string[], start: row.start_time as number, end: row.end_time as number,
      status: row.status as RetrievalStatus, createdAt: row.created_at as number,
    };
  }
  async putRetrieval(scope: Scope, r: RetrievalRecord, expiredBefore: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM xray_trace_retrievals WHERE account = ? AND region = ? AND created_at < ?', [scope.account, scope.region, expiredBefore]);
      await tx.run('INSERT INTO xray_trace_retrievals (account, region, token, trace_ids, start_time, end_time, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [scope.account, scope.region, r.token, JSON.stringify(r.traceIds), r.start, r.end, r.status, r.createdAt]);
    });
  }
  async setRetrievalStatus(scope: Scope, token: string, status: RetrievalStatus): Promise<void> {
    await this.db.run('UPDATE xray_trace_retrievals SET status = ? WHERE account = ? AND region = ? AND token = ?', [status, scope.account, scope.region, token]);
  }

  async addTelemetry(scope: Scope, rows: readonly TelemetryRecordRow[], expiredBefore: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM xray_telemetry_records WHERE account = ? AND region = ? AND at < ?', [scope.account, scope.region, expiredBefore]);
      for (const r of rows) {
        await tx.run(`INSERT INTO xray_telemetry_records (account, region, source, at, received, sent, spillover, rejected, backend_errors)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [scope.account, scope.region, r.source, r.at, r.received, r.sent, r.spillover, r.rejected, JSON.stringify(r.backendErrors)]);
      }
    });
  }
  async addSamplingReport(scope: Scope, w: SamplingWindow, expiredBefore: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM xray_sampling_statistics WHERE account = ? AND region = ? AND window_start < ?', [scope.account, scope.region, expiredBefore]);
      await tx.run(`INSERT INTO xray_sampling_statistics (account, region, rule, window_start, requests, borrowed, sampled) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (account, region, rule, window_start) DO UPDATE SET requests = xray_sampling_statistics.requests + excluded.requests,
        borrowed = xray_sampling_statistics.borrowed + excluded.borrowed, sampled = xray_sampling_statistics.sampled + excluded.sampled`,
      [scope.account, scope.region, w.rule, w.windowStart, w.requests, w.borrowed, w.sampled]);
    });
  }
  async samplingWindows(scope: Scope, since: number): Promise<SamplingWindow[]> {
    const rows = await this.db.all<Row>('SELECT * FROM xray_sampling_statistics WHERE account = ? AND region = ? AND window_start >= ? ORDER BY rule, window_start',
      [scope.account, scope.region, since]);
    return rows.map((r) => ({ rule: r.rule as string, windowStart: r.window_start as number, requests: r.requests as number, borrowed: r.borrowed as number, sampled: r.sampled as number }));
  }
  async forgetSamplingRule(scope: Scope, rule: string): Promise<void> {
    await this.db.run('DELETE FROM xray_sampling_statistics WHERE account = ? AND region = ? AND rule = ?', [scope.account, scope.region, rule]);
  }
}

function toPolicy(r: unknown): ResourcePolicyRecord {
  const row = r as Row;
  return { name: row.name as string, document: row.document as string, revision: row.revision as number, updatedAt: row.updated_at as number };
}
