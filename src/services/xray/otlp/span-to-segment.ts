/**
 * An OpenTelemetry span → an X-Ray segment document, following the mapping of the AWS X-Ray OTLP
 * exporter (opentelemetry-collector-contrib awsxrayexporter, translator/segment.go and cause.go):
 * - W3C trace id `abcd…` (32 hex) → `1-<first 8>-<last 24>`; span ids are already X-Ray ids.
 * - A span that is not SERVER and has a parent is a subsegment, sent on its own (`type:
 *   "subsegment"`, `parent_id`); resource attributes are kept on segments only.
 * - Name: `peer.service`, else the AWS service of an `rpc.system = aws-api` span, else
 *   `<db.name>@<host>`, else (SERVER or root span) the resource's `service.name`, else `rpc.service`, the HTTP
 *   host, `net.peer.name`, and last the span name stripped to X-Ray's name characters.
 * - Namespace `aws` for AWS SDK calls, `remote` for other CLIENT spans.
 * - fault / error / throttle from the HTTP status (4XX error, 429 throttle, 5XX fault), else
 *   fault when the span status is ERROR; `exception` events become `cause.exceptions`.
 * - Attributes named in `aws.xray.annotations` (or the configured indexed list) become annotations
 *   (keys with non-alphanumerics replaced by `_`); the rest go to `metadata.default`.
 * Semantic conventions are read in both their current and their pre-1.21 spellings.
 */
import { createHash } from 'node:crypto';
import { awsBlock, originOf } from './span-aws.ts';
import { httpBlock, httpStatus } from './span-http.ts';
import { SpanKind, StatusCode, type AttrValue, type Attributes, type OtlpSpan, type OtlpResource } from '../../../protocol/otlp/types.ts';

