/**
 * Reading a decoded OTLP message, whichever encoding it came in: protobuf (protobufjs message
 * instances, read as they are — set fields are own properties, 64-bit integers are Longs, bytes
 * are Buffers; no toObject() copy) or OTLP/JSON (lowerCamelCase or snake_case
 * keys, trace and span ids as hex — the OTLP spec's exception to proto3 JSON —, 64-bit integers as
 * strings or numbers, enums as integers). Anything malformed is the sender's error: OtlpDecodeError.
 */
import type protobuf from 'protobufjs';
import type { AttrValue, Attributes, OtlpResource, OtlpScope } from './types.ts';

export class OtlpDecodeError extends Error {}

export type Obj = Record<string, unknown>;

/** An OTLP/HTTP request body as a plain object, from JSON or from protobuf of `type`. */
export function decodeMessage(body: Buffer, contentType: string, type: protobuf.Type): Obj {
  const json = /json/i.test(contentType);
  let message: unknown;
  try {
    message = json ? JSON.parse(body.toString('utf8')) : type.decode(body);
  } catch (e) {
    throw new OtlpDecodeError(`The request body is not a valid OTLP ${type.name} (${json ? 'JSON' : 'protobuf'}): ${(e as Error).message}`);
  }
  if (!isObj(message)) throw new OtlpDecodeError(`The request body is not an OTLP ${type.name} object.`);
  return message;
}

/**
 * Reads `snake_case` or `lowerCamelCase`, whichever the body used. Own properties only: a
 * protobufjs message keeps its defaults (and unset oneof members) on the prototype, and a field
 * not sent must read as absent.
 */
export function field(o: unknown, snake: string): unknown {
  if (!isObj(o)) return undefined;
  if (Object.hasOwn(o, snake)) return o[snake];
  const camel = camelOf(snake);
  return Object.hasOwn(o, camel) ? o[camel] : undefined;
}

/** lowerCamelCase of each field name, converted once (per field read it was the decoder's largest cost). */
const camels = new Map<string, string>();

function camelOf(snake: string): string {
  let camel = camels.get(snake);
  if (camel === undefined) camels.set(snake, (camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())));
  return camel;
}

interface LongLike {
  low: number;
  high: number;
  unsigned: boolean;
}

/** protobufjs' 64-bit integers (Long) as bigint. */
function isLong(v: unknown): v is LongLike {
  return typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number' && typeof (v as LongLike).unsigned === 'boolean';
}

function longToBigInt(v: LongLike): bigint {
  const high = v.unsigned ? BigInt(v.high >>> 0) : BigInt(v.high | 0);
  return (high << 32n) | BigInt(v.low >>> 0);
}

/** A signed 64-bit integer field (int64, sfixed64): a Long, a decimal string or an integer. */
export function int64(v: unknown, what: string): bigint | undefined {
  if (v === undefined || v === null) return undefined;
  if (isLong(v)) return longToBigInt(v);
  if ((typeof v === 'string' && /^-?\d+$/.test(v)) || (typeof v === 'number' && Number.isInteger(v))) return BigInt(v);
  throw new OtlpDecodeError(`${what} must be a 64-bit integer.`);
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A repeated message field: a list of objects (anything else is the sender's error). */
export function list(v: unknown): Obj[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every(isObj)) throw new OtlpDecodeError('Expected a list of objects in the OTLP message.');
  return v;
}

/** An id field (trace id 16 bytes, span id 8): hex in JSON, bytes in protobuf; '' when absent or all zero. */
export function optionalId(v: unknown, bytes: number, what: string, json: boolean): string {
  if (v === undefined || v === null || v === '' || (Buffer.isBuffer(v) && v.length === 0)) return '';
  if (json) {
    if (typeof v === 'string' && new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(v)) return /^0+$/.test(v) ? '' : v.toLowerCase();
    throw new OtlpDecodeError(`${what} must be ${bytes * 2} hex digits.`);
  }
  if (Buffer.isBuffer(v) && v.length === bytes) return v.every((b) => b === 0) ? '' : v.toString('hex');
  throw new OtlpDecodeError(`${what} must be ${bytes} bytes.`);
}

/** An id the message cannot do without (a span's own ids). */
export function requiredId(v: unknown, bytes: number, what: string, json: boolean): string {
  const id = optionalId(v, bytes, what, json);
  if (id === '') throw new OtlpDecodeError(`${what} must be ${json ? `${bytes * 2} hex digits` : `${bytes} bytes`}, not all zero.`);
  return id;
}

/** A fixed64 nanosecond timestamp; 0 when absent. */
export function nanos(v: unknown): bigint {
  if (isLong(v)) return BigInt.asUintN(64, longToBigInt(v));
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return BigInt(Math.trunc(v));
  if (v === undefined || v === null) return 0n;
  throw new OtlpDecodeError('Timestamps must be unsigned nanoseconds.');
}

/** An unsigned 64-bit count (as a double: counts past 2^53 lose precision, not meaning). */
export function count(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  if (isLong(v)) return Number(BigInt.asUintN(64, longToBigInt(v)));
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  throw new OtlpDecodeError(`${what} must be an unsigned integer.`);
}

/** A double field; JSON may spell NaN and the infinities as strings (proto3 JSON). */
export function double(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new OtlpDecodeError(`${what} must be a number.`);
}

/** A small integer field (enums, flags, severity numbers). */
export function int(v: unknown, what: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw new OtlpDecodeError(`${what} must be an integer.`);
}

export function resource(rs: unknown): OtlpResource {
  return { attributes: attributes(field(field(rs, 'resource'), 'attributes')) };
}

export function scope(ss: unknown): OtlpScope {
  const s = field(ss, 'scope');
  return { name: String(field(s, 'name') ?? ''), version: String(field(s, 'version') ?? ''), attributes: attributes(field(s, 'attributes')) };
}

export function attributes(v: unknown): Attributes {
  // fromEntries defines own properties: a key such as `__proto__` is data, not the prototype.
  return Object.fromEntries(list(v).map((kv) => [String(field(kv, 'key') ?? ''), anyValue(field(kv, 'value'))]));
}

export function anyValue(v: unknown): AttrValue {
  if (!isObj(v)) return null;
  const s = field(v, 'string_value');
  if (s !== undefined) return String(s);
  const b = field(v, 'bool_value');
  if (b !== undefined) return Boolean(b);
  const i = int64(field(v, 'int_value'), 'intValue');
  if (i !== undefined) return i;
  const d = field(v, 'double_value');
  if (d !== undefined) return Number(d);
  const arr = field(v, 'array_value');
  if (arr !== undefined) return list(field(arr, 'values')).map(anyValue);
  const kv = field(v, 'kvlist_value');
  if (kv !== undefined) return attributes(field(kv, 'values'));
  const bytes = field(v, 'bytes_value');
  if (bytes !== undefined) return Buffer.isBuffer(bytes) ? new Uint8Array(bytes) : new Uint8Array(Buffer.from(String(bytes), 'base64'));
  return null;
}

/** An attribute value as JSON would carry it: 64-bit integers as numbers when exact, bytes as base64. */
export function plainValue(v: AttrValue): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(plainValue);
  if (v !== null && typeof v === 'object') return plainAttributes(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}

export function plainAttributes(a: Attributes): Record<string, unknown> {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, plainValue(v)]));
}
