/**
 * PutTelemetryRecords: the X-Ray daemon's own health every minute — segments received, sent,
 * spilled over and rejected, and its errors talking to X-Ray. Kept per source (the ResourceARN,
 * instance id or hostname the daemon names) for the trace retention period; as on AWS, no API
 * reads them back.
 */
import type { PutTelemetryRecordsRequest, PutTelemetryRecordsResult, TelemetryRecord } from '@aws-sdk/client-xray';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';
import type { TelemetryRecordRow } from './settings-repo.ts';

function count(v: number | undefined, what: string): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0) throw invalidRequest(`${what} must be a whole number of 0 or more, not ${v}.`);
  return v;
}

function toRow(source: string, r: TelemetryRecord): TelemetryRecordRow {
  if (!(r.Timestamp instanceof Date) || Number.isNaN(r.Timestamp.getTime())) throw invalidRequest('Each telemetry record needs a Timestamp.');
  const errors: Record<string, number> = {};
  for (const [k, v] of Object.entries(r.BackendConnectionErrors ?? {})) errors[k] = count(v as number | undefined, `BackendConnectionErrors.${k}`);
  return {
    source, at: Math.floor(r.Timestamp.getTime() / 1000), received: count(r.SegmentsReceivedCount, 'SegmentsReceivedCount'), sent: count(r.SegmentsSentCount, 'SegmentsSentCount'),
    spillover: count(r.SegmentsSpilloverCount, 'SegmentsSpilloverCount'), rejected: count(r.SegmentsRejectedCount, 'SegmentsRejectedCount'), backendErrors: errors,
  };
}

export async function putTelemetryRecords(deps: XrayDeps, ctx: Ctx, input: PutTelemetryRecordsRequest): Promise<PutTelemetryRecordsResult> {
  const records = input.TelemetryRecords ?? [];
  const source = input.ResourceARN || input.EC2InstanceId || input.Hostname || 'unknown';
  const rows = records.map((r) => toRow(source, r));
  const retentionStart = Math.floor(deps.clock.now() / 1000) - deps.retentionDays * 86_400;
  await deps.settings.addTelemetry(ctx, rows, retentionStart);
  return {};
}
