/**
 * Shape-driven conversion between wire documents (awsJson / restJson bodies, and CBOR documents
 * through cbor-codec.ts) and the domain form handlers use: member names as keys, `Date` timestamps,
 * `Buffer` blobs, numbers, booleans, plain-object maps, arrays.
 *
 * JSON and CBOR share one walker; a `DocumentFormat` says how the scalars they disagree on
 * (timestamps, blobs, non-finite floats) look on the wire. Requests and responses go through
 * compiled per-shape plans first (decode-plan.ts, encode-plan.ts); the walker runs when a plan
 * finds a value of the wrong type, to say where. Text forms of timestamps and blobs: text-forms.ts.
 */
import { ServiceError } from './errors.ts';
import { getShape } from './models/index.ts';
import { decodePlan, DECODE_MISMATCH } from './decode-plan.ts';
import { encodePlan, ENCODE_MISMATCH } from './encode-plan.ts';
import { INT_RANGES, isPlainObject, isWireObject, setOwn, timestampFormatOf, toScalar } from './document-values.ts';
import { decodeBase64, formatTimestamp, parseTimestamp } from './text-forms.ts';
import type {
  ListShape,
  MapShape,
  ServiceModel,
  Shape,
  ShapeRef,
  StructureShape,
  TimestampFormat,
} from './models/types.ts';

/** How a wire format spells the scalars JSON and CBOR disagree on. */
export interface DocumentFormat {
  /** For messages: "JSON" / "CBOR". */
  name: string;
  /** A timestamp from the wire, or undefined when the value has the wrong type. */
  readTimestamp(value: unknown): Date | undefined;
  /** A blob from the wire, or undefined when the value has the wrong type. */
  readBlob(value: unknown): Buffer | undefined;
  writeTimestamp(date: Date, format: TimestampFormat | undefined): unknown;
  writeBlob(bytes: Buffer): unknown;
  /** Doubles/floats; JSON cannot carry NaN/Infinity as numbers. */
  writeFloat(n: number): unknown;
  /** Integral members, when the format needs a hint to keep them integers (CBOR, beyond 32 bits). */
  writeInteger?(n: number): unknown;
}

// ---------------------------------------------------------------------------------------------
// The shape walker
// ---------------------------------------------------------------------------------------------
// It runs only for documents a compiled plan refused (to name the member) and as the plans'
// reference in their tests, so it copies rather than converting in place and keeps no caches
// beyond the wire-name index.

interface WireMember {
  name: string;
  ref: ShapeRef;
}

/** Per structure: wire key → member, built once (decoding iterates the input's keys, not the model's). */
const wireIndexes = new WeakMap<StructureShape, Map<string, WireMember>>();

function wireIndex(shape: StructureShape): Map<string, WireMember> {
  let index = wireIndexes.get(shape);
  if (!index) {
    index = new Map();
    for (const [name, ref] of Object.entries(shape.members)) {
      // Members bound to headers/query/URI (restJson) are not in the body; their locationName is a
      // header name, not a JSON key.
      if (ref.location) continue;
      index.set(ref.locationName ?? name, { name, ref });
    }
    wireIndexes.set(shape, index);
  }
  return index;
}


const INTEGRAL = new Set(['byte', 'short', 'integer', 'long', 'biginteger']);


function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a timestamp';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'bigint') return `number ${value}`;
  return `${typeof value} ${String(value)}`;
}

const EXPECTED: Record<string, string> = {
  structure: 'an object',
  list: 'a list',
  map: 'an object (map)',
  string: 'a string',
  boolean: 'a boolean',
  byte: 'an integer',
  short: 'an integer',
  integer: 'an integer',
  long: 'an integer',
  float: 'a number',
  double: 'a number',
  bigdecimal: 'a number',
  biginteger: 'an integer',
  blob: 'bytes',
  timestamp: 'a timestamp',
};

function mismatch(format: DocumentFormat, path: string, shape: Shape, value: unknown, detail = ''): ServiceError {
  const where = path ? `member '${path}'` : 'the request body';
  return new ServiceError(
    'SerializationException',
    `Cannot read ${format.name} ${where}: expected ${EXPECTED[shape.type] ?? shape.type}${detail}, got ${describe(value)}`,
  );
}

const memberPath = (path: string, name: string): string => (path ? `${path}.${name}` : name);

/**
 * Wire document → domain value for `shapeName`. Unknown members are ignored and `null` means absent
 * (both as AWS does); a value of the wrong type throws `SerializationException`.
 */
