/**
 * Compiled decoders: per (document format, model, shape) one closure that turns a wire document
 * into its domain form — the fast pass of json-codec.ts's decodeDocument.
 *
 * The walker in json-codec.ts looks every shape up by name and switches on its type for every
 * value; for big ingest calls (1,000 MetricData with dimensions, 500 Kinesis records) that lookup
 * and dispatch was most of decoding's cost. A plan does both once per shape, when the shape is
 * first decoded. It builds no paths and carries no messages: on the first value of the wrong type
 * it throws DECODE_MISMATCH, and decodeDocument runs the walker, which names the member.
 *
 * The result must equal the walker's for every input (decode-plan.test.ts checks them against each
 * other over every operation of every model): unknown members dropped, `null` = absent, documents
 * converted in place where every key is a body member under its own name.
 */
import { getShape } from './models/index.ts';
import type { Shape, StructureShape } from './models/types.ts';
import type { DocumentFormat } from './json-codec.ts';
import { INT_RANGES, isWireObject, setOwn } from './document-values.ts';
import { planCacheByFormat } from './plan-cache.ts';

/** Thrown by a plan at the first value it cannot decode. */
export const DECODE_MISMATCH = Symbol('decode mismatch');

export type Decoder = (value: unknown) => unknown;

/** The decoder of `shapeName` (a value that is not null/undefined) in `format`, compiled on first use. */
export const decodePlan = planCacheByFormat<Decoder>((format) => (model, name, plan) => compile(getShape(model, name), format, plan));

const fail = (): never => {
  throw DECODE_MISMATCH;
};

function compile(shape: Shape, format: DocumentFormat, plan: (name: string) => Decoder): Decoder {
  switch (shape.type) {
    case 'structure':
      return shape.document ? (v) => v : structurePlan(shape, plan);
    case 'list': {
      const element = plan(shape.member.shape);
      return (value) => {
        if (!Array.isArray(value)) return fail();
        if (!value.includes(null) && !value.includes(undefined)) {
          for (let i = 0; i < value.length; i++) value[i] = element(value[i]);
          return value;
        }
        const out: unknown[] = [];
        for (const v of value) if (v !== null && v !== undefined) out.push(element(v));
        return out;
      };
    }
    case 'map': {
      const element = plan(shape.value.shape);
      return (value) => {
        if (!isWireObject(value)) return fail();
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          const v = value[key];
          if (v !== null && v !== undefined) setOwn(out, key, element(v));
        }
        return out;
      };
    }
    case 'string':
      return (v) => (typeof v === 'string' ? v : fail());
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : fail());
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'biginteger':
      return integerPlan(INT_RANGES[shape.type]);
    case 'float':
    case 'double':
    case 'bigdecimal':
      return floatPlan;
    case 'timestamp':
      return (v) => (v instanceof Date ? v : format.readTimestamp(v) ?? fail());
    case 'blob':
      return (v) => (Buffer.isBuffer(v) ? v : format.readBlob(v) ?? fail());
  }
}

function integerPlan(range: [number, number] | undefined): Decoder {
  const [lo, hi] = range ?? [-Infinity, Infinity];
  return (value) => {
    const n = typeof value === 'bigint' ? Number(value) : value;
    return typeof n === 'number' && Number.isInteger(n) && n >= lo && n <= hi ? n : fail();
  };
}

function floatPlan(value: unknown): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  // Smithy JSON spells non-finite floats as strings.
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return fail();
}

interface MemberPlan {
  name: string;
  decode: Decoder;
}

function structurePlan(shape: StructureShape, plan: (name: string) => Decoder): Decoder {
  // Wire key → member. Members bound to headers/query/URI (restJson) are not in the body.
  const byWire = new Map<string, MemberPlan>();
  const pending: Array<[string, string, string]> = [];
  for (const [name, ref] of Object.entries(shape.members)) if (!ref.location) pending.push([ref.locationName ?? name, name, ref.shape]);
  // Member plans are made after the map exists, so a recursive member finds this structure's forwarder.
  for (const [wire, name, shapeName] of pending) byWire.set(wire, { name, decode: plan(shapeName) });
  return (value) => {
    if (!isWireObject(value)) return fail();
    let inPlace = true;
    for (const key in value) {
      const m = byWire.get(key);
      const v = value[key];
      if (m === undefined || m.name !== key || v === null || v === undefined) {
        inPlace = false;
        break;
      }
    }
    if (inPlace) {
      // The parsed document belongs to this request: converting it in place spares an object per
      // element of big ingest calls.
      for (const key in value) value[key] = byWire.get(key)!.decode(value[key]);
      return value;
    }
    const out: Record<string, unknown> = {};
    for (const key in value) {
      const m = byWire.get(key);
      const v = value[key];
      if (m !== undefined && v !== null && v !== undefined) out[m.name] = m.decode(v);
    }
    return out;
  };
}
