/**
 * An OTLP log record → a CloudWatch Logs event. The event's timestamp is the record's time (else its
 * observed time, else the time of arrival); its message is one JSON object carrying the record as
 * OTLP defines it, attributes as plain objects rather than key/value lists, so Logs Insights
 * discovers `body`, `severityText`, `attributes.<key>`, `resource.attributes.service.name`, `traceId`:
 *
 *   {"resource":{"attributes":{…}},"scope":{"name":…,"version":…},"timeUnixNano":"…",
 *    "observedTimeUnixNano":"…","severityNumber":9,"severityText":"INFO","body":…,
 *    "attributes":{…},"flags":1,"traceId":"…","spanId":"…","eventName":"…"}
 *
 * Empty members are left out. Nanosecond times are strings: a JSON number would round them.
 */
import type { OtlpLogRecord, OtlpResource, OtlpScope } from '../../../protocol/otlp/types.ts';
import { plainAttributes, plainValue } from '../../../protocol/otlp/values.ts';

export interface LogEventFromRecord {
  timestamp: number;
  message: string;
}

export function logRecordToEvent(record: OtlpLogRecord, resource: OtlpResource, scope: OtlpScope, now: number): LogEventFromRecord {
  const at = record.timeUnixNano > 0n ? record.timeUnixNano : record.observedTimeUnixNano;
  const doc: Record<string, unknown> = {};
  if (Object.keys(resource.attributes).length > 0) doc.resource = { attributes: plainAttributes(resource.attributes) };
  const scopeDoc = scopeOf(scope);
  if (scopeDoc) doc.scope = scopeDoc;
  if (record.timeUnixNano > 0n) doc.timeUnixNano = record.timeUnixNano.toString();
  if (record.observedTimeUnixNano > 0n) doc.observedTimeUnixNano = record.observedTimeUnixNano.toString();
  if (record.severityNumber !== 0) doc.severityNumber = record.severityNumber;
  if (record.severityText !== '') doc.severityText = record.severityText;
  if (record.body !== null) doc.body = plainValue(record.body);
  if (Object.keys(record.attributes).length > 0) doc.attributes = plainAttributes(record.attributes);
  if (record.flags !== 0) doc.flags = record.flags;
  if (record.traceId !== '') doc.traceId = record.traceId;
  if (record.spanId !== '') doc.spanId = record.spanId;
  if (record.eventName !== '') doc.eventName = record.eventName;
  return { timestamp: at > 0n ? Number(at / 1_000_000n) : now, message: JSON.stringify(doc) };
}

function scopeOf(scope: OtlpScope): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (scope.name !== '') out.name = scope.name;
  if (scope.version !== '') out.version = scope.version;
  if (Object.keys(scope.attributes).length > 0) out.attributes = plainAttributes(scope.attributes);
  return Object.keys(out).length > 0 ? out : undefined;
}