export function decodeDocument(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  path: string,
  format: DocumentFormat,
): unknown {
  const shape = getShape(model, shapeName);
  // An empty body is an empty input.
  if (value === undefined || value === null) return shape.type === 'structure' ? {} : undefined;
  // First through the shape's compiled plan, which builds no paths (one per element was a large
  // share of decoding big ingest calls); a mismatch it finds is decoded again by the walker below,
  // with paths, for the error message.
  try {
    return decodePlan(model, shapeName, format)(value);
  } catch (e) {
    if (e !== DECODE_MISMATCH) throw e;
  }
  return decodeWithPaths(model, shapeName, value, path, format);
}

/** The walker alone (decode-plan.test.ts holds the compiled plans to it): throws SerializationException with the path. */
export function decodeWithPaths(model: ServiceModel, shapeName: string, value: unknown, path: string, format: DocumentFormat): unknown {
  return decodeValue(model, { shape: shapeName }, value, path, format);
}

function decodeValue(model: ServiceModel, ref: ShapeRef, value: unknown, path: string, format: DocumentFormat): unknown {
  const shape = getShape(model, ref.shape);
  switch (shape.type) {
    case 'structure':
      return decodeStructure(model, shape, value, path, format);
    case 'list': {
      if (!Array.isArray(value)) throw mismatch(format, path, shape, value);
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        if (value[i] === null || value[i] === undefined) continue;
        out.push(decodeValue(model, shape.member, value[i], `${path}[${i}]`, format));
      }
      return out;
    }
    case 'map': {
      if (!isWireObject(value)) throw mismatch(format, path, shape, value);
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const v = value[key];
        if (v === null || v === undefined) continue;
        setOwn(out, key, decodeValue(model, shape.value, v, `${path}[${JSON.stringify(key)}]`, format));
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw mismatch(format, path, shape, value);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(format, path, shape, value);
      return value;
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'biginteger': {
      const n = typeof value === 'bigint' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw mismatch(format, path, shape, value);
      const range = INT_RANGES[shape.type];
      if (range && (n < range[0] || n > range[1])) {
        throw mismatch(format, path, shape, value, ` between ${range[0]} and ${range[1]}`);
      }
      return n;
    }
    case 'float':
    case 'double':
    case 'bigdecimal': {
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      // Smithy JSON spells non-finite floats as strings.
      if (value === 'NaN') return NaN;
      if (value === 'Infinity') return Infinity;
      if (value === '-Infinity') return -Infinity;
      throw mismatch(format, path, shape, value);
    }
    // A Date or Buffer here was converted in place by the compiled plan (see decodeDocument);
    // neither JSON nor the CBOR reader's own conversions make anything else of these shapes.
    case 'timestamp': {
      if (value instanceof Date) return value;
      const date = format.readTimestamp(value);
      if (!date) throw mismatch(format, path, shape, value, ' (epoch seconds or ISO-8601)');
      return date;
    }
    case 'blob': {
      if (Buffer.isBuffer(value)) return value;
      const bytes = format.readBlob(value);
      if (!bytes) throw mismatch(format, path, shape, value, format.name === 'JSON' ? ' (base64 text)' : '');
      return bytes;
    }
  }
}

function decodeStructure(model: ServiceModel, shape: StructureShape, value: unknown, path: string, format: DocumentFormat): unknown {
  if (shape.document) return value;
  if (!isWireObject(value)) throw mismatch(format, path, shape, value);
  const index = wireIndex(shape);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = index.get(key);
    const v = value[key];
    if (!member || v === null || v === undefined) continue;
    out[member.name] = decodeValue(model, member.ref, v, memberPath(path, key), format);
  }
  return out;
}

/**
 * Domain value → wire document for `shapeName`: keys become wire names, members the model doesn't
 * know are dropped, `undefined` members are omitted. A value of the wrong type is a bug in the
 * handler and throws a plain TypeError (→ 500).
 */
export function encodeDocument(model: ServiceModel, shapeName: string, value: unknown, format: DocumentFormat): unknown {
  if (value === undefined || value === null) {
    return getShape(model, shapeName).type === 'structure' ? {} : undefined;
  }
  try {
    return encodePlan(model, shapeName, format)(value);
  } catch (e) {
    if (e !== ENCODE_MISMATCH) throw e;
  }
  return encodeWithPaths(model, shapeName, value, format);
}

