/** Small facts about decoded wire values, shared by the document walker and its compiled plans. */
import type { Shape } from './models/types.ts';

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

/** A decoded JSON/CBOR map: a plain object (not a cbor-x `Tag` or typed array). */
export function isWireObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
