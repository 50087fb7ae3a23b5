/**
 * Audit records of every API call (`audit_events`), the raw material CloudTrail will serve.
 * Written through the shared group committer; readers come with the CloudTrail service.
 */
import type { AuditRecord } from '../../protocol/audit.ts';
import type { SqlEngine } from './engine.ts';
import { GroupCommitter } from './group-commit.ts';
import { jsonString, type PayloadWriter } from './payload.ts';

const TABLE = 'audit_events';
const COLUMNS = [
  'event_time', 'request_id', 'service', 'event_source', 'operation', 'account', 'region', 'principal_arn',
  'access_key_id', 'source_ip', 'user_agent', 'status', 'error_code', 'error_message', 'duration_ms',
] as const;

export class AuditEventStore {
  private readonly committer: GroupCommitter<AuditRecord>;

  constructor(engine: SqlEngine) {
    this.committer = new GroupCommitter<AuditRecord>((payload) => engine.insert(TABLE, COLUMNS, payload, 'JSONCompactEachRow'), encodeAuditRecords, {
      // Audit rows are small and not on a request's ack path: batch them more and cap the queue low.
      maxQueuedBytes: 32 * 1024 * 1024,
    });
  }

  append(records: AuditRecord[]): Promise<void> {
    return this.committer.append(records);
  }

  close(): Promise<void> {
    return this.committer.close();
  }
}

export function encodeAuditRecords(rows: readonly AuditRecord[], out: PayloadWriter): void {
  for (const r of rows) {
    const s = (v: string | undefined) => jsonString((v ?? '').toWellFormed());
    out.write(
      `[${Math.trunc(r.eventTime)},${s(r.requestId)},${s(r.service)},${s(r.eventSource)},${s(r.operation)},${s(r.account)},` +
        `${s(r.region)},${s(r.principalArn)},${s(r.accessKeyId)},${s(r.sourceIp)},${s(r.userAgent)},${Math.trunc(r.status)},` +
        `${s(r.errorCode)},${s(r.errorMessage)},${Math.max(0, Math.trunc(r.durationMs))}]\n`,
    );
  }
}
