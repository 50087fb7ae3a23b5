/**
 * Kinesis hash keys: a record's partition key is hashed with MD5 into a 128-bit unsigned integer,
 * which selects the shard whose [StartingHashKey, EndingHashKey] range holds it (an
 * ExplicitHashKey, given as a decimal, replaces the hash). Keys are handled as 32-digit hex
 * strings, whose string order is their numeric order, so routing a record needs no BigInt; the
 * decimal form only appears on the wire (HashKeyRange, ExplicitHashKey).
 */
import { hash } from 'node:crypto';

export const HASH_KEY_BITS = 128n;
export const MAX_HASH_KEY = (1n << HASH_KEY_BITS) - 1n;

export interface HashRange {
  /** 32 hex digits, inclusive. */
  start: string;
  /** 32 hex digits, inclusive. */
  end: string;
}

export const hexOf = (n: bigint): string => n.toString(16).padStart(32, '0');
export const bigOf = (hex: string): bigint => BigInt(`0x${hex}`);
export const decimalOfHex = (hex: string): string => bigOf(hex).toString(10);

/** MD5 of the UTF-8 partition key, as the 128-bit key (hex). */
export function hashKeyOf(partitionKey: string): string {
  // One-shot crypto.hash: no Hash object per record (PutRecords hashes up to 500 keys per request).
  return hash('md5', partitionKey, 'hex');
}

/** A decimal hash key from the wire → hex; undefined when it is not an integer in 0 .. 2^128-1. */
export function hexOfDecimal(decimal: string): string | undefined {
  if (!/^(0|[1-9]\d{0,38})$/.test(decimal)) return undefined;
  const n = BigInt(decimal);
  return n > MAX_HASH_KEY ? undefined : hexOf(n);
}

/**
 * `count` contiguous ranges covering 0 .. 2^128-1 evenly, as AWS lays out a new stream's shards:
 * each gets floor(2^128 / count) keys, the last one also the remainder.
 */
export function evenRanges(count: number): HashRange[] {
  const step = (MAX_HASH_KEY + 1n) / BigInt(count);
  return Array.from({ length: count }, (_, i) => ({
    start: hexOf(BigInt(i) * step),
    end: hexOf(i === count - 1 ? MAX_HASH_KEY : BigInt(i + 1) * step - 1n),
  }));
}

/** Whether two ranges share a key. */
export const overlaps = (a: HashRange, b: HashRange): boolean => a.start <= b.end && b.start <= a.end;

/** Whether `b` starts right after `a` ends. */
export const adjacent = (a: HashRange, b: HashRange): boolean => bigOf(a.end) + 1n === bigOf(b.start);

/**
 * The index of the range holding `key` among ranges sorted by start that cover the key space
 * (a stream's open shards), or -1.
 */
export function rangeIndexFor(ranges: readonly HashRange[], key: string): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const r = ranges[mid]!;
    if (key < r.start) hi = mid - 1;
    else if (key > r.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
