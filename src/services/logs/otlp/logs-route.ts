/**
 * OTLP/HTTP logs export, `POST /v1/logs`, as AWS's CloudWatch Logs OTLP endpoint takes it: the log
 * group and stream named by the `x-aws-log-group` / `x-aws-log-stream` headers (or, without them,
 * by each resource's `aws.log.group.names` / `aws.log.stream.names` attributes, the OpenTelemetry
 * semantic conventions), both existing already; SigV4 with the `logs` signing name unless
 * `otlpUnsigned`. Records become log events (log-record-to-event.ts) stored through this module's
 * own PutLogEvents — same checks, same ingest hooks (metric filters, subscriptions, live tail).
 * Events PutLogEvents refuses for their time are counted in the partial success, as AWS reports
 * them: `{"tooOldLogEventCount":…,"tooNewLogEventCount":…,"expiredLogEventCount":…}`.
 */
import type { RejectedLogEventsInfo } from '@aws-sdk/client-cloudwatch-logs';
import { decodeLogs } from '../../../protocol/otlp/decode-logs.ts';
import { OtlpRequestError, otlpRoute, type OtlpExportRequest } from '../../../protocol/otlp/export-route.ts';
import type { Attributes } from '../../../protocol/otlp/types.ts';
import type { Env, HttpRoute } from '../../../server/module.ts';
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, batches } from '../log-batches.ts';
import { logRecordToEvent, type LogEventFromRecord } from './log-record-to-event.ts';

interface Counts {
  tooOldLogEventCount: number;
  tooNewLogEventCount: number;
  expiredLogEventCount: number;
  tooLargeLogEventCount: number;
}

export function otlpLogsRoute(env: Env): HttpRoute {
  return otlpRoute(env.config, 'logs', (req) => exportLogs(env, req));
}

async function exportLogs(env: Env, { scope, body, contentType, headers }: OtlpExportRequest) {
  const now = env.clock.now();
  const fromHeaders = { group: header(headers['x-aws-log-group']), stream: header(headers['x-aws-log-stream']) };
  // One destination per (group, stream): with the headers, everything; without, per resource.
  const destinations = new Map<string, { group: string; stream: string; events: LogEventFromRecord[] }>();
  const counts: Counts = { tooOldLogEventCount: 0, tooNewLogEventCount: 0, expiredLogEventCount: 0, tooLargeLogEventCount: 0 };
  for (const rl of decodeLogs(body, contentType)) {
    const group = fromHeaders.group ?? firstName(rl.resource.attributes, 'aws.log.group.names');
    const stream = fromHeaders.stream ?? firstName(rl.resource.attributes, 'aws.log.stream.names');
    if (group === undefined || stream === undefined) {
      throw new OtlpRequestError(400, `The ${group === undefined ? 'x-aws-log-group' : 'x-aws-log-stream'} header is required: it names the existing log ${group === undefined ? 'group' : 'stream'} the records go to (or set the aws.log.group.names and aws.log.stream.names resource attributes).`);
    }
    const key = JSON.stringify([group, stream]);
    const d = destinations.get(key) ?? { group, stream, events: [] };
    destinations.set(key, d);
    for (const { scope: sc, records } of rl.scopes) {
      for (const r of records) {
        const e = logRecordToEvent(r, rl.resource, sc, now);
        if (Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES > MAX_BATCH_BYTES) counts.tooLargeLogEventCount++;
        else d.events.push(e);
      }
    }
  }
  const ctx = env.serviceCtx(scope);
  for (const d of destinations.values()) {
    // PutLogEvents wants chronological order (the sort is stable: equal times keep their order).
    for (const batch of batches(d.events.sort((a, b) => a.timestamp - b.timestamp))) {
      const out = await env.call('logs', 'PutLogEvents', ctx, { logGroupName: d.group, logStreamName: d.stream, logEvents: batch });
      if (out.rejectedLogEventsInfo) count(out.rejectedLogEventsInfo, batch.length, counts);
    }
  }
  const rejected = counts.tooOldLogEventCount + counts.tooNewLogEventCount + counts.expiredLogEventCount + counts.tooLargeLogEventCount;
  const { tooLargeLogEventCount, ...reported } = counts;
  return { rejected, message: JSON.stringify(tooLargeLogEventCount > 0 ? counts : reported) };
}

/** RejectedLogEventsInfo's indexes (of one sorted batch) as counts. */
function count(info: RejectedLogEventsInfo, size: number, into: Counts): void {
  const tooOldEnd = info.tooOldLogEventEndIndex ?? 0;
  into.tooOldLogEventCount += tooOldEnd;
  if (info.expiredLogEventEndIndex !== undefined) into.expiredLogEventCount += info.expiredLogEventEndIndex - tooOldEnd;
  if (info.tooNewLogEventStartIndex !== undefined) into.tooNewLogEventCount += size - info.tooNewLogEventStartIndex;
}

function header(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s !== undefined && s !== '' ? s : undefined;
}

/** A semantic-convention names attribute (string[]; a lone string is taken too). */
function firstName(attrs: Attributes, key: string): string | undefined {
  const v = attrs[key];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first !== '' ? first : undefined;
}
