/**
 * Test support for the OTLP decoders' fuzz tests (imported by *.fuzz.test.ts only): request bodies
 * derived from a valid protobuf one — a byte overwritten, cut short — and random bytes.
 */
import fc from 'fast-check';

export function protobufBodies(valid: Buffer): fc.Arbitrary<Buffer> {
  const damaged = fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([i, b]) => {
    const copy = Buffer.from(valid);
    copy[i] = b;
    return copy;
  });
  const truncated = fc.nat(valid.length).map((n) => valid.subarray(0, n));
  return fc.oneof(damaged, truncated, fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)));
}
