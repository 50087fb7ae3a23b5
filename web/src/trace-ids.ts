// Trace ids as they appear in log events, and the X-Ray trace each names: `1-<8 hex>-<24 hex>`
// (X-Ray, `@xrayTraceId`), a W3C / OpenTelemetry trace id of 32 hex digits (`traceId` of OTLP
// log records) — X-Ray's id is the same 128 bits with the first 8 digits split off — or an
// X-Amzn-Trace-Id header value (`Root=1-…;Parent=…;Sampled=1`).

const XRAY = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/;
const W3C = /^[0-9a-f]{32}$/;
const HEADER = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})/;

/** Fields whose values Logs Insights rows link to the trace. */
export const TRACE_ID_FIELDS = new Set(['@xrayTraceId', 'xrayTraceId', 'traceId', 'trace_id', 'trace.id', 'TraceId', 'traceid']);

/** The X-Ray trace id a field value names, or undefined. */
export function xrayTraceId(value: string): string | undefined {
  const v = value.trim().toLowerCase();
  if (XRAY.test(v)) return v;
  if (W3C.test(v) && !/^0+$/.test(v)) return `1-${v.slice(0, 8)}-${v.slice(8)}`;
  const h = HEADER.exec(value.trim());
  return h ? h[1]!.toLowerCase() : undefined;
}

/** The two spellings of one trace id in log text: X-Ray's and the W3C one OpenTelemetry logs carry. */
export function traceIdSpellings(xrayId: string): string[] {
  const m = XRAY.exec(xrayId);
  return m ? [xrayId, `${m[1]}${m[2]}`] : [xrayId];
}
