/**
 * The HTTP request an API destination invocation sends: the endpoint with its `*` path wildcards
 * filled from the target's PathParameterValues, the target's HttpParameters and the connection's
 * InvocationHttpParameters (the connection's win on a clash, as AWS documents), the authorization
 * header, and the rendered event as a JSON body.
 */
import type { ConnectionHttpParameters, HttpParameters } from '@aws-sdk/client-eventbridge';

export interface OutgoingRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** Absent for GET and HEAD, which carry no body. */
  body?: string;
}

export class RequestError extends Error {}

/** Each `*` of the endpoint takes the next path parameter value, URL-encoded (a value cannot add path segments). */
export function fillPath(endpoint: string, values: readonly string[] = []): string {
  let i = 0;
  const filled = endpoint.replace(/\*/g, () => {
    const v = values[i++];
    if (v === undefined) {
      throw new RequestError(`the endpoint ${endpoint} has more path wildcards (*) than the target's PathParameterValues (${values.length})`);
    }
    return encodeURIComponent(v);
  });
  return filled;
}

const pairs = (list: { Key?: string; Value?: string }[] | undefined): [string, string][] =>
  (list ?? []).filter((p) => p.Key !== undefined).map((p) => [p.Key!, p.Value ?? '']);

/** Header names compare case-insensitively: a connection's `x-key` replaces a target's `X-Key`. */
function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const k of Object.keys(headers)) if (k.toLowerCase() === name.toLowerCase()) delete headers[k];
  headers[name] = value;
}

/** Body parameters join a JSON object body as top-level keys; other bodies are sent as rendered. */
function withBodyParameters(body: string, params: [string, string][]): string {
  if (params.length === 0) return body;
  try {
    const v = JSON.parse(body) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return JSON.stringify({ ...(v as object), ...Object.fromEntries(params) });
  } catch {
    // not JSON: sent as it is
  }
  return body;
}

export interface RequestParts {
  endpoint: string;
  method: string;
  target?: HttpParameters;
  connection?: ConnectionHttpParameters;
  /** From the connection's authorization: `Authorization: Basic …`/`Bearer …`, or the API key header. */
  auth?: [string, string];
  body: string;
}

export function buildRequest(p: RequestParts): OutgoingRequest {
  const url = new URL(fillPath(p.endpoint, p.target?.PathParameterValues));
  for (const [k, v] of Object.entries(p.target?.QueryStringParameters ?? {})) url.searchParams.set(k, v);
  for (const [k, v] of pairs(p.connection?.QueryStringParameters)) url.searchParams.set(k, v);
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'Amazon/EventBridge/ApiDestinations' };
  for (const [k, v] of Object.entries(p.target?.HeaderParameters ?? {})) setHeader(headers, k, v);
  for (const [k, v] of pairs(p.connection?.HeaderParameters)) setHeader(headers, k, v);
  if (p.auth) setHeader(headers, p.auth[0], p.auth[1]);
  const method = p.method.toUpperCase();
  const bodyless = method === 'GET' || method === 'HEAD';
  return { url: url.toString(), method, headers, ...(bodyless ? {} : { body: withBodyParameters(p.body, pairs(p.connection?.BodyParameters)) }) };
}

export const basicAuthorization = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
