/**
 * The `http` block of a segment from a span's HTTP semantic conventions — current names
 * (`http.request.method`, `url.full`, `http.response.status_code`, `user_agent.original`,
 * `client.address`) and the pre-1.21 ones (`http.method`, `http.url`, `http.status_code`,
 * `http.user_agent`, `http.client_ip`). Without a full URL one is built from scheme, host and target
 * as the exporter does.
 */
import { SpanKind, type AttrValue, type Attributes, type OtlpSpan } from '../../../protocol/otlp/types.ts';

function first(a: Attributes, ...keys: string[]): AttrValue | undefined {
  for (const k of keys) if (a[k] !== undefined && a[k] !== null && a[k] !== '') return a[k];
  return undefined;
}

function asString(v: AttrValue | undefined): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;
}

function asNumber(v: AttrValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

export function httpStatus(a: Attributes): number | undefined {
  return asNumber(first(a, 'http.response.status_code', 'http.status_code'));
}

function urlOf(span: OtlpSpan): string | undefined {
  const a = span.attributes;
  const full = asString(first(a, 'url.full', 'http.url'));
  if (full) return full;
  const scheme = asString(first(a, 'url.scheme', 'http.scheme')) ?? 'http';
  const host = asString(first(a, 'server.address', 'http.host', 'net.host.name', 'net.peer.name'));
  const port = asString(first(a, 'server.port', 'net.host.port', 'net.peer.port'));
  const path = asString(first(a, 'url.path', 'http.target'));
  if (!host || path === undefined) return undefined;
  const query = asString(a['url.query']);
  const defaultPort = (scheme === 'http' && port === '80') || (scheme === 'https' && port === '443');
  return `${scheme}://${host}${port && !defaultPort ? `:${port}` : ''}${path}${query ? `?${query}` : ''}`;
}

export function httpBlock(span: OtlpSpan): Record<string, unknown> | undefined {
  const a = span.attributes;
  const method = asString(first(a, 'http.request.method', 'http.method'));
  const status = httpStatus(a);
  if (!method && status === undefined) return undefined;
  const request: Record<string, unknown> = {};
  if (method) request.method = method;
  const url = urlOf(span);
  if (url) request.url = url;
  const agent = asString(first(a, 'user_agent.original', 'http.user_agent'));
  if (agent) request.user_agent = agent;
  const client = span.kind === SpanKind.SERVER ? asString(first(a, 'client.address', 'http.client_ip', 'net.sock.peer.addr')) : undefined;
  if (client) request.client_ip = client;
  const response: Record<string, unknown> = {};
  if (status !== undefined) response.status = status;
  const length = asNumber(first(a, 'http.response.body.size', 'http.response_content_length'));
  if (length !== undefined) response.content_length = length;
  return { ...(Object.keys(request).length ? { request } : {}), ...(Object.keys(response).length ? { response } : {}) };
}
