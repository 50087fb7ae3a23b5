/** Reads ClickHouse RowBinary values back (WAL replay); throws on a truncated body. See row-binary.ts. */
const TWO_32 = 0x100000000;

export class RowBinaryReader {
  constructor(private readonly buf: Buffer, private pos = 0) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  uint8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  uint32(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Int64 as a number (safe-integer range, as the writers use it). */
  int64(): number {
    this.need(8);
    const v = this.buf.readInt32LE(this.pos + 4) * TWO_32 + this.buf.readUInt32LE(this.pos);
    this.pos += 8;
    return v;
  }

  float64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  varUInt(): number {
    let n = 0;
    let mul = 1;
    for (;;) {
      this.need(1);
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 0x80;
    }
  }

  string(): string {
    const len = this.varUInt();
    this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  /** Array(String). */
  stringArray(): string[] {
    const n = this.varUInt();
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.string());
    return out;
  }

  /** A String column's raw bytes (a view into the record, not a copy). */
  bytes(): Buffer {
    const len = this.varUInt();
    this.need(len);
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new Error(`RowBinary: truncated at byte ${this.pos}`);
  }
}
