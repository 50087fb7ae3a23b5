/**
 * Shape inference for schema discovery: a JSON value → its Shape, and merging shapes seen at
 * different times. Pure; rendering to OpenAPI / JSON Schema is render.ts.
 *
 * Merging keeps every field ever seen (a field seen once stays), marks as required only fields
 * present every time, widens integer + number to number, and lets a changed type replace the old
 * one (the newer events describe the source as it is now).
 */

export type Shape =
  | { t: 'string'; format?: 'date-time'; nullable?: boolean }
  | { t: 'integer'; nullable?: boolean }
  | { t: 'number'; nullable?: boolean }
  | { t: 'boolean'; nullable?: boolean }
  | { t: 'null' }
  /** `items` undefined: only empty arrays were seen. */
  | { t: 'array'; items?: Shape; nullable?: boolean }
  | { t: 'object'; props: Record<string, Shape>; required: string[]; nullable?: boolean };

/** AWS's discoverer ignores what is nested deeper than this ("Discover" in the Schemas API reference). */
export const MAX_DEPTH = 255;

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

export function infer(value: unknown, depth = 0): Shape {
  if (value === null || value === undefined) return { t: 'null' };
  switch (typeof value) {
    case 'string':
      return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? { t: 'string', format: 'date-time' } : { t: 'string' };
    case 'number':
      return Number.isInteger(value) ? { t: 'integer' } : { t: 'number' };
    case 'boolean':
      return { t: 'boolean' };
    default:
      break;
  }
  if (depth >= MAX_DEPTH) return { t: 'object', props: {}, required: [] };
  if (Array.isArray(value)) {
    let items: Shape | undefined;
    for (const v of value) items = items ? merge(items, infer(v, depth + 1)) : infer(v, depth + 1);
    return items ? { t: 'array', items } : { t: 'array' };
  }
  const props: Record<string, Shape> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) props[k] = infer(v, depth + 1);
  return { t: 'object', props, required: Object.keys(props).sort() };
}

/** The shape that describes everything `a` and `b` described (`b` the newer). */
export function merge(a: Shape, b: Shape): Shape {
  if (a.t === 'null') return b.t === 'null' ? b : { ...b, nullable: true };
  if (b.t === 'null') return { ...a, nullable: true };
  const nullable = a.nullable || b.nullable ? { nullable: true } : {};
  if (a.t === 'object' && b.t === 'object') {
    const props: Record<string, Shape> = { ...a.props };
    for (const [k, v] of Object.entries(b.props)) props[k] = props[k] ? merge(props[k], v) : v;
    const required = a.required.filter((k) => b.required.includes(k));
    return { t: 'object', props, required, ...nullable };
  }
  if (a.t === 'array' && b.t === 'array') {
    const items = a.items && b.items ? merge(a.items, b.items) : (a.items ?? b.items);
    return items ? { t: 'array', items, ...nullable } : { t: 'array', ...nullable };
  }
  if (a.t === 'string' && b.t === 'string') {
    return a.format && a.format === b.format ? { t: 'string', format: a.format, ...nullable } : { t: 'string', ...nullable };
  }
  const numeric = new Set(['integer', 'number']);
  if (numeric.has(a.t) && numeric.has(b.t)) return { t: a.t === b.t ? a.t : 'number', ...nullable } as Shape;
  return { ...b, ...nullable };
}

/** The merged shape of several values (undefined for none). */
export function inferAll(values: readonly unknown[]): Shape | undefined {
  let shape: Shape | undefined;
  for (const v of values) shape = shape ? merge(shape, infer(v)) : infer(v);
  return shape;
}
