/**
 * An OTLP/HTTP trace export body → resources with their spans (types.ts). Protobuf
 * (`application/x-protobuf`) and OTLP/JSON (`application/json`: lowerCamelCase or snake_case keys,
 * trace and span ids as hex — the OTLP spec's exception to proto3 JSON —, 64-bit integers as
 * strings or numbers, enums as integers). A body that is neither is the caller's error.
 */
import { ExportTraceServiceRequest } from './trace-proto.ts';
import type { AttrValue, Attributes, OtlpEvent, OtlpResource, OtlpSpan } from './types.ts';

export class OtlpDecodeError extends Error {}

export interface ResourceSpans {
  resource: OtlpResource;
  spans: OtlpSpan[];
}

type Obj = Record<string, unknown>;

/** Reads `snake_case` or `lowerCamelCase`, whichever the body used. */
function field(o: unknown, snake: string): unknown {
  if (!isObj(o)) return undefined;
  if (snake in o) return o[snake];
  return o[snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
}

export function decodeTraces(body: Buffer, contentType: string): ResourceSpans[] {
  const json = /json/i.test(contentType);
  let message: Obj;
  try {
    message = json
      ? (JSON.parse(body.toString('utf8')) as Obj)
      : (ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(body), { longs: String, bytes: Buffer }) as Obj);
  } catch (e) {
    throw new OtlpDecodeError(`The request body is not a valid OTLP ExportTraceServiceRequest (${json ? 'JSON' : 'protobuf'}): ${(e as Error).message}`);
  }
  if (!message || typeof message !== 'object') throw new OtlpDecodeError('The request body is not an OTLP ExportTraceServiceRequest object.');
  const id = json ? hexId : bytesId;
  return list(field(message, 'resource_spans')).map((rs) => ({
    resource: { attributes: attributes(field(field(rs, 'resource'), 'attributes')) },
    spans: list(field(rs, 'scope_spans')).flatMap((ss) => list(field(ss, 'spans')).map((s) => span(s, id))),
  }));
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A repeated message field: a list of objects (anything else is the sender's error). */
function list(v: unknown): Obj[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every(isObj)) throw new OtlpDecodeError('Expected a list of objects in the OTLP message.');
  return v;
}

function span(s: Obj, id: (v: unknown, bytes: number, what: string) => string): OtlpSpan {
  const status = field(s, 'status');
  return {
    traceId: id(field(s, 'trace_id'), 16, 'traceId'),
    spanId: id(field(s, 'span_id'), 8, 'spanId'),
    parentSpanId: field(s, 'parent_span_id') ? id(field(s, 'parent_span_id'), 8, 'parentSpanId') : '',
    name: String(field(s, 'name') ?? ''),
    kind: Number(field(s, 'kind') ?? 0),
    startTimeUnixNano: nanos(field(s, 'start_time_unix_nano')),
    endTimeUnixNano: nanos(field(s, 'end_time_unix_nano')),
    attributes: attributes(field(s, 'attributes')),
    events: list(field(s, 'events')).map((e): OtlpEvent => ({
      name: String(field(e, 'name') ?? ''), timeUnixNano: nanos(field(e, 'time_unix_nano')), attributes: attributes(field(e, 'attributes')),
    })),
    status: { code: Number(field(status, 'code') ?? 0), message: String(field(status, 'message') ?? '') },
  };
}

function hexId(v: unknown, bytes: number, what: string): string {
  if (typeof v === 'string' && new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(v) && !/^0+$/.test(v)) return v.toLowerCase();
  throw new OtlpDecodeError(`${what} must be ${bytes * 2} hex digits, not all zero.`);
}

function bytesId(v: unknown, bytes: number, what: string): string {
  if (Buffer.isBuffer(v) && v.length === bytes && v.some((b) => b !== 0)) return v.toString('hex');
  throw new OtlpDecodeError(`${what} must be ${bytes} bytes, not all zero.`);
}

function nanos(v: unknown): bigint {
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return BigInt(Math.trunc(v));
  if (v === undefined || v === null) return 0n;
  throw new OtlpDecodeError('Timestamps must be unsigned nanoseconds.');
}

function attributes(v: unknown): Attributes {
  const out: Record<string, AttrValue> = {};
  for (const kv of list(v)) out[String(field(kv, 'key') ?? '')] = anyValue(field(kv, 'value'));
  return out;
}

function anyValue(v: unknown): AttrValue {
  if (!isObj(v)) return null;
  const s = field(v, 'string_value');
  if (s !== undefined) return String(s);
  const b = field(v, 'bool_value');
  if (b !== undefined) return Boolean(b);
  const i = field(v, 'int_value');
  if (i !== undefined) {
    if ((typeof i === 'string' && /^-?\d+$/.test(i)) || (typeof i === 'number' && Number.isInteger(i))) return BigInt(i);
    throw new OtlpDecodeError('intValue must be a 64-bit integer.');
  }
  const d = field(v, 'double_value');
  if (d !== undefined) return Number(d);
  const arr = field(v, 'array_value');
  if (arr !== undefined) return list(field(arr, 'values')).map(anyValue);
  const kv = field(v, 'kvlist_value');
  if (kv !== undefined) return attributes(field(kv, 'values'));
  const bytes = field(v, 'bytes_value');
  if (bytes !== undefined) return Buffer.isBuffer(bytes) ? new Uint8Array(bytes) : new Uint8Array(Buffer.from(String(bytes), 'base64'));
  return null;
}