/** The walker alone (encode-plan.test.ts holds the compiled plans to it): a misfit throws TypeError with its path. */
export function encodeWithPaths(model: ServiceModel, shapeName: string, value: unknown, format: DocumentFormat): unknown {
  try {
    return encodeValue(model, { shape: shapeName }, value, format);
  } catch (e) {
    throw e instanceof EncodeMismatch ? new TypeError(`Output ${shapeName}${e.where}: ${e.detail}`) : e;
  }
}

/**
 * A value that does not fit its output shape. The path to it is assembled while the error travels
 * up (each level prepends its member name or index), so encoding builds no path strings for values
 * that are fine — a 500-record PutRecords or 10,000-record GetRecords answer has thousands.
 */
class EncodeMismatch extends Error {
  where = '';
  constructor(readonly detail: string) {
    super(detail);
  }
}

const within = (e: unknown, segment: string): unknown => {
  if (e instanceof EncodeMismatch) e.where = segment + e.where;
  return e;
};


function encodeValue(model: ServiceModel, ref: ShapeRef, value: unknown, format: DocumentFormat): unknown {
  const shape = getShape(model, ref.shape);
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return value;
      if (!isPlainObject(value)) throw encodeMismatch(shape, value);
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members)) {
        const v = value[name];
        if (v === undefined || v === null || member.location) continue;
        try {
          out[member.locationName ?? name] = encodeValue(model, member, v, format);
        } catch (e) {
          throw within(e, `.${name}`);
        }
      }
      return out;
    }
    case 'list':
      return encodeList(model, shape, value, format);
    case 'map':
      return encodeMap(model, shape, value, format);
    default: {
      const scalar = toScalar(shape, value);
      if (scalar === undefined) throw encodeMismatch(shape, value);
      if (scalar instanceof Date) return format.writeTimestamp(scalar, ref.timestampFormat ?? timestampFormatOf(shape));
      if (Buffer.isBuffer(scalar)) return format.writeBlob(scalar);
      if (typeof scalar === 'number') {
        if (!Number.isFinite(scalar)) return format.writeFloat(scalar);
        if (format.writeInteger && INTEGRAL.has(shape.type)) return format.writeInteger(scalar);
      }
      return scalar;
    }
  }
}

function encodeList(model: ServiceModel, shape: ListShape, value: unknown, format: DocumentFormat): unknown[] {
  if (!Array.isArray(value)) throw encodeMismatch(shape, value);
  const out = new Array<unknown>(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    try {
      out[i] = v === undefined || v === null ? null : encodeValue(model, shape.member, v, format);
    } catch (e) {
      throw within(e, `[${i}]`);
    }
  }
  return out;
}

function encodeMap(model: ServiceModel, shape: MapShape, value: unknown, format: DocumentFormat): Record<string, unknown> {
  if (!isPlainObject(value)) throw encodeMismatch(shape, value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (v === undefined) continue;
    try {
      setOwn(out, key, v === null ? null : encodeValue(model, shape.value, v, format));
    } catch (e) {
      throw within(e, `[${JSON.stringify(key)}]`);
    }
  }
  return out;
}

function encodeMismatch(shape: Shape, value: unknown): EncodeMismatch {
  return new EncodeMismatch(`expected ${EXPECTED[shape.type] ?? shape.type}, got ${describe(value)}`);
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

export const JSON_FORMAT: DocumentFormat = {
  name: 'JSON',
  readTimestamp: (value) => (typeof value === 'number' || typeof value === 'string' ? parseTimestamp(value) : undefined),
  readBlob: (value) => (typeof value === 'string' ? decodeBase64(value) : undefined),
  // SDK v3 rejects ISO strings in JSON (protocols.md §3.2), so epoch seconds unless the model says otherwise.
  writeTimestamp: (date, format) => formatTimestamp(date, format ?? 'unixTimestamp'),
  writeBlob: (bytes) => bytes.toString('base64'),
  writeFloat: (n) => (Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity'),
};

/** Parsed JSON body → domain value (see decodeDocument). */
export function decodeJson(model: ServiceModel, shapeName: string, value: unknown, path = ''): unknown {
  return decodeDocument(model, shapeName, value, path, JSON_FORMAT);
}

/** Domain value → JSON-ready value: timestamps as epoch seconds, blobs as base64 (see encodeDocument). */
export function encodeJson(model: ServiceModel, shapeName: string, value: unknown): unknown {
  return encodeDocument(model, shapeName, value, JSON_FORMAT);
}
