/**
 * smithy-rpc-v2-cbor bodies (protocols.md §3.5): the same shape walk as JSON (json-codec.ts) over a
 * CBOR document, with timestamps as tag 1 (epoch seconds) and blobs as byte strings.
 *
 * cbor-x is configured to emit plain RFC 8949 only: definite-length maps, no record/structure
 * extensions, no tagged typed arrays, no packed strings. Its built-in Date extension is tag 1 with
 * an unsigned int (whole seconds) or a float64 (fractions), which is exactly Smithy's encoding.
 */
import { Decoder, Encoder } from 'cbor-x';
import { ServiceError } from './errors.ts';
import { decodeDocument, encodeDocument, type DocumentFormat } from './json-codec.ts';
import { parseTimestamp } from './text-forms.ts';
import type { ServiceModel } from './models/types.ts';

// cbor-x's option types lag its runtime options (tagUint8Array, int64AsNumber), hence the widening.
type CborOptions = ConstructorParameters<typeof Encoder>[0] & Record<string, unknown>;

const encoder = new Encoder({
  useRecords: false,
  mapsAsObjects: true,
  structuredClone: false,
  pack: false,
  bundleStrings: false,
  // Smithy wants a plain byte string for blobs, not tag 64.
  tagUint8Array: false,
  // The smallest definite-length map header instead of cbor-x's always-16-bit one.
  variableMapSize: true,
} as CborOptions);

const decoder = new Decoder({
  useRecords: false,
  mapsAsObjects: true,
  // 64-bit integers (epoch-ms longs) as numbers rather than BigInt.
  int64AsNumber: true,
} as CborOptions);

const LARGE_INT = 0xffffffff;

export const CBOR_FORMAT: DocumentFormat = {
  name: 'CBOR',
  // cbor-x turns tag 1 (and tag 0) into a Date already; a bare number is epoch seconds.
  readTimestamp: (value) =>
    value instanceof Date ? (Number.isNaN(value.getTime()) ? undefined : value) : typeof value === 'number' ? parseTimestamp(value) : undefined,
  readBlob: (value) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : undefined),
  // timestampFormat is a JSON/XML trait; rpcv2Cbor always uses tag 1.
  writeTimestamp: (date) => date,
  writeBlob: (bytes) => bytes,
  writeFloat: (n) => n,
  // cbor-x writes integers beyond 32 bits as float64; a BigInt keeps them major type 0/1.
  writeInteger: (n) => (Number.isSafeInteger(n) && (n > LARGE_INT || n < -LARGE_INT - 1) ? BigInt(n) : n),
};

/** A CBOR request body → domain value. An empty body is an empty input. */
export function decodeCbor(model: ServiceModel, shapeName: string, bytes: Buffer): unknown {
  if (bytes.length === 0) return decodeDocument(model, shapeName, undefined, '', CBOR_FORMAT);
  let document: unknown;
  try {
    document = decoder.decode(bytes);
  } catch (e) {
    throw new ServiceError('SerializationException', `Malformed CBOR request body: ${(e as Error).message}`);
  }
  return decodeDocument(model, shapeName, document, '', CBOR_FORMAT);
}

/** Domain value → CBOR body (`a0` for an empty output). */
export function encodeCbor(model: ServiceModel, shapeName: string, value: unknown): Buffer {
  return encoder.encode(encodeDocument(model, shapeName, value, CBOR_FORMAT));
}

/** An rpcv2Cbor error body: `{"__type": typeName, "message": message}`. */
export function encodeCborError(typeName: string, message: string): Buffer {
  return encoder.encode({ __type: typeName, message });
}
