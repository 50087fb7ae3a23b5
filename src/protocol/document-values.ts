/** Small facts about decoded wire values, shared by the document walker and its compiled plans. */
import type { Shape, TimestampFormat } from './models/types.ts';
import { NUMERIC, parseTimestamp } from './text-forms.ts';

/** Value ranges of the integral types (longs limited to what a JS number holds exactly). */
export const INT_RANGES: Partial<Record<Shape['type'], [number, number]>> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** Sets a key on a fresh object even when it is `__proto__` (map keys come from clients). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** A domain object (what handlers return for structures and maps): not a list, timestamp or blob. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  );
}

/** A decoded JSON/CBOR map: a plain object (not a cbor-x `Tag` or typed array). */
export function isWireObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export const timestampFormatOf = (shape: Shape): TimestampFormat | undefined =>
  shape.type === 'timestamp' ? shape.timestampFormat : undefined;

/**
 * A domain scalar normalised for output, or undefined when it can't be one of `shape`'s type.
 * Lenient where the intent is unambiguous (a numeric string for a number, an ISO string or epoch
 * seconds for a timestamp, UTF-8 text for a blob). Shared with the XML encoder.
 */
export function toScalar(shape: Shape, value: unknown): string | number | boolean | Date | Buffer | undefined {
  switch (shape.type) {
    case 'string':
      if (typeof value === 'string') return value;
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' ? true : value === 'false' ? false : undefined;
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'biginteger':
    case 'float':
    case 'double':
    case 'bigdecimal':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      return typeof value === 'string' && NUMERIC.test(value) ? Number(value) : undefined;
    case 'timestamp':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
      return typeof value === 'string' || typeof value === 'number' ? parseTimestamp(value) : undefined;
    case 'blob':
      if (Buffer.isBuffer(value)) return value;
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return typeof value === 'string' ? Buffer.from(value, 'utf8') : undefined;
    default:
      return undefined;
  }
}
