/**
 * restJson1 bodies and bindings: an operation's input is spread over URI labels, query parameters,
 * headers and the body (`location` on each member; `payload` for a member that is the whole body),
 * and its output over the status code, headers and body. Handlers only see the one input object and
 * return one output object, as for every other protocol.
 */
import { ServiceError } from './errors.ts';
import { getShape } from './models/index.ts';
import type { OperationModel, ServiceModel, ShapeRef, StructureShape } from './models/types.ts';
import { decodeJson, encodeJson } from './json-codec.ts';
import { setOwn } from './document-values.ts';
import { BAD_TEXT, TEXT_EXPECTED, bindingTimestampFormat, headerText, scalarFromText, splitHeaderList, type BindingLocation } from './http-bindings.ts';
import type { Violation } from './validate.ts';

type Headers = Record<string, string | string[] | undefined>;

export interface RestJsonRequest {
  /** URI labels by template name, already percent-decoded. */
  labels: Record<string, string>;
  rawQuery: string;
  /** Query keys the requestUri itself requires (`?tagging`): never members. */
  fixedQueryKeys?: string[];
  /** Lower-case names, as Node delivers them. */
  headers: Headers;
  body: Buffer;
}

export interface RestJsonResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Parses a JSON request body that must be an object; anything else is the client's SerializationException. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new ServiceError('SerializationException', `Request body is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ServiceError('SerializationException', 'Request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * The request → the operation's input (member names as keys). A label, query value or header that
 * is not text of its member's type is answered with `invalid` (the service's validation error).
 */
export function decodeRestJsonInput(
  model: ServiceModel,
  shapeName: string,
  req: RestJsonRequest,
  invalid: (violations: Violation[]) => ServiceError,
): Record<string, unknown> {
  const shape = getShape(model, shapeName) as StructureShape;
  const input = decodeBody(model, shapeName, shape, req.body);
  const query = new URLSearchParams(req.rawQuery);
  const violations: Violation[] = [];
  const claimedKeys = new Set(req.fixedQueryKeys ?? []);
  let queryMap: [string, ShapeRef] | undefined;
  for (const [name, ref] of Object.entries(shape.members)) {
    const wire = ref.locationName ?? name;
    let value: unknown;
    if (ref.location === 'uri') {
      value = readScalar(model, ref, req.labels[wire], 'uri');
    } else if (ref.location === 'querystring') {
      if (getShape(model, ref.shape).type === 'map') {
        // The catch-all map takes every parameter no other member names; read after the loop.
        queryMap = [name, ref];
        continue;
      }
      claimedKeys.add(wire);
      value = readQuery(model, ref, query, wire);
    } else if (ref.location === 'header') {
      value = readHeader(model, ref, req.headers[wire.toLowerCase()]);
    } else if (ref.location === 'headers') {
      value = readPrefixHeaders(model, ref, req.headers, wire.toLowerCase());
    } else {
      continue;
    }
    if (value === BAD_TEXT) violations.push(typeViolation(model, ref, name));
    else if (value !== undefined) input[name] = value;
  }
  if (queryMap) {
    const value = readQueryMap(model, queryMap[1], query, claimedKeys);
    if (value === BAD_TEXT) violations.push(typeViolation(model, queryMap[1], queryMap[0]));
    else if (value !== undefined) input[queryMap[0]] = value;
  }
  if (violations.length > 0) throw invalid(violations);
  return input;
}

function decodeBody(model: ServiceModel, shapeName: string, shape: StructureShape, body: Buffer): Record<string, unknown> {
  if (shape.payload) {
    const ref = shape.members[shape.payload]!;
    const target = getShape(model, ref.shape);
    if (body.length === 0) return {};
    if (target.type === 'blob') return { [shape.payload]: body };
    if (target.type === 'string') return { [shape.payload]: body.toString('utf8') };
    return { [shape.payload]: decodeJson(model, ref.shape, parseJsonObject(body), lowerFirst(shape.payload)) };
  }
  // Operations whose input is all labels/query/headers ignore a body, as AWS does.
  const hasBodyMembers = Object.values(shape.members).some((m) => !m.location);
  if (!hasBodyMembers || body.length === 0) return {};
  return decodeJson(model, shapeName, parseJsonObject(body)) as Record<string, unknown>;
}

