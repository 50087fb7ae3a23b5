/**
 * OTLP/HTTP trace export on the main port: `POST /v1/traces` with protobuf or JSON, optionally
 * gzip-compressed, as AWS's X-Ray OTLP endpoint takes it (SigV4 with the `xray` signing name, unless
 * `otlpUnsigned`). Spans become X-Ray segment documents (span-to-segment.ts) stored like
 * PutTraceSegments' — so they appear in BatchGetTraces, GetTraceSummaries and the service graph.
 * Spans X-Ray would refuse are counted in `partial_success.rejected_spans`, as the OTLP spec asks.
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { effectiveAccessKeys } from '../../../config/config.ts';
import { isTemporarilyUnavailable } from '../../../protocol/errors.ts';
import type { Env, HttpRoute, RouteRequest } from '../../../server/module.ts';
import type { XrayDeps } from '../deps.ts';
import { storeDocuments } from '../put-trace-segments.ts';
import { OtlpDecodeError, decodeTraces } from './decode-traces.ts';
import { spanToSegment } from './span-to-segment.ts';
import { ExportTraceServiceResponse } from './trace-proto.ts';

const gunzipAsync = promisify(gunzip);
type Reply = Awaited<ReturnType<HttpRoute['handle']>>;

export function otlpTracesRoute(deps: XrayDeps, env: Env): HttpRoute {
  const { config } = env;
  const fallback = effectiveAccessKeys(config)[0]!;
  return {
    method: 'POST',
    prefix: '/v1/traces',
    ...(config.otlpUnsigned ? {} : { auth: 'sigv4' as const }),
    handle: async (pathAndQuery, body, req) => {
      if (pathAndQuery.split('?')[0] !== '/v1/traces') return text(404, 'Not found: OTLP traces are exported to /v1/traces.');
      const scope = req.identity ? { account: req.identity.accountId, region: req.identity.region } : { account: fallback.accountId, region: config.xrayRegion };
      return exportTraces(deps, scope, body, req, config.maxBodyBytes);
    },
  };
}

async function exportTraces(deps: XrayDeps, scope: { account: string; region: string }, raw: Buffer, req: RouteRequest, maxBytes: number): Promise<Reply> {
  const contentType = String(req.headers['content-type'] ?? '');
  const json = /json/i.test(contentType);
  if (!json && !/protobuf/i.test(contentType)) return text(415, 'Content-Type must be application/x-protobuf or application/json.');
  let body = raw;
  if (String(req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
    try {
      body = await gunzipAsync(raw, { maxOutputLength: maxBytes });
    } catch {
      return text(400, 'The request body is not valid gzip data (or inflates beyond the body limit).');
    }
  }
  let docs: string[];
  try {
    docs = decodeTraces(body, contentType).flatMap((rs) => rs.spans.map((s) => JSON.stringify(spanToSegment(s, rs.resource))));
  } catch (e) {
    if (e instanceof OtlpDecodeError) return text(400, e.message);
    throw e;
  }
  try {
    const { unprocessed } = await storeDocuments(deps, scope, docs, { checkTraceEpoch: false });
    return respond(json, unprocessed.length, unprocessed.map((u) => `${u.Id ?? '?'}: ${u.ErrorCode}`).slice(0, 5).join('; '));
  } catch (e) {
    if (isTemporarilyUnavailable(e)) {
      return { status: 503, headers: { 'content-type': 'text/plain', 'retry-after': String(Math.ceil(e.retryAfterSeconds)) }, body: 'Temporarily unavailable; retry.' };
    }
    throw e;
  }
}

function respond(json: boolean, rejected: number, message: string): Reply {
  const partial = rejected > 0 ? { partial_success: { rejected_spans: rejected, error_message: `Rejected spans: ${message}` } } : {};
  if (json) {
    const body = rejected > 0 ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage: partial.partial_success!.error_message } } : {};
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }
  const bytes = ExportTraceServiceResponse.encode(ExportTraceServiceResponse.fromObject(partial)).finish();
  return { status: 200, headers: { 'content-type': 'application/x-protobuf' }, body: Buffer.from(bytes) };
}

function text(status: number, message: string): Reply {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message };
}
