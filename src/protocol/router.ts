import { ServiceError } from './errors.ts';
import { loadModel, type ServiceName } from './models/index.ts';
import { PROFILES, type Protocol } from './profiles.ts';
import { RestRouteTable } from './rest-routes.ts';

export interface RouteRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The query string as received (without `?`): restJson templates may require query keys. */
  rawQuery?: string;
  /** Signing service from the SigV4 credential scope, when the request is signed. */
  signingService?: string;
}

export interface Route {
  service: ServiceName;
  protocol: Protocol;
  /** Known for JSON/CBOR/REST from the envelope; for awsQuery it is read from the body later. */
  operation?: string;
  /** restJson: the requestUri labels, percent-decoded, and the template's own query keys. */
  labels?: Record<string, string>;
  fixedQueryKeys?: string[];
}

const SERVICES = Object.keys(PROFILES) as ServiceName[];

/** X-Amz-Target prefixes (and the CBOR service path segment) → service. */
const TARGET_PREFIXES = new Map<string, ServiceName>();
/** awsQuery `Version=` → service. */
const QUERY_VERSIONS = new Map<string, ServiceName>();
/** restJson services and their requestUri tables, in models-list order. */
const REST_TABLES = new Map<ServiceName, RestRouteTable>();

for (const name of SERVICES) {
  const m = loadModel(name);
  if (m.metadata.targetPrefix) TARGET_PREFIXES.set(m.metadata.targetPrefix, name);
  if (PROFILES[name].protocols.includes('query')) QUERY_VERSIONS.set(m.metadata.apiVersion, name);
  if (PROFILES[name].protocols.includes('rest-json')) REST_TABLES.set(name, new RestRouteTable(m));
}
// SDK v3 sends the short CloudTrail target; botocore the long one (protocols.md §1.1).
TARGET_PREFIXES.set('CloudTrail_20131101', 'cloudtrail');

const header = (h: RouteRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const CBOR_PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;

/**
 * Identifies service, protocol and (where the envelope says) operation, following protocols.md §1.2.
 * Returns undefined when the request is not an AWS API call at all (e.g. the console's static files).
 */
/** A percent-decoded path segment; a malformed escape is the client's error, not a 500. */
function pathSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new ServiceError('UnknownOperationException', `Malformed percent-encoding in the request path: ${s}`, { status: 404 });
  }
}

export function route(req: RouteRequest): Route | undefined {
  const h = req.headers;
  const cbor = CBOR_PATH.exec(req.path);
  if (header(h, 'smithy-protocol') === 'rpc-v2-cbor' || cbor) {
    if (!cbor) throw new ServiceError('UnknownOperationException', 'rpc-v2-cbor requests must use POST /service/<service>/operation/<operation>', { status: 404 });
    const service = TARGET_PREFIXES.get(pathSegment(cbor[1]!));
    if (!service || !PROFILES[service].protocols.includes('cbor')) {
      throw new ServiceError('UnknownOperationException', `Unknown service ${cbor[1]} for the rpc-v2-cbor protocol`, { status: 404 });
    }
    return { service, protocol: 'cbor', operation: pathSegment(cbor[2]!) };
  }

  const target = header(h, 'x-amz-target');
  if (target !== undefined) {
    const dot = target.lastIndexOf('.');
    const service = dot > 0 ? TARGET_PREFIXES.get(target.slice(0, dot)) : undefined;
    if (!service || !PROFILES[service].protocols.includes('json')) {
      throw new ServiceError('UnknownOperationException', `Unrecognized X-Amz-Target: ${target}`);
    }
    return { service, protocol: 'json', operation: target.slice(dot + 1) };
  }

  const contentType = (header(h, 'content-type') ?? '').toLowerCase();
  if (req.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
    // The Version form field decides between CloudWatch and SNS once the body is read; the signing
    // service is a good first guess and the only one for requests without Version.
    const bySigning = SERVICES.find((s) => PROFILES[s].signingName === req.signingService);
    return { service: bySigning && PROFILES[bySigning].protocols.includes('query') ? bySigning : 'cloudwatch', protocol: 'query' };
  }

  const rest = routeRest(req);
  if (rest) return rest;

  if (req.signingService) {
    // A signed request we cannot place: answer in the protocol family of the service it was signed for.
    const svc = SERVICES.find((s) => PROFILES[s].signingName === req.signingService);
    if (svc) throw new ServiceError('UnknownOperationException', `No operation matches ${req.method} ${req.path}`, { status: 404 });
  }
  return undefined;
}

/**
 * restJson: the signing service's table when the request is signed for a restJson service (Scheduler
 * and Schemas both have `GET /tags/{arn}`), otherwise the first service whose table matches.
 */
function routeRest(req: RouteRequest): Route | undefined {
  // An unsigned GET is a browser (the console's own URLs, refreshed), never an SDK: leave it unrouted.
  if (!req.signingService && (req.method === 'GET' || req.method === 'HEAD')) return undefined;
  const signed = [...REST_TABLES.keys()].find((s) => PROFILES[s].signingName === req.signingService);
  const candidates = signed ? [signed] : [...REST_TABLES.keys()];
  const query = new URLSearchParams(req.rawQuery ?? '');
  for (const service of candidates) {
    const m = REST_TABLES.get(service)!.match(req.method, req.path, query);
    if (m) return { service, protocol: 'rest-json', operation: m.operation, labels: m.labels, fixedQueryKeys: m.fixedQueryKeys };
  }
  return undefined;
}

/** awsQuery: the `Version` field picks the service when present. */
export function queryServiceForVersion(version: string | null): ServiceName | undefined {
  return version ? QUERY_VERSIONS.get(version) : undefined;
}