function readScalar(model: ServiceModel, ref: ShapeRef, text: string | undefined, where: BindingLocation): unknown {
  if (text === undefined) return undefined;
  return scalarFromText(getShape(model, ref.shape), ref, text, where);
}

/** Lists are repeated keys (`TagKeys=a&TagKeys=b`); a scalar takes the first occurrence. */
function readQuery(model: ServiceModel, ref: ShapeRef, query: URLSearchParams, key: string): unknown {
  if (!query.has(key)) return undefined;
  const shape = getShape(model, ref.shape);
  if (shape.type !== 'list') return readScalar(model, ref, query.get(key)!, 'querystring');
  return readList(model, shape.member, query.getAll(key), 'querystring');
}

function readList(model: ServiceModel, member: ShapeRef, texts: string[], where: BindingLocation): unknown {
  const out: unknown[] = [];
  for (const t of texts) {
    const v = readScalar(model, member, t, where);
    if (v === BAD_TEXT) return BAD_TEXT;
    out.push(v);
  }
  return out;
}

/** `map<string,string>` takes each key's first value; `map<string,list<string>>` all of them. */
function readQueryMap(model: ServiceModel, ref: ShapeRef, query: URLSearchParams, claimed: Set<string>): unknown {
  const shape = getShape(model, ref.shape);
  if (shape.type !== 'map') return undefined;
  const valueShape = getShape(model, shape.value.shape);
  const out: Record<string, unknown> = {};
  let any = false;
  for (const key of new Set(query.keys())) {
    if (claimed.has(key)) continue;
    const v = valueShape.type === 'list'
      ? readList(model, valueShape.member, query.getAll(key), 'querystring')
      : readScalar(model, shape.value, query.get(key)!, 'querystring');
    if (v === BAD_TEXT) return BAD_TEXT;
    setOwn(out, key, v);
    any = true;
  }
  return any ? out : undefined;
}

function readHeader(model: ServiceModel, ref: ShapeRef, raw: string | string[] | undefined): unknown {
  if (raw === undefined) return undefined;
  const shape = getShape(model, ref.shape);
  if (shape.type !== 'list') return readScalar(model, ref, Array.isArray(raw) ? raw[0] : raw, 'header');
  // Repeated header lines mean the same as one comma-joined line (RFC 9110 §5.3).
  const joined = Array.isArray(raw) ? raw.join(', ') : raw;
  const member = getShape(model, shape.member.shape);
  const httpDates = member.type === 'timestamp' && bindingTimestampFormat(shape.member, member, 'header') === 'rfc822';
  return readList(model, shape.member, joined === '' ? [] : splitHeaderList(joined, httpDates), 'header');
}

/** `x-amz-meta-`-style maps: every header with the prefix, keyed by the rest of its (lower-case) name. */
function readPrefixHeaders(model: ServiceModel, ref: ShapeRef, headers: Headers, prefix: string): unknown {
  const shape = getShape(model, ref.shape);
  if (shape.type !== 'map') return undefined;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [name, raw] of Object.entries(headers)) {
    if (!name.startsWith(prefix) || name.length === prefix.length || raw === undefined) continue;
    const v = readHeader(model, shape.value, raw);
    if (v === BAD_TEXT) return BAD_TEXT;
    setOwn(out, name.slice(prefix.length), v);
    any = true;
  }
  return any ? out : undefined;
}

function typeViolation(model: ServiceModel, ref: ShapeRef, name: string): Violation {
  const shape = getShape(model, ref.shape);
  const type = shape.type === 'list' || shape.type === 'map' ? getShape(model, shape.type === 'list' ? shape.member.shape : shape.value.shape).type : shape.type;
  const constraint = TEXT_EXPECTED[type] ?? `Member must be a valid ${type}`;
  return { path: lowerFirst(name), value: null, constraint };
}

