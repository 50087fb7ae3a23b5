/**
 * Compiled validity checks: per (model, shape) one closure that answers "does this input break
 * none of the model's constraints?" — the fast pass of validate.ts's validateInput.
 *
 * Nearly every request is valid, and ingest calls carry thousands of elements: looking each
 * element's shape up by name, switching on its type and building violation lists for it was most
 * of validation's cost. A plan does the lookups once per shape and allocates nothing. When it says
 * "no", validateInput runs the full walker, which collects every violation with its path and
 * AWS's wording; the two must agree on what is valid (validity-plan.test.ts checks them against
 * each other over every operation of every model).
 */
import { getShape } from './models/index.ts';
import type { ServiceModel, Shape } from './models/types.ts';
import { compileJavaPattern } from './java-pattern.ts';
import { planCache } from './plan-cache.ts';

export type Check = (value: unknown) => boolean;

const planFor = planCache<Check>((model, name, plan) => compile(getShape(model, name), plan));

/** True when `value` (an input of `shapeName`) breaks no constraint. */
export function isValid(model: ServiceModel, shapeName: string, value: unknown): boolean {
  return planFor(model, shapeName)(value);
}

const ALWAYS: Check = () => true;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** A size (string length, element count, byte count) within the shape's min/max. */
function sizeCheck(shape: { min?: number; max?: number }): (size: number) => boolean {
  const lo = shape.min ?? -Infinity;
  const hi = shape.max ?? Infinity;
  return (size) => size >= lo && size <= hi;
}

function compile(shape: Shape, plan: (name: string) => Check): Check {
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return ALWAYS;
      const required = new Set(shape.required ?? []);
      const members = Object.entries(shape.members).map(([name, ref]) => ({ name, required: required.has(name), check: plan(ref.shape) }));
      return (value) => {
        if (!isRecord(value)) return true;
        for (const m of members) {
          const v = value[m.name];
          if (v === undefined || v === null) {
            if (m.required) return false;
          } else if (!m.check(v)) {
            return false;
          }
        }
        return true;
      };
    }
    case 'list': {
      const size = sizeCheck(shape);
      const element = plan(shape.member.shape);
      return (value) => {
        if (!Array.isArray(value)) return true;
        if (!size(value.length)) return false;
        // Missing elements break nothing (the walker skips them, and no scalar rule applies to null).
        for (const v of value) if (v !== undefined && v !== null && !element(v)) return false;
        return true;
      };
    }
    case 'map': {
      const size = sizeCheck(shape);
      const key = plan(shape.key.shape);
      const element = plan(shape.value.shape);
      return (value) => {
        if (!isRecord(value)) return true;
        const keys = Object.keys(value);
        if (!size(keys.length)) return false;
        for (const k of keys) {
          if (!key(k)) return false;
          const v = value[k];
          if (v !== undefined && v !== null && !element(v)) return false;
        }
        return true;
      };
    }
    default:
      return scalarCheck(shape);
  }
}

/** A check compiled for a scalar shape; values of another type break nothing (decoding checked types). */
function scalarCheck(shape: Shape): Check {
  switch (shape.type) {
    case 'string': {
      const size = sizeCheck(shape);
      const re = shape.pattern !== undefined ? compileJavaPattern(shape.pattern) : null;
      const values = shape.enum ? new Set(shape.enum) : undefined;
      return (v) => typeof v !== 'string' || (size(v.length) && (re === null || re.test(v)) && (values === undefined || values.has(v)));
    }
    case 'blob': {
      const size = sizeCheck(shape);
      return (v) => !(v instanceof Uint8Array) || size(v.byteLength);
    }
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger': {
      const lo = shape.min ?? -Infinity;
      const hi = shape.max ?? Infinity;
      // NaN compares false both ways, as in the walker: it breaks neither bound.
      return (v) => typeof v !== 'number' || !(v > hi || v < lo);
    }
    default:
      return ALWAYS;
  }
}
