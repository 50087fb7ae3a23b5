/**
 * restJson request routing: each operation's `http.requestUri` template (`/schedules/{Name}`,
 * `/{Bucket}/{Key+}`, `/path?tagging`) compiled once per service from its model, and matched
 * against a request's method, raw path and query. Labels come back percent-decoded.
 */
import { ServiceError } from './errors.ts';
import type { ServiceModel } from './models/types.ts';

export interface RestMatch {
  operation: string;
  /** Label name (as written in the template) → percent-decoded value. */
  labels: Record<string, string>;
  /** Query keys the template itself requires (`?tagging`): not input members. */
  fixedQueryKeys: string[];
}

interface CompiledRoute {
  operation: string;
  method: string;
  pattern: RegExp;
  labelNames: string[];
  /** Template query literals: key, and the value it must have when the template gives one. */
  query: [string, string | undefined][];
  /** Per path segment: 0 literal, 1 label, 2 greedy label; compared left to right. */
  rank: number[];
}

export class RestRouteTable {
  /** Method → routes, most specific first. */
  private readonly byMethod = new Map<string, CompiledRoute[]>();

  constructor(model: ServiceModel) {
    for (const [operation, op] of Object.entries(model.operations)) {
      if (!op.http?.requestUri) continue;
      const route = compile(operation, op.http.method ?? 'POST', op.http.requestUri);
      const list = this.byMethod.get(route.method) ?? [];
      list.push(route);
      this.byMethod.set(route.method, list);
    }
    for (const list of this.byMethod.values()) list.sort(bySpecificity);
  }

  /** The operation the request addresses, or undefined. `rawPath` is the path exactly as received. */
  match(method: string, rawPath: string, query: URLSearchParams): RestMatch | undefined {
    for (const route of this.byMethod.get(method) ?? []) {
      const m = route.pattern.exec(rawPath);
      if (!m || !queryMatches(route, query)) continue;
      const labels: Record<string, string> = {};
      route.labelNames.forEach((name, i) => (labels[name] = decodeLabel(m[i + 1]!)));
      return { operation: route.operation, labels, fixedQueryKeys: route.query.map(([k]) => k) };
    }
    return undefined;
  }
}

function compile(operation: string, method: string, requestUri: string): CompiledRoute {
  const q = requestUri.indexOf('?');
  const pathPart = q >= 0 ? requestUri.slice(0, q) : requestUri;
  const query = q >= 0 ? parseTemplateQuery(requestUri.slice(q + 1)) : [];
  const labelNames: string[] = [];
  const rank: number[] = [];
  let source = '';
  for (const segment of pathPart.split('/').slice(1)) {
    let segRank = 0;
    // A segment is literal text with `{Label}` / `{Label+}` placeholders (in AWS models a label is
    // always the whole segment, but nothing here needs that).
    const compiled = segment.replace(/\{([^}]+)\}|[^{]+/g, (part, label: string | undefined) => {
      if (label === undefined) return escapeRegExp(part);
      const greedy = label.endsWith('+');
      labelNames.push(greedy ? label.slice(0, -1) : label);
      segRank = Math.max(segRank, greedy ? 2 : 1);
      // Greedy labels span segments; others stop at `/`. Neither may be empty (AWS answers 404).
      return greedy ? '(.+)' : '([^/]+)';
    });
    source += `/${compiled}`;
    rank.push(segRank);
  }
  return { operation, method, pattern: new RegExp(`^${source || '/'}$`), labelNames, query, rank };
}

/** `tagging&versionId=x` → [['tagging', undefined], ['versionId', 'x']]. */
function parseTemplateQuery(text: string): [string, string | undefined][] {
  return text
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq >= 0 ? [p.slice(0, eq), p.slice(eq + 1)] : [p, undefined];
    });
}

function queryMatches(route: CompiledRoute, query: URLSearchParams): boolean {
  return route.query.every(([k, v]) => (v === undefined ? query.has(k) : query.get(k) === v));
}

/**
 * Literal segments beat labels and labels beat greedy labels, position by position, so
 * `/schemas/search` wins over `/schemas/{name}`; then routes with more query constraints win.
 */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  const n = Math.min(a.rank.length, b.rank.length);
  for (let i = 0; i < n; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
  if (a.rank.length !== b.rank.length) return b.rank.length - a.rank.length;
  return b.query.length - a.query.length;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A malformed escape cannot name any resource: the same 404 as a path that matches nothing. */
function decodeLabel(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ServiceError('UnknownOperationException', `Malformed percent-encoding in the request path: ${raw}`, { status: 404 });
  }
}
