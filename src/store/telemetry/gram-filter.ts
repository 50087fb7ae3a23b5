/**
 * A Bloom filter of the 4-byte substrings (4-grams) of a block of log messages, with one hash per
 * gram: the per-block search index of log_events (log-search-blocks.ts). A message containing a
 * needle contains every 4-gram of the needle's UTF-8 bytes, so a block whose filter lacks one of
 * them holds no message containing the needle (no false negatives; false positives only cost a
 * read). Bytes, not characters: FilterLogEvents terms are matched as byte substrings (position()).
 *
 * Built at the size where the grams of any block fit (2^BASE_LOG2 bits) and then folded in halves
 * (bit j of the smaller filter is bits 2j | 2j+1 of the larger) until about a quarter of its bits
 * are set, so a block of 50 rows costs bytes and one of 60 k rows of varied text a few hundred KB;
 * a probe computes the gram's position for the filter's size. Multiply-shift hashing (the high bits
 * of gram × φ·2^32) is what makes the pairwise fold exact.
 *
 * Why not ClickHouse's ngrambf_v1 on the column: it rebuilds the index on every merge and cut the
 * raw insert rate ~5× (log-events-search-index.ts); this filter is built once, in JS, while the
 * head already walks the rows (~0.4 µs per 200-byte message, measured in scratch runs).
 */

/** Gram length in bytes. */
export const GRAM_BYTES = 4;
/** The unfolded size: 2^21 bits (256 KiB) — past ~600 k distinct grams a block's filter saturates. */
export const BASE_LOG2 = 21;
/** The smallest filter: one byte. */
export const MIN_LOG2 = 3;
/** Fold while the folded filter would have at most this share of bits set (~1/4: a 3-gram needle then passes 1.6 % of the blocks without it). */
const MAX_FILL = 0.25;

const PHI32 = 0x9e3779b1;

/** The bit a gram sets in a filter of 2^log2 bits. */
export function gramBit(gram: number, log2: number): number {
  return Math.imul(gram, PHI32) >>> (32 - log2);
}

/** The distinct 4-grams of `needle`'s UTF-8 bytes (big-endian 32-bit values); [] when shorter than 4 bytes. */
export function needleGrams(needle: string): number[] {
  const b = Buffer.from(needle, 'utf8');
  const grams = new Set<number>();
  for (let i = 0; i + GRAM_BYTES <= b.length; i++) grams.add(b.readInt32BE(i));
  return [...grams];
}

export interface FinishedFilter {
  log2: number;
  /** 2^(log2-3) bytes; bit j is byte j >> 3, bit j & 7. */
  bits: Buffer;
}

/** The filter every needle passes: a block whose rows must always be read. */
export const MATCH_ALL_FILTER: FinishedFilter = Object.freeze({ log2: MIN_LOG2, bits: Buffer.from([0xff]) });

export class GramFilter {
  private readonly words = new Int32Array(1 << (BASE_LOG2 - 5));
  private all = false;
  private empty = true;

  /** Adds the grams of buf[start, end). */
  add(buf: Uint8Array, start: number, end: number): void {
    if (end - start < GRAM_BYTES) return;
    this.empty = false;
    const words = this.words;
    const shift = 32 - BASE_LOG2;
    let g = (buf[start]! << 16) | (buf[start + 1]! << 8) | buf[start + 2]!;
    for (let i = start + 3; i < end; i++) {
      g = (g << 8) | buf[i]!;
      const bit = Math.imul(g, PHI32) >>> shift;
      words[bit >>> 5]! |= 1 << (bit & 31);
    }
  }

  /** Makes the filter pass every needle (a block holding rows that must always be read). */
  matchAll(): void {
    this.all = true;
  }

  /** The folded filter; the builder is cleared for the next block. */
  finish(): FinishedFilter {
    let result: FinishedFilter;
    if (this.all) result = MATCH_ALL_FILTER;
    else if (this.empty) result = { log2: MIN_LOG2, bits: Buffer.from([0]) };
    else result = this.fold();
    this.words.fill(0);
    this.all = false;
    this.empty = true;
    return result;
  }

  private fold(): FinishedFilter {
    let words: Int32Array = this.words;
    let log2 = BASE_LOG2;
    while (log2 > MIN_LOG2 + 2) {
      const next = foldWords(words);
      if (popcount(next) > MAX_FILL * 2 ** (log2 - 1)) break;
      words = next;
      log2--;
    }
    const bytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
    // Little-endian words: bit j of the filter is bit j & 7 of byte j >> 3, as probes read it.
    return { log2, bits: Buffer.from(bytes.subarray(0, 2 ** (log2 - 3))) };
  }
}

/** Halves a filter: bit j of the result is bits 2j | 2j+1 of `w` (≥ 2 words). */
function foldWords(w: Int32Array): Int32Array {
  const out = new Int32Array(w.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = pairsOr(w[2 * i]!) | (pairsOr(w[2 * i + 1]!) << 16);
  return out;
}

/** The 16 bits (x bit 2k | bit 2k+1) for k = 0…15, packed low. */
function pairsOr(x: number): number {
  let t = (x | (x >>> 1)) & 0x55555555;
  t = (t | (t >>> 1)) & 0x33333333;
  t = (t | (t >>> 2)) & 0x0f0f0f0f;
  t = (t | (t >>> 4)) & 0x00ff00ff;
  return (t | (t >>> 8)) & 0x0000ffff;
}

function popcount(w: Int32Array): number {
  let n = 0;
  for (let i = 0; i < w.length; i++) {
    let v = w[i]!;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    n += (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
  }
  return n;
}

/** Whether `bits` (a finished filter of 2^log2 bits) has every bit `grams` set. */
export function filterHas(f: FinishedFilter, grams: readonly number[]): boolean {
  for (const g of grams) {
    const bit = gramBit(g, f.log2);
    if ((f.bits[bit >>> 3]! & (1 << (bit & 7))) === 0) return false;
  }
  return true;
}