const INVALID_NAME_CHARS = /[^ 0-9\p{L}\p{N}_.:/%&#=+\\\-@]/gu;

export interface MappingOptions {
  /** Attribute keys always indexed as annotations (the exporter's `indexed_attributes`). */
  indexedAttributes?: readonly string[];
}

export function xrayTraceId(w3c: string): string {
  return `1-${w3c.slice(0, 8)}-${w3c.slice(8, 32)}`;
}

export function spanToSegment(span: OtlpSpan, resource: OtlpResource, opts: MappingOptions = {}): Record<string, unknown> {
  const subsegment = span.kind !== SpanKind.SERVER && span.parentSpanId !== '';
  const a = span.attributes;
  const { name, namespace } = nameOf(span, resource);
  const status = statusOf(span);
  const doc: Record<string, unknown> = {
    id: span.spanId,
    trace_id: xrayTraceId(span.traceId),
    name,
    start_time: seconds(span.startTimeUnixNano),
    end_time: seconds(span.endTimeUnixNano),
    ...(span.parentSpanId ? { parent_id: span.parentSpanId } : {}),
    ...(subsegment ? { type: 'subsegment' } : {}),
    ...(namespace ? { namespace } : {}),
    ...status,
  };
  const cause = causeOf(span);
  if (cause) doc.cause = cause;
  const origin = subsegment ? undefined : originOf(resource.attributes);
  if (origin) doc.origin = origin;
  const http = httpBlock(span);
  if (http) doc.http = http;
  const aws = awsBlock(span, subsegment ? undefined : resource.attributes);
  if (aws) doc.aws = aws;
  const sql = sqlBlock(a);
  if (sql) doc.sql = sql;
  if (typeof a['enduser.id'] === 'string') doc.user = a['enduser.id'];
  const version = resource.attributes['service.version'];
  if (!subsegment && typeof version === 'string') doc.service = { version };
  Object.assign(doc, annotationsAndMetadata(a, subsegment ? {} : resource.attributes, opts));
  return doc;
}

function seconds(nanos: bigint): number {
  // Microsecond precision, as the X-Ray SDKs send; doubles cannot hold epoch nanoseconds exactly.
  return Number(nanos / 1000n) / 1e6;
}

function str(v: AttrValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function nameOf(span: OtlpSpan, resource: OtlpResource): { name: string; namespace?: string } {
  const a = span.attributes;
  const aws = a['rpc.system'] === 'aws-api';
  const awsService = aws ? str(a['aws.service']) ?? str(a['rpc.service']) : str(a['aws.service']);
  const namespace = aws || awsService ? 'aws' : span.kind === SpanKind.CLIENT ? 'remote' : undefined;
  const db = str(a['db.name']) ?? str(a['db.namespace']);
  const dbHost = str(a['server.address']) ?? str(a['net.peer.name']);
  const candidates = [
    str(a['peer.service']),
    awsService,
    db ? (dbHost ? `${db}@${dbHost}` : db) : undefined,
    // A segment is a service: server spans, and roots that are not calls out (a job's INTERNAL root).
    span.kind === SpanKind.SERVER || (span.parentSpanId === '' && span.kind !== SpanKind.CLIENT && span.kind !== SpanKind.PRODUCER)
      ? str(resource.attributes['service.name']) : undefined,
    str(a['rpc.service']),
    str(a['http.host']),
    span.kind !== SpanKind.SERVER ? str(a['server.address']) : undefined,
    str(a['net.peer.name']),
  ];
  let name: string | undefined;
  for (const c of candidates) {
    if (c !== undefined) {
      name = c;
      break;
    }
  }
  name ??= fixName(span.name);
  return { name: name.slice(0, 200), ...(namespace ? { namespace } : {}) };
}

function fixName(name: string): string {
  const fixed = name.replace(INVALID_NAME_CHARS, '').slice(0, 200);
  return fixed === '' ? 'span' : fixed;
}

function statusOf(span: OtlpSpan): { fault: boolean; error: boolean; throttle: boolean } {
  const code = httpStatus(span.attributes);
  if (code !== undefined && code >= 400 && code <= 499) return { fault: false, error: true, throttle: code === 429 };
  if (code !== undefined && code >= 500 && code <= 599) return { fault: true, error: false, throttle: false };
  return { fault: span.status.code === StatusCode.ERROR, error: false, throttle: false };
}

function causeOf(span: OtlpSpan): Record<string, unknown> | undefined {
  if (span.events.length === 0 && span.status.code !== StatusCode.ERROR) return undefined;
  const remote = span.kind === SpanKind.CLIENT || span.kind === SpanKind.PRODUCER;
  const exceptions = span.events.filter((e) => e.name === 'exception').map((e, i) => ({
    id: exceptionId(span.spanId, i),
    ...(str(e.attributes['exception.type']) ? { type: e.attributes['exception.type'] } : {}),
    message: str(e.attributes['exception.message']) ?? '',
    remote,
  }));
  if (exceptions.length > 0) return { exceptions };
  if (span.status.code === StatusCode.ERROR && span.status.message) {
    return { exceptions: [{ id: exceptionId(span.spanId, 0), message: span.status.message }] };
  }
  return undefined;
}

/** Stable per span and position, so re-sent spans produce the same document. */
function exceptionId(spanId: string, i: number): string {
  return createHash('sha256').update(`${spanId}/exception/${i}`).digest('hex').slice(0, 16);
}

function sqlBlock(a: Attributes): Record<string, unknown> | undefined {
  const system = str(a['db.system']);
  if (!system) return undefined;
  const query = str(a['db.query.text']) ?? str(a['db.statement']);
  const url = str(a['db.connection_string']);
  const user = str(a['db.user']);
  return { database_type: system, ...(query ? { sanitized_query: query } : {}), ...(url ? { url } : {}), ...(user ? { user } : {}) };
}

function annotationKey(key: string): string {
  return key.replace(/[^0-9A-Za-z]/g, '_');
}

/** Indexed keys per options object: built once, not per span (a Set per span showed in profiles). */
const indexedKeys = new WeakMap<MappingOptions, ReadonlySet<string>>();
const NONE: ReadonlySet<string> = new Set();

function indexedOf(attrs: Attributes, opts: MappingOptions): ReadonlySet<string> {
  let base = NONE;
  if (opts.indexedAttributes?.length) {
    base = indexedKeys.get(opts) ?? NONE;
    if (base === NONE) indexedKeys.set(opts, (base = new Set(opts.indexedAttributes)));
  }
  const listed = attrs['aws.xray.annotations'];
  if (!Array.isArray(listed) || listed.length === 0) return base;
  const out = new Set(base);
  for (const k of listed) if (typeof k === 'string') out.add(k);
  return out;
}

/** Whether an object has an own key, without listing them. */
function hasKeys(o: object): boolean {
  for (const k in o) if (Object.hasOwn(o, k)) return true;
  return false;
}

interface Placed {
  indexed: ReadonlySet<string>;
  annotations: Record<string, string | number | boolean>;
  metadata: Record<string, unknown>;
}

function place(p: Placed, key: string, value: AttrValue): void {
  const scalar = typeof value === 'bigint' ? Number(value) : value;
  if (p.indexed.has(key) && (typeof scalar === 'string' || typeof scalar === 'number' || typeof scalar === 'boolean')) {
    p.annotations[annotationKey(key)] = scalar;
  } else if (value !== null) {
    p.metadata[key] = plain(value);
  }
}

function annotationsAndMetadata(attrs: Attributes, resourceAttrs: Attributes, opts: MappingOptions): Record<string, unknown> {
  const p: Placed = { indexed: indexedOf(attrs, opts), annotations: {}, metadata: {} };
  for (const k in resourceAttrs) place(p, `otel.resource.${k}`, resourceAttrs[k]!);
  for (const k in attrs) {
    if (k === 'aws.xray.annotations' || k === 'enduser.id') continue;
    place(p, k, attrs[k]!);
  }
  const out: Record<string, unknown> = {};
  if (hasKeys(p.annotations)) out.annotations = p.annotations;
  if (hasKeys(p.metadata)) out.metadata = { default: p.metadata };
  return out;
}

/** JSON-safe: bigint → number, bytes → hex. */
function plain(v: AttrValue): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}
