/**
 * How telemetry rows become insert payloads: ClickHouse JSONCompactEachRow (one JSON array per
 * row), written straight into a reusable byte buffer.
 *
 * Why this format, measured with `npx tsx bench/raw-insert.ts --compare-encodings` on this 2-core
 * VM (10k-row batches of 200-byte messages, half of them JSON lines, same group committer):
 *
 *   format               rows/s (10 runs)  engine ms per 10k rows   JS encode µs/row (idle / under load)
 *   JSONCompactEachRow   137–159k          ~55                      1.2 / 2.0–3.0
 *   TSV (escaped)        125–139k          ~68                      0.7 / 1.4–1.9
 *   JSONEachRow          122–134k          ~62                      — / 2.7–3.4
 *
 * TSV is cheaper to produce in JS, but ClickHouse parses it slower by more than that saving, and
 * on 2 cores the engine and the event loop share the same CPUs, so the total wins.
 *
 * Correctness: JSON.stringify escapes everything JSON requires (quotes, backslash, control
 * characters incl. NUL) and ClickHouse decodes those escapes exactly. The one exception is an
 * unpaired UTF-16 surrogate: JSON.stringify emits it as a `\udXXX` escape, which ClickHouse's JSON
 * reader rejects — failing the whole batch, i.e. every caller's request in it. Such strings are
 * made well-formed first (the surrogate becomes U+FFFD, which is also what any UTF-8 encoding of
 * the string would store).
 */

type MaybeWellFormed = string & { isWellFormed(): boolean; toWellFormed(): string };

/** A JSON string literal for `s`, safe for ClickHouse's JSON reader. */
export function jsonString(s: string): string {
  // isWellFormed is a fast scan (V8 short-cuts one-byte strings); the fix-up is the rare path.
  const w = s as MaybeWellFormed;
  return JSON.stringify(w.isWellFormed() ? s : w.toWellFormed());
}

/**
 * A growable byte buffer that rows are UTF-8-encoded into, one Buffer#write per row: cheaper than
 * building a batch-sized string and encoding it at the end, and a batch is sent without a copy.
 */
export class PayloadWriter {
  private buf: Buffer;
  private len = 0;

  constructor(buf: Buffer = Buffer.allocUnsafe(64 * 1024)) {
    this.buf = buf;
  }

  get length(): number {
    return this.len;
  }

  /** The backing buffer, for reuse once the payload it carried has been inserted. */
  get backing(): Buffer {
    return this.buf;
  }

  /** Appends `s` as UTF-8. */
  write(s: string): void {
    // A UTF-16 code unit never takes more than 3 UTF-8 bytes, so this bound means Buffer#write
    // never runs out of room (it would truncate silently).
    const worst = s.length * 3;
    if (this.len + worst > this.buf.length) this.grow(this.len + worst);
    this.len += this.buf.write(s, this.len);
  }

  /** Appends bytes already encoded (a RowBinary request, for instance). */
  writeBytes(b: Buffer): void {
    if (this.len + b.length > this.buf.length) this.grow(this.len + b.length);
    this.len += b.copy(this.buf, this.len);
  }

  /** Drops everything after `length` (used to undo a partly encoded request). */
  truncate(length: number): void {
    if (length < this.len) this.len = length;
  }

  /** The bytes written so far; a view, not a copy. */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  private grow(min: number): void {
    const next = Buffer.allocUnsafe(Math.max(min, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}
