/**
 * executeHttpStep(stepName, requestOptions, [callback], [stepConfig]): one Node http/https request
 * run as a step. The callback validates the response (AWS's default: status 200–299); the response
 * is counted by class, and the request lands in HttpRequestsReport.json with the headers and bodies
 * the include* options allow and the DNS/TCP/TLS/first-byte timings.
 */
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { ConfigValues } from './config.ts';
import type { RunContext } from './run-context.ts';
import { errorMessage, runStep } from './steps.ts';

type Options = http.RequestOptions & { body?: string | Uint8Array | Record<string, unknown> };

export interface PreparedRequest {
  url: string;
  options: http.RequestOptions;
  body?: string | Uint8Array;
}

const BODY_LIMIT = 100 * 1024;

/** AWS accepts a URL string, a URL, or http.request options plus `body`. */
export function prepareRequest(requestOptions: string | URL | Options): PreparedRequest {
  if (typeof requestOptions === 'string' || requestOptions instanceof URL) {
    const u = new URL(String(requestOptions));
    return {
      url: u.toString(),
      options: { protocol: u.protocol, hostname: u.hostname, port: u.port || undefined, path: `${u.pathname}${u.search}`, method: 'GET' },
    };
  }
  const { body, ...rest } = requestOptions;
  const protocol = rest.protocol ?? 'https:';
  const host = rest.hostname ?? rest.host ?? 'localhost';
  const port = rest.port ? `:${rest.port}` : '';
  const encoded = body === undefined || typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  return { url: `${protocol}//${host}${port}${rest.path ?? '/'}`, options: { ...rest, protocol, method: rest.method ?? 'GET' }, body: encoded };
}

interface Timings {
  start: number;
  dns?: number;
  tcp?: number;
  tls?: number;
  firstByte?: number;
  end?: number;
}

function send(req: PreparedRequest, timings: Timings): Promise<IncomingMessage> {
  const lib = req.options.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const r = lib.request(req.options, (res) => {
      timings.firstByte = Date.now();
      res.once('end', () => (timings.end = Date.now()));
      resolve(res);
    });
    r.once('socket', (s: Socket) => {
      s.once('lookup', () => (timings.dns = Date.now()));
      s.once('connect', () => (timings.tcp = Date.now()));
      s.once('secureConnect', () => (timings.tls = Date.now()));
    });
    r.once('error', reject);
    r.end(req.body);
  });
}

/** Copies the body chunks as they are emitted, without switching the stream's flow mode. */
function tapBody(res: IncomingMessage): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  const emit = res.emit.bind(res) as (event: string | symbol, ...args: unknown[]) => boolean;
  res.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'data' && size < BODY_LIMIT) {
      const chunk = Buffer.from(args[0] as Uint8Array);
      chunks.push(chunk);
      size += chunk.length;
    }
    return emit(event, ...args);
  }) as typeof res.emit;
  return () => Buffer.concat(chunks).subarray(0, BODY_LIMIT).toString('utf8');
}

async function defaultValidation(res: IncomingMessage): Promise<void> {
  res.resume();
  await new Promise((resolve) => res.once('end', resolve).once('close', resolve));
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) throw new Error(`${status} ${res.statusMessage ?? ''}`.trim());
}

const since = (t: Timings, at: number | undefined) => (at === undefined ? -1 : at - t.start);

function reportEntry(ctx: RunContext, stepName: string, req: PreparedRequest, cfg: ConfigValues, t: Timings, res?: IncomingMessage, body?: string, error?: string) {
  const headers = (h: Record<string, unknown> | undefined) => ctx.logHelper.getSanitizedHeaders(h ?? {}, cfg);
  return {
    stepName,
    request: {
      url: ctx.sanitizeUrl(req.url),
      method: req.options.method,
      ...(cfg.includeRequestHeaders ? { headers: headers(req.options.headers as Record<string, unknown>) } : {}),
      ...(cfg.includeRequestBody && req.body !== undefined ? { body: Buffer.from(req.body).toString('utf8') } : {}),
    },
    response: res
      ? {
          statusCode: res.statusCode,
          statusText: res.statusMessage,
          ...(cfg.includeResponseHeaders ? { headers: headers(res.headers) } : {}),
          ...(cfg.includeResponseBody && body !== undefined ? { body } : {}),
        }
      : undefined,
    httpTimings: { dns: since(t, t.dns), tcp: since(t, t.tcp), tls: since(t, t.tls), firstByte: since(t, t.firstByte), total: since(t, t.end ?? Date.now()) },
    ...(error ? { error } : {}),
  };
}

export async function executeHttpStep(
  ctx: RunContext,
  stepName: string,
  requestOptions: string | URL | Options,
  callback?: (res: IncomingMessage) => unknown,
  stepConfig?: Partial<Record<string, unknown>>,
): Promise<unknown> {
  const cfg = ctx.config.merged(stepConfig);
  const req = prepareRequest(requestOptions);
  return runStep(ctx, stepName, async () => {
    const timings: Timings = { start: Date.now() };
    let res: IncomingMessage | undefined;
    let body: (() => string) | undefined;
    try {
      res = await send(req, timings).catch((e: unknown) => {
        ctx.counter.failure();
        throw e;
      });
      ctx.counter.response(res.statusCode ?? 0);
      ctx.logger.info(`Response: ${res.statusCode} ${res.statusMessage ?? ''} ${ctx.sanitizeUrl(req.url)}`);
      body = tapBody(res);
      const outcome = await (typeof callback === 'function' ? callback(res) : defaultValidation(res));
      res.resume();
      ctx.httpRequests.push(reportEntry(ctx, stepName, req, cfg, timings, res, body()));
      return outcome;
    } catch (e) {
      ctx.httpRequests.push(reportEntry(ctx, stepName, req, cfg, timings, res, body?.(), errorMessage(e)));
      throw e;
    }
  }, stepConfig, { continueKey: 'continueOnHttpStepFailure' });
}