/**
 * The handler's output → status, headers and body: header-bound members become headers, a
 * `statusCode` member the status, a payload member the whole body, the rest a JSON object.
 */
export function encodeRestJsonOutput(model: ServiceModel, op: OperationModel, output: unknown): RestJsonResponse {
  let status = op.http.responseCode ?? 200;
  const headers: Record<string, string> = {};
  const shapeName = op.output?.shape;
  const value = (output ?? {}) as Record<string, unknown>;
  let body: string | Buffer = '{}';
  let contentType = 'application/json';
  if (shapeName) {
    const shape = getShape(model, shapeName) as StructureShape;
    for (const [name, ref] of Object.entries(shape.members)) {
      const v = value[name];
      if (ref.location === 'header') {
        const text = headerText(model, ref, v, `${shapeName}.${name}`);
        if (text !== undefined) headers[ref.locationName ?? name] = text;
      } else if (ref.location === 'headers') {
        writePrefixHeaders(model, ref, v, ref.locationName ?? '', headers, `${shapeName}.${name}`);
      } else if (ref.location === 'statusCode' && typeof v === 'number') {
        status = v;
      }
    }
    [body, contentType] = encodeBody(model, shapeName, shape, value);
  }
  // 204 and 304 answers carry no body at all (HTTP); clients would otherwise wait for it.
  if (status === 204 || status === 304) body = '';
  else if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = contentType;
  return { status, headers, body };
}

function encodeBody(model: ServiceModel, shapeName: string, shape: StructureShape, value: Record<string, unknown>): [string | Buffer, string] {
  if (!shape.payload) return [JSON.stringify(encodeJson(model, shapeName, value)), 'application/json'];
  const ref = shape.members[shape.payload]!;
  const target = getShape(model, ref.shape);
  const v = value[shape.payload];
  if (target.type === 'blob') {
    // Absent → empty body; SDK v3 hands the client an empty stream either way.
    const bytes = v === undefined || v === null ? Buffer.alloc(0) : Buffer.isBuffer(v) ? v : v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v), 'utf8');
    return [bytes, 'application/octet-stream'];
  }
  if (target.type === 'string') return [v === undefined || v === null ? '' : String(v), 'text/plain'];
  if (v === undefined || v === null) return ['', 'application/json'];
  return [JSON.stringify(encodeJson(model, ref.shape, v)), 'application/json'];
}

/** RFC 9110 token characters: what Node accepts as a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function writePrefixHeaders(model: ServiceModel, ref: ShapeRef, value: unknown, prefix: string, out: Record<string, string>, path: string): void {
  if (value === undefined || value === null) return;
  const shape = getShape(model, ref.shape);
  if (shape.type !== 'map' || typeof value !== 'object') throw new TypeError(`Output ${path}: expected a map for prefix headers`);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!HEADER_NAME.test(`${prefix}${key}`)) throw new TypeError(`Output ${path}: ${JSON.stringify(key)} cannot be part of a header name`);
    const text = headerText(model, shape.value, v, `${path}[${JSON.stringify(key)}]`);
    if (text !== undefined) out[`${prefix}${key}`] = text;
  }
}

/**
 * A restJson error body. `__type` and `message` are what every client reads for the code and text;
 * error shapes with a `Message` member (Scheduler, Schemas, X-Ray) also get it under that name, and
 * ones with a required `Code` member (Schemas) the error's name there, so SDK v3's modeled exception
 * properties and botocore's parsed fields are filled as from AWS.
 */
export function restJsonErrorBody(
  model: ServiceModel | undefined,
  shapeName: string | undefined,
  qualifiedType: string,
  message: string,
  fields: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const shape = model && shapeName ? model.shapes[shapeName] : undefined;
  const out: Record<string, unknown> = { __type: qualifiedType, message };
  if (shape?.type === 'structure') {
    if ('Message' in shape.members) out.Message = message;
    if ('Code' in shape.members) out.Code = shapeName;
  }
  return { ...out, ...fields };
}
