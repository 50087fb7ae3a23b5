/**
 * ClickHouse RowBinary, written straight into one growable Buffer (issue 17: the heads flush large
 * batches in a binary format instead of JSON text — the engine skips parsing, JS skips escaping).
 *
 * The format is the columns of each row, in the INSERT's column order, with no row separator:
 * - String / LowCardinality(String) / FixedString-free strings: LEB128 byte length + UTF-8 bytes;
 * - (U)IntN, Float64: little-endian fixed width;
 * - Array(T): LEB128 element count + the elements; Map(K, V): LEB128 pair count + key, value, …;
 * - Tuple(…): its fields in order, nothing around them (callers just write the fields).
 *
 * Strings are UTF-8-encoded in place (Buffer#write into the backing buffer): no Buffer per string.
 * An unpaired UTF-16 surrogate becomes U+FFFD, as any UTF-8 encoding of it does.
 */

const MAX_LEB128_32 = 5;

/** Bytes the unsigned LEB128 encoding of `n` (< 2^35) takes. */
function leb128Size(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  return MAX_LEB128_32;
}

export class RowBinaryWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  get length(): number {
    return this.len;
  }

  /** The bytes written so far; a view, not a copy (valid until the next write or reset). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  /** A copy of the bytes written so far, sized exactly (for batches kept while the writer is reused). */
  take(): Buffer {
    return Buffer.from(this.bytes());
  }

  /** Forgets everything written; keeps the backing buffer for reuse. */
  reset(): void {
    this.len = 0;
  }

  /** Forgets everything written and swaps a backing buffer grown past `bytes` for one of that size. */
  shrink(bytes: number): void {
    this.len = 0;
    if (this.buf.length > bytes) this.buf = Buffer.allocUnsafe(bytes);
  }

  /** Drops everything after `length` (undoes a partly written row). */
  truncate(length: number): void {
    if (length < this.len) this.len = length;
  }

  uint8(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v;
  }

  uint16(v: number): void {
    this.ensure(2);
    this.len = this.buf.writeUInt16LE(v, this.len);
  }

  uint32(v: number): void {
    this.ensure(4);
    this.len = this.buf.writeUInt32LE(v, this.len);
  }

  int32(v: number): void {
    this.ensure(4);
    this.len = this.buf.writeInt32LE(v, this.len);
  }

  /** UInt64 from a non-negative safe integer. */
  uint64(v: number): void {
    this.ensure(8);
    // Two 32-bit halves: cheaper than BigInt for the safe-integer range every caller uses.
    this.buf.writeUInt32LE(v % 0x100000000, this.len);
    this.buf.writeUInt32LE(Math.floor(v / 0x100000000), this.len + 4);
    this.len += 8;
  }

  /** UInt64 from a bigint (hashes, ids beyond 2^53). */
  uint64Big(v: bigint): void {
    this.ensure(8);
    this.len = this.buf.writeBigUInt64LE(v, this.len);
  }

  /** Int64 from a safe integer (negative values in two's complement). */
  int64(v: number): void {
    this.ensure(8);
    const lo = v % 0x100000000;
    const hi = Math.floor(v / 0x100000000);
    // For v < 0, lo is in (-2^32, 0]: shifting it by 2^32 and keeping hi = floor(v / 2^32) is the
    // two's-complement split; `| 0`-free so values beyond 2^31 stay exact.
    this.buf.writeUInt32LE(lo < 0 ? lo + 0x100000000 : lo, this.len);
    this.buf.writeInt32LE(hi, this.len + 4);
    this.len += 8;
  }

  float64(v: number): void {
    this.ensure(8);
    this.len = this.buf.writeDoubleLE(v, this.len);
  }

  /** Bytes already in RowBinary (e.g. columns encoded once and repeated). */
  raw(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.len);
    this.len += bytes.length;
  }

  /** Unsigned LEB128 (lengths, Array/Map counts). */
  varUInt(n: number): void {
    this.ensure(MAX_LEB128_32 + 5);
    while (n >= 0x80) {
      this.buf[this.len++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.len++] = n;
  }

  /** String and LowCardinality(String): LEB128 byte length + UTF-8. */
  string(s: string): void {
    // Reserve the length prefix for the worst case (3 UTF-8 bytes per UTF-16 unit), encode in
    // place, then fix the prefix up; only when the real length needs a shorter prefix than the
    // worst case (long non-ASCII-free strings) are the bytes moved back.
    const worst = s.length * 3;
    const reserved = leb128Size(worst);
    this.ensure(reserved + worst);
    const start = this.len;
    const n = this.buf.write(s, start + reserved, worst, 'utf8');
    const need = leb128Size(n);
    if (need !== reserved) this.buf.copyWithin(start + need, start + reserved, start + reserved + n);
    // The prefix, written in place (no ensure(): room was reserved above).
    let at = start;
    let v = n;
    while (v >= 0x80) {
      this.buf[at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[at++] = v;
    this.len = at + n;
  }

  /** Array(String). */
  stringArray(values: readonly string[]): void {
    this.varUInt(values.length);
    for (const v of values) this.string(v);
  }

  /** Map(String, String) (also LowCardinality keys/values). */
  stringMap(entries: readonly (readonly [string, string])[]): void {
    this.varUInt(entries.length);
    for (const [k, v] of entries) {
      this.string(k);
      this.string(v);
    }
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.len + n, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}
