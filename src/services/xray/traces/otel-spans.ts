/**
 * An assembled X-Ray trace → OpenTelemetry spans, for ListRetrievedTraces' `TraceFormat: OTEL`:
 * every segment and (nested) subsegment becomes one span in the OTLP/JSON shape (ids as hex,
 * times as decimal nanosecond strings, attributes as a plain object, the segment's service as
 * resource attributes). The mapping is span-to-segment.ts's read backwards: segments are SERVER
 * spans, `aws` / `remote` subsegments CLIENT spans, the rest INTERNAL; fault or error → status
 * ERROR; annotations and `metadata.default` become attributes (annotation keys listed in
 * `aws.xray.annotations`); `cause.exceptions` become `exception` events.
 */
import type { Doc } from './assemble.ts';

export interface OtelSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: 'SERVER' | 'CLIENT' | 'INTERNAL';
  startTimeUnixNano: string;
  endTimeUnixNano?: string;
  durationNano?: number;
  status: { code: 'UNSET' | 'ERROR'; message?: string };
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  resource: { attributes: Record<string, unknown> };
}

/** `1-5759e988-bd862e3fe1be46a994272793` → `5759e988bd862e3fe1be46a994272793`. */
export function w3cTraceId(xrayId: string): string {
  return xrayId.slice(2).replace('-', '');
}

const nanos = (seconds: number): bigint => BigInt(Math.round(seconds * 1e6)) * 1000n;

const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

function httpAttributes(http: unknown, out: Record<string, unknown>): void {
  if (!isDoc(http)) return;
  const req = isDoc(http.request) ? http.request : {};
  const res = isDoc(http.response) ? http.response : {};
  if (typeof req.method === 'string') out['http.request.method'] = req.method;
  if (typeof req.url === 'string') out['url.full'] = req.url;
  if (typeof req.client_ip === 'string') out['client.address'] = req.client_ip;
  if (typeof req.user_agent === 'string') out['user_agent.original'] = req.user_agent;
  if (typeof res.status === 'number') out['http.response.status_code'] = res.status;
  if (typeof res.content_length === 'number') out['http.response.body.size'] = res.content_length;
}

function awsAttributes(aws: unknown, out: Record<string, unknown>): void {
  if (!isDoc(aws)) return;
  for (const [k, v] of Object.entries(aws)) {
    if (k === 'operation' && typeof v === 'string') out['rpc.method'] = v;
    else if (k === 'region' && typeof v === 'string') out['cloud.region'] = v;
    else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[`aws.${k}`] = v;
  }
}

function sqlAttributes(sql: unknown, out: Record<string, unknown>): void {
  if (!isDoc(sql)) return;
  if (typeof sql.database_type === 'string') out['db.system'] = sql.database_type;
  if (typeof sql.sanitized_query === 'string') out['db.query.text'] = sql.sanitized_query;
  if (typeof sql.user === 'string') out['db.user'] = sql.user;
}

function attributesOf(d: Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  httpAttributes(d.http, out);
  awsAttributes(d.aws, out);
  sqlAttributes(d.sql, out);
  if (typeof d.user === 'string') out['enduser.id'] = d.user;
  if (typeof d.namespace === 'string') out['aws.xray.namespace'] = d.namespace;
  const metadata = isDoc(d.metadata) && isDoc(d.metadata.default) ? d.metadata.default : {};
  for (const [k, v] of Object.entries(metadata)) if (!k.startsWith('otel.resource.')) out[k] = v;
  const annotations = isDoc(d.annotations) ? d.annotations : {};
  for (const [k, v] of Object.entries(annotations)) out[k] = v;
  if (Object.keys(annotations).length) out['aws.xray.annotations'] = Object.keys(annotations);
  return out;
}

function resourceOf(segment: Doc): Record<string, unknown> {
  const out: Record<string, unknown> = { 'service.name': segment.name };
  const metadata = isDoc(segment.metadata) && isDoc(segment.metadata.default) ? segment.metadata.default : {};
  for (const [k, v] of Object.entries(metadata)) if (k.startsWith('otel.resource.')) out[k.slice('otel.resource.'.length)] = v;
  if (isDoc(segment.service) && typeof segment.service.version === 'string') out['service.version'] = segment.service.version;
  if (typeof segment.origin === 'string') out['aws.xray.origin'] = segment.origin;
  return out;
}

function eventsOf(d: Doc): OtelSpan['events'] {
  const exceptions = isDoc(d.cause) && Array.isArray(d.cause.exceptions) ? d.cause.exceptions.filter(isDoc) : [];
  return exceptions.map((e) => ({
    name: 'exception',
    attributes: { ...(typeof e.type === 'string' ? { 'exception.type': e.type } : {}), 'exception.message': typeof e.message === 'string' ? e.message : '' },
  }));
}

function toSpan(d: Doc, traceId: string, parentSpanId: string, kind: OtelSpan['kind'], resource: Record<string, unknown>): OtelSpan {
  const start = typeof d.start_time === 'number' ? d.start_time : 0;
  const end = typeof d.end_time === 'number' ? d.end_time : undefined;
  const failed = d.fault === true || d.error === true;
  return {
    traceId, spanId: String(d.id), parentSpanId, name: String(d.name), kind,
    startTimeUnixNano: nanos(start).toString(),
    ...(end !== undefined ? { endTimeUnixNano: nanos(end).toString(), durationNano: Number(nanos(end) - nanos(start)) } : {}),
    status: failed ? { code: 'ERROR' } : { code: 'UNSET' },
    attributes: attributesOf(d), events: eventsOf(d), resource: { attributes: resource },
  };
}

/** The spans of one trace's segments (as assembled, subsegments nested), parents before children. */
export function traceToOtelSpans(xrayTraceId: string, segments: readonly Doc[]): OtelSpan[] {
  const traceId = w3cTraceId(xrayTraceId);
  const out: OtelSpan[] = [];
  const walk = (owner: Doc, parentId: string, resource: Record<string, unknown>): void => {
    for (const sub of Array.isArray(owner.subsegments) ? owner.subsegments.filter(isDoc) : []) {
      const kind = sub.namespace === 'aws' || sub.namespace === 'remote' ? 'CLIENT' : 'INTERNAL';
      out.push(toSpan(sub, traceId, parentId, kind, resource));
      walk(sub, String(sub.id), resource);
    }
  };
  for (const s of segments) {
    const resource = resourceOf(s);
    out.push(toSpan(s, traceId, typeof s.parent_id === 'string' ? s.parent_id : '', 'SERVER', resource));
    walk(s, String(s.id), resource);
  }
  return out;
}
