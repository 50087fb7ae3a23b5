/**
 * An OTLP/HTTP trace export body (ExportTraceServiceRequest, protobuf or JSON) → resources with
 * their spans.
 */
import { ExportTraceServiceRequest } from './proto.ts';
import type { OtlpEvent, OtlpResource, OtlpSpan } from './types.ts';
import { attributes, decodeMessage, field, int, list, nanos, optionalId, requiredId, resource, type Obj } from './values.ts';

export { OtlpDecodeError } from './values.ts';

export interface ResourceSpans {
  resource: OtlpResource;
  spans: OtlpSpan[];
}

export function decodeTraces(body: Buffer, contentType: string): ResourceSpans[] {
  const json = /json/i.test(contentType);
  const message = decodeMessage(body, contentType, ExportTraceServiceRequest);
  return list(field(message, 'resource_spans')).map((rs) => ({
    resource: resource(rs),
    spans: list(field(rs, 'scope_spans')).flatMap((ss) => list(field(ss, 'spans')).map((s) => span(s, json))),
  }));
}

function span(s: Obj, json: boolean): OtlpSpan {
  const status = field(s, 'status');
  return {
    traceId: requiredId(field(s, 'trace_id'), 16, 'traceId', json),
    spanId: requiredId(field(s, 'span_id'), 8, 'spanId', json),
    parentSpanId: optionalId(field(s, 'parent_span_id'), 8, 'parentSpanId', json),
    name: String(field(s, 'name') ?? ''),
    kind: int(field(s, 'kind'), 'kind'),
    startTimeUnixNano: nanos(field(s, 'start_time_unix_nano')),
    endTimeUnixNano: nanos(field(s, 'end_time_unix_nano')),
    attributes: attributes(field(s, 'attributes')),
    events: list(field(s, 'events')).map((e): OtlpEvent => ({
      name: String(field(e, 'name') ?? ''), timeUnixNano: nanos(field(e, 'time_unix_nano')), attributes: attributes(field(e, 'attributes')),
    })),
    status: { code: int(field(status, 'code'), 'status.code'), message: String(field(status, 'message') ?? '') },
  };
}
