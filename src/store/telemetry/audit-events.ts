/**
 * Audit records of every API call (`audit_events`), the raw material for CloudTrail.
 * Written through the shared group committer. The store defines the row it stores; the server
 * hands it the protocol layer's records (src/server/audit-recorder.ts), which must fit this shape.
 */
import type { SqlEngine } from './engine.ts';
import { GroupCommitter } from './group-commit.ts';
import { jsonString, type PayloadWriter } from './payload.ts';

/** One row of `audit_events`: one API call, success or not. */
export interface AuditEventRow {
  /** Epoch ms. */
  eventTime: number;
  requestId: string;
  /** e.g. 'logs'. */
  service: string;
  /** e.g. 'logs.amazonaws.com'. */
  eventSource: string;
  operation: string;
  account: string;
  region: string;
  principalArn: string;
  accessKeyId: string;
  sourceIp: string;
  userAgent: string;
  /** HTTP status of the answer. */
  status: number;
  errorCode?: string;
  errorMessage?: string;
  durationMs: number;
}

const TABLE = 'audit_events';
const COLUMNS = [
  'event_time', 'request_id', 'service', 'event_source', 'operation', 'account', 'region', 'principal_arn',
  'access_key_id', 'source_ip', 'user_agent', 'status', 'error_code', 'error_message', 'duration_ms',
] as const;

export class AuditEventStore {
  private readonly committer: GroupCommitter<AuditEventRow>;

  constructor(engine: SqlEngine) {
    this.committer = new GroupCommitter<AuditEventRow>((payload) => engine.insert(TABLE, COLUMNS, payload, 'JSONCompactEachRow'), encodeAuditEventRows, {
      // Audit rows are small and not on a request's ack path: batch them more and cap the queue low.
      maxQueuedBytes: 32 * 1024 * 1024,
    });
  }

  append(records: AuditEventRow[]): Promise<void> {
    return this.committer.append(records);
  }

  close(): Promise<void> {
    return this.committer.close();
  }
}

function encodeAuditEventRows(rows: readonly AuditEventRow[], out: PayloadWriter): void {
  for (const r of rows) {
    const s = (v: string | undefined) => jsonString((v ?? '').toWellFormed());
    out.write(
      `[${Math.trunc(r.eventTime)},${s(r.requestId)},${s(r.service)},${s(r.eventSource)},${s(r.operation)},${s(r.account)},` +
        `${s(r.region)},${s(r.principalArn)},${s(r.accessKeyId)},${s(r.sourceIp)},${s(r.userAgent)},${Math.trunc(r.status)},` +
        `${s(r.errorCode)},${s(r.errorMessage)},${Math.max(0, Math.trunc(r.durationMs))}]\n`,
    );
  }
}
