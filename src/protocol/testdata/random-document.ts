/**
 * Random wire documents for a model's shapes — mostly well-formed, sometimes not (wrong types,
 * nulls, unknown keys, values past a constraint) — for tests that hold two implementations of the
 * same rules to each other (decode-plan.test.ts, validity-plan.test.ts, encode-plan.test.ts).
 */
import { getShape } from '../models/index.ts';
import type { ServiceModel, Shape, StructureShape } from '../models/types.ts';

export { seededRandom as seeded } from '../../lib/seeded-random.ts';

export type Rng = () => number;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const WRONG: unknown[] = [true, 7, 'text', [], {}, 1.5, '2026-01-02T03:04:05Z', -1];

/** A JSON-like value for `shapeName`; `bad` is the chance of a wrong-typed value at each level. */
export function randomDocument(model: ServiceModel, shapeName: string, rng: Rng, bad = 0.05, depth = 0): unknown {
  if (rng() < bad) return pick(rng, WRONG);
  const shape = getShape(model, shapeName);
  switch (shape.type) {
    case 'structure':
      return shape.document ? { any: 'thing' } : randomStructure(model, shape, rng, bad, depth);
    case 'list':
      if (depth > 5) return [];
      return Array.from({ length: Math.floor(rng() * 4) }, () => (rng() < 0.05 ? null : randomDocument(model, shape.member.shape, rng, bad, depth + 1)));
    case 'map': {
      const out: Record<string, unknown> = {};
      if (depth > 5) return out;
      for (let i = Math.floor(rng() * 3); i > 0; i--) {
        out[String(randomString(getShape(model, shape.key.shape), rng))] = rng() < 0.05 ? null : randomDocument(model, shape.value.shape, rng, bad, depth + 1);
      }
      return out;
    }
    default:
      return randomScalar(shape, rng);
  }
}

function randomStructure(model: ServiceModel, shape: StructureShape, rng: Rng, bad: number, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const required = new Set(shape.required ?? []);
  for (const [name, ref] of Object.entries(shape.members)) {
    if (ref.location) continue;
    const wanted = required.has(name) ? rng() < 0.95 : rng() < (depth > 3 ? 0.1 : 0.5);
    if (!wanted) continue;
    out[ref.locationName ?? name] = rng() < 0.03 ? null : randomDocument(model, ref.shape, rng, bad, depth + 1);
  }
  if (rng() < 0.1) out.NotAMember = 'ignored';
  return out;
}

function randomString(shape: Shape, rng: Rng): string {
  if (shape.type === 'string' && shape.enum && rng() < 0.8) return pick(rng, shape.enum);
  const min = 'min' in shape && typeof shape.min === 'number' ? shape.min : 0;
  const max = 'max' in shape && typeof shape.max === 'number' ? shape.max : 20;
  const r = rng();
  const length = r < 0.05 ? max + 1 : r < 0.1 ? Math.max(0, min - 1) : min + Math.floor(rng() * Math.min(8, max - min + 1));
  return pick(rng, ['a', 'Z', '0', '-', '_', '/', ' ', 'é']).repeat(Math.max(0, length));
}

function randomScalar(shape: Shape, rng: Rng): unknown {
  switch (shape.type) {
    case 'string':
      return randomString(shape, rng);
    case 'boolean':
      return rng() < 0.5;
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'biginteger': {
      const r = rng();
      if (r < 0.05) return 3.5;
      if (r < 0.1) return 2 ** 40;
      const lo = shape.min ?? -5;
      const hi = shape.max ?? 100;
      return Math.round(lo - 1 + rng() * (Math.min(hi, lo + 200) - lo + 2));
    }
    case 'float':
    case 'double':
    case 'bigdecimal':
      return rng() < 0.2 ? pick(rng, ['NaN', 'Infinity', '-Infinity', 'nope']) : (rng() - 0.3) * 1000;
    case 'timestamp':
      return pick(rng, [1767323040, 1767323040.5, '2026-01-02T03:04:05Z', '2026-13-40', 'soon']);
    case 'blob':
      return pick(rng, ['aGVsbG8=', 'aGk', '', '!!not base64!!']);
    default:
      return null;
  }
}

/** Every operation's input (or output) shape in `model`. */
export function operationShapes(model: ServiceModel, side: 'input' | 'output' = 'input'): string[] {
  return Object.values(model.operations).flatMap((op) => (op[side] ? [op[side].shape] : []));
}
