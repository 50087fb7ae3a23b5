/**
 * An OTLP/HTTP logs export body (ExportLogsServiceRequest, protobuf or JSON) → resources with their
 * log records, each with its instrumentation scope.
 */
import { ExportLogsServiceRequest } from './proto.ts';
import type { OtlpLogRecord, OtlpResource, OtlpScope } from './types.ts';
import { anyValue, attributes, decodeMessage, field, int, list, nanos, optionalId, resource, scope, type Obj } from './values.ts';

export interface ResourceLogs {
  resource: OtlpResource;
  scopes: { scope: OtlpScope; records: OtlpLogRecord[] }[];
}

export function decodeLogs(body: Buffer, contentType: string): ResourceLogs[] {
  const json = /json/i.test(contentType);
  const message = decodeMessage(body, contentType, ExportLogsServiceRequest);
  return list(field(message, 'resource_logs')).map((rl) => ({
    resource: resource(rl),
    scopes: list(field(rl, 'scope_logs')).map((sl) => ({ scope: scope(sl), records: list(field(sl, 'log_records')).map((r) => record(r, json)) })),
  }));
}

function record(r: Obj, json: boolean): OtlpLogRecord {
  return {
    timeUnixNano: nanos(field(r, 'time_unix_nano')),
    observedTimeUnixNano: nanos(field(r, 'observed_time_unix_nano')),
    severityNumber: int(field(r, 'severity_number'), 'severityNumber'),
    severityText: String(field(r, 'severity_text') ?? ''),
    body: anyValue(field(r, 'body')),
    attributes: attributes(field(r, 'attributes')),
    flags: int(field(r, 'flags'), 'flags'),
    traceId: optionalId(field(r, 'trace_id'), 16, 'traceId', json),
    spanId: optionalId(field(r, 'span_id'), 8, 'spanId', json),
    eventName: String(field(r, 'event_name') ?? ''),
  };
}
