/**
 * Compiled encoders: per (document format, model, shape) one closure that turns a handler's
 * domain value into its wire document — the fast pass of json-codec.ts's encodeDocument.
 *
 * Big answers (10,000 GetRecords records, 1,440 GetMetricData points, 10 SQS messages a call
 * thousands of times a second) spent most of their encoding in looking shapes up by name and
 * switching on their types per value; a plan does both once per shape. On a value that does not
 * fit its shape it throws ENCODE_MISMATCH, and encodeDocument runs the walker to say where.
 * encode-plan.test.ts holds plans and walker to each other over every output shape of every model.
 */
import { getShape } from './models/index.ts';
import type { Shape, ShapeRef, StructureShape } from './models/types.ts';
import type { DocumentFormat } from './json-codec.ts';
import { isPlainObject, setOwn, timestampFormatOf, toScalar } from './document-values.ts';
import { planCacheByFormat } from './plan-cache.ts';

/** Thrown by a plan at the first value that does not fit its shape. */
export const ENCODE_MISMATCH = Symbol('encode mismatch');

export type Encoder = (value: unknown) => unknown;

/** The encoder of `shapeName` (a value that is not null/undefined) in `format`, compiled on first use. */
export const encodePlan = planCacheByFormat<Encoder>((format) => (model, name, plan) => {
  const byRef = (ref: ShapeRef): Encoder => {
    // A member's own timestampFormat changes how its scalar is written: its own (uncached) plan.
    const shape = getShape(model, ref.shape);
    return ref.timestampFormat !== undefined && shape.type === 'timestamp' ? scalarPlan(shape, ref, format) : plan(ref.shape);
  };
  return compile(getShape(model, name), { shape: name }, format, byRef);
});

const fail = (): never => {
  throw ENCODE_MISMATCH;
};

function compile(shape: Shape, ref: ShapeRef, format: DocumentFormat, plan: (ref: ShapeRef) => Encoder): Encoder {
  switch (shape.type) {
    case 'structure':
      return shape.document ? (v) => v : structurePlan(shape, plan);
    case 'list': {
      const element = plan(shape.member);
      return (value) => {
        if (!Array.isArray(value)) return fail();
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const v: unknown = value[i];
          out[i] = v === undefined || v === null ? null : element(v);
        }
        return out;
      };
    }
    case 'map': {
      const element = plan(shape.value);
      return (value) => {
        if (!isPlainObject(value)) return fail();
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const v = value[key];
          if (v !== undefined) setOwn(out, key, v === null ? null : element(v));
        }
        return out;
      };
    }
    default:
      return scalarPlan(shape, ref, format);
  }
}

const INTEGRAL = new Set(['byte', 'short', 'integer', 'long', 'biginteger']);

function scalarPlan(shape: Shape, ref: ShapeRef, format: DocumentFormat): Encoder {
  if (shape.type === 'string') {
    // The common case first: a string member holding a string is written as it is.
    return (v) => (typeof v === 'string' ? v : toScalar(shape, v) ?? fail());
  }
  const timestampFormat = ref.timestampFormat ?? timestampFormatOf(shape);
  const writeInteger = format.writeInteger && INTEGRAL.has(shape.type) ? format.writeInteger : undefined;
  return (value) => {
    const scalar = toScalar(shape, value);
    if (scalar === undefined) return fail();
    if (scalar instanceof Date) return format.writeTimestamp(scalar, timestampFormat);
    if (Buffer.isBuffer(scalar)) return format.writeBlob(scalar);
    if (typeof scalar === 'number') {
      if (!Number.isFinite(scalar)) return format.writeFloat(scalar);
      if (writeInteger) return writeInteger(scalar);
    }
    return scalar;
  };
}

function structurePlan(shape: StructureShape, plan: (ref: ShapeRef) => Encoder): Encoder {
  // Body members only (restJson members bound to headers/status are written elsewhere), in model order.
  const members = Object.entries(shape.members)
    .filter(([, ref]) => !ref.location)
    .map(([name, ref]) => ({ name, wire: ref.locationName ?? name, encode: plan(ref) }));
  return (value) => {
    if (!isPlainObject(value)) return fail();
    const out: Record<string, unknown> = {};
    for (const m of members) {
      const v = value[m.name];
      if (v !== undefined && v !== null) out[m.wire] = m.encode(v);
    }
    return out;
  };
}
