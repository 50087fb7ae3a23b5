/**
 * OTLP/HTTP export on the main port, shared by the three signals (`/v1/traces`, `/v1/logs`,
 * `/v1/metrics`): protobuf or JSON bodies, optionally gzip-compressed; SigV4 required as on AWS's
 * endpoints unless `otlpUnsigned`; answers as the OTLP specification says — 200 with an Export…
 * ServiceResponse (partial success when some items were rejected) in the request's encoding, and
 * errors as a google.rpc.Status (400 for malformed requests, 503 + Retry-After when the store asks
 * the client to come back).
 */
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type protobuf from 'protobufjs';
import { effectiveAccessKeys, type OspreyConfig } from '../../config/config.ts';
import type { HttpRoute, RouteRequest } from '../../server/module.ts';
import { isServiceError, isTemporarilyUnavailable } from '../errors.ts';
import { ExportLogsServiceResponse, ExportMetricsServiceResponse, ExportTraceServiceResponse, RpcStatus } from './proto.ts';
import { OtlpDecodeError } from './values.ts';

const gunzipAsync = promisify(gunzip);
type Reply = Awaited<ReturnType<HttpRoute['handle']>>;

/** What each signal's response calls its rejected items. */
const SIGNALS = {
  traces: { path: '/v1/traces', response: ExportTraceServiceResponse, rejected: 'rejected_spans' },
  logs: { path: '/v1/logs', response: ExportLogsServiceResponse, rejected: 'rejected_log_records' },
  metrics: { path: '/v1/metrics', response: ExportMetricsServiceResponse, rejected: 'rejected_data_points' },
} as const satisfies Record<string, { path: string; response: protobuf.Type; rejected: string }>;

export type OtlpSignal = keyof typeof SIGNALS;

export interface OtlpExportRequest {
  /** The signer's account and region (or the configured ones for unsigned requests). */
  scope: { account: string; region: string; principalArn: string };
  /** The body, inflated if it was gzip. */
  body: Buffer;
  contentType: string;
  headers: RouteRequest['headers'];
}

/** How many items were refused, and why (OTLP's partial success). */
export interface OtlpExportResult {
  rejected: number;
  message: string;
}

/** A refusal of the whole request with an HTTP status (e.g. a missing header, an unknown log group). */
export class OtlpRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface OtlpRouteOptions {
  signal: OtlpSignal;
  /** Accept unsigned requests into `unsignedScope` (a trusted network's opt-out). */
  unsigned: boolean;
  unsignedScope: { account: string; region: string; principalArn: string };
  maxBodyBytes: number;
  handle(req: OtlpExportRequest): Promise<OtlpExportResult>;
}

/** The route for `signal` as the configuration sets it up (signing, unsigned scope, body limit). */
export function otlpRoute(config: OspreyConfig, signal: OtlpSignal, handle: OtlpRouteOptions['handle']): HttpRoute {
  const key = effectiveAccessKeys(config)[0]!;
  return otlpExportRoute({
    signal, unsigned: config.otlpUnsigned, maxBodyBytes: config.maxBodyBytes, handle,
    unsignedScope: { account: key.accountId, region: config.otlpRegion, principalArn: key.principalArn },
  });
}

function otlpExportRoute(opts: OtlpRouteOptions): HttpRoute {
  const { path } = SIGNALS[opts.signal];
  return {
    method: 'POST',
    prefix: path,
    ...(opts.unsigned ? {} : { auth: 'sigv4' as const }),
    handle: async (pathAndQuery, body, req) => {
      if (pathAndQuery.split('?')[0] !== path) return text(404, `Not found: OTLP ${opts.signal} are exported to ${path}.`);
      const scope = req.identity
        ? { account: req.identity.accountId, region: req.identity.region, principalArn: req.identity.principalArn }
        : opts.unsignedScope;
      return exportRequest(opts, scope, body, req);
    },
  };
}

async function exportRequest(opts: OtlpRouteOptions, scope: OtlpExportRequest['scope'], raw: Buffer, req: RouteRequest): Promise<Reply> {
  const contentType = String(req.headers['content-type'] ?? '');
  const json = /json/i.test(contentType);
  if (!json && !/protobuf/i.test(contentType)) return text(415, 'Content-Type must be application/x-protobuf or application/json.');
  let body = raw;
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip') {
    try {
      body = await gunzipAsync(raw, { maxOutputLength: opts.maxBodyBytes });
    } catch {
      return status(json, 400, 'The request body is not valid gzip data (or inflates beyond the body limit).');
    }
  } else if (encoding !== '' && encoding !== 'identity') {
    return text(415, `Content-Encoding ${encoding} is not supported: send gzip or no compression.`);
  }
  try {
    const result = await opts.handle({ scope, body, contentType, headers: req.headers });
    return success(opts.signal, json, result);
  } catch (e) {
    if (e instanceof OtlpDecodeError) return status(json, 400, e.message);
    if (e instanceof OtlpRequestError) return status(json, e.status, e.message);
    if (isTemporarilyUnavailable(e)) return { ...status(json, 503, 'Temporarily unavailable; retry.'), headers: { ...contentTypeOf(json), 'retry-after': String(Math.max(1, Math.ceil(e.retryAfterSeconds))) } };
    if (isServiceError(e) && e.status < 500) return status(json, e.status, `${e.code}: ${e.message}`);
    if (isServiceError(e) && e.headers?.['Retry-After']) return { ...status(json, e.status, e.message), headers: { ...contentTypeOf(json), 'retry-after': e.headers['Retry-After'] } };
    throw e;
  }
}

function success(signal: OtlpSignal, json: boolean, r: OtlpExportResult): Reply {
  const { response, rejected } = SIGNALS[signal];
  if (json) {
    // proto3 JSON: lowerCamelCase; AWS's endpoints write the count as a number.
    const key = rejected.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const body = r.rejected > 0 ? { partialSuccess: { [key]: r.rejected, errorMessage: r.message } } : {};
    return { status: 200, headers: contentTypeOf(true), body: JSON.stringify(body) };
  }
  const partial = r.rejected > 0 ? { partial_success: { [rejected]: r.rejected, error_message: r.message } } : {};
  return { status: 200, headers: contentTypeOf(false), body: Buffer.from(response.encode(response.fromObject(partial)).finish()) };
}

/** gRPC status codes for the HTTP statuses OTLP/HTTP answers with. */
const GRPC_CODE: Record<number, number> = { 400: 3, 403: 7, 404: 5, 413: 8, 429: 8, 503: 14 };

function status(json: boolean, httpStatus: number, message: string): Reply {
  const code = GRPC_CODE[httpStatus] ?? (httpStatus < 500 ? 9 : 13);
  const body = json ? JSON.stringify({ code, message }) : Buffer.from(RpcStatus.encode(RpcStatus.fromObject({ code, message })).finish());
  return { status: httpStatus, headers: contentTypeOf(json), body };
}

const contentTypeOf = (json: boolean) => ({ 'content-type': json ? 'application/json' : 'application/x-protobuf' });

function text(httpStatus: number, message: string): Reply {
  return { status: httpStatus, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: message };
}
