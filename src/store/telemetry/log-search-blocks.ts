/**
 * The per-block search index of log_events (issue 17, "skip indexes where users search"): every
 * part the log head inserts is a block, and the block's 4-gram filter (gram-filter.ts), with the
 * seq range of its rows, is a row set in log_search_blocks written before the block's rows. A
 * needle search first asks which blocks' filters lack one of the needle's grams, and then reads
 * log_events with the seq ranges only those blocks hold excluded: a minmax index on seq lets
 * ClickHouse skip their granules (rows of a stream are stored in time order and seq grows with
 * arrival, so a granule's seq range covers a few neighbouring blocks).
 *
 * Why not a ClickHouse skip index on message: ngrambf_v1 is rebuilt on every merge and cut the
 * raw insert rate ~5×; tokenbf_v1 cannot find a word inside a longer token (log-events-search-index.ts).
 * Why seq ranges and not a block id column: stamping an id on every row cost a copy of each part
 * (~3 % of ingest, measured); seq is already there and already grows with arrival.
 *
 * Why an exclusion is exact (no acknowledged row is hidden from a search):
 *  - a block's filter is written before its rows, again on every retry and replay (a crash in
 *    between leaves a filter without rows, which only excludes nothing);
 *  - excluded = (union of failing blocks' ranges) − (union of passing blocks' ranges), and the
 *    failing ranges are joined across gaps no passing block touches: a seq in an excluded range is
 *    either in a failing block or in no block. Rows in no block are those written before this
 *    index existed (their seqs, milliseconds << 20 at ingest, are below every block's) or by tools
 *    inserting directly with small seqs (benches, tests): below too;
 *  - a block holding sealed (KMS) rows gets a match-everything filter: sealed rows always come back
 *    to the service to be opened and filtered;
 *  - ranges may overlap (several processes, or a request that took its seqs early): the
 *    subtraction keeps every passing block's range readable.
 * Filters of blocks whose rows retention later deleted stay behind (a few % of the messages'
 * size); they exclude nothing that exists.
 */
import type { SqlEngine } from './engine.ts';
import { gramBit, type FinishedFilter, MIN_LOG2, BASE_LOG2, needleGrams } from './gram-filter.ts';
import type { Migration } from './migrations.ts';
import type { RowBinaryWriter } from './row-binary.ts';

export const LOG_SEARCH_BLOCKS_TABLE = 'log_search_blocks';
/** Filter bytes per row of log_search_blocks: a probe reads one chunk per gram, not the filter. */
const CHUNK_LOG2 = 16;
const CHUNK_BYTES = 2 ** (CHUNK_LOG2 - 3);
/** At most this many excluded ranges go into one query (any subset of them is still exact). */
const MAX_RANGES = 64;

export const LOG_SEARCH_BLOCKS_MIGRATION: Migration = {
  id: '0020_log_search_blocks',
  statements: [
    'ALTER TABLE log_events ADD INDEX IF NOT EXISTS seq_minmax seq TYPE minmax GRANULARITY 1',
    `CREATE TABLE IF NOT EXISTS ${LOG_SEARCH_BLOCKS_TABLE} (
      min_seq UInt64,
      max_seq UInt64,
      bits_log2 UInt8,
      chunk UInt32,
      bits String CODEC(ZSTD(1))
    ) ENGINE = MergeTree
    ORDER BY (bits_log2, chunk, min_seq)`,
  ],
};

export const LOG_SEARCH_BLOCK_COLUMNS = ['min_seq', 'max_seq', 'bits_log2', 'chunk', 'bits'] as const;

/** A block: the seq range of a part's rows and the part's filter. */
export interface SearchBlock {
  minSeq: bigint;
  maxSeq: bigint;
  filter: FinishedFilter;
}

/** Blocks as log_search_blocks rows (RowBinary, LOG_SEARCH_BLOCK_COLUMNS), appended to `w`. */
export function writeBlockRows(b: SearchBlock, w: RowBinaryWriter): void {
  const bits = b.filter.bits;
  for (let at = 0, chunk = 0; at < bits.length; at += CHUNK_BYTES, chunk++) {
    const bytes = bits.subarray(at, Math.min(bits.length, at + CHUNK_BYTES));
    w.uint64Big(b.minSeq);
    w.uint64Big(b.maxSeq);
    w.uint8(b.filter.log2);
    w.uint32(chunk);
    w.varUInt(bytes.length);
    w.raw(bytes);
  }
}

export interface BlockExclusion {
  /** `(seq < lo OR seq > hi) AND …`, parameters below. */
  sql: string;
  params: Record<string, string>;
  /** Blocks wholly excluded, of blocks with a filter. */
  excluded: number;
  blocks: number;
}

/**
 * Which blocks cannot hold a message containing every one of `needles`, as a condition on
 * log_events.seq; undefined when no needle has a gram or no block can be excluded. `engine` must
 * see every acknowledged filter (the read-your-writes engine: log_search_blocks flushes with
 * log_events).
 */
export async function blockExclusion(engine: SqlEngine, needles: readonly string[]): Promise<BlockExclusion | undefined> {
  const probes = probeList(needles);
  if (probes.list.length === 0) return undefined;
  // Numbers computed here, not user text: the probe list is spelled into the query (an IN over a
  // literal tuple list is what the primary-key analysis of (bits_log2, chunk) reads).
  const rows = await engine.query<{ min_seq: string; max_seq: string; size: number; needle: number; hits: string }>(
    `SELECT toString(min_seq) AS min_seq, toString(max_seq) AS max_seq, bits_log2 AS size, p.1 AS needle,
       toString(uniqExactIf((p.3, p.4), bitAnd(reinterpretAsUInt8(substring(bits, intDiv(p.4, 8) + 1, 1)), bitShiftLeft(1, p.4 % 8)) != 0)) AS hits
     FROM ${LOG_SEARCH_BLOCKS_TABLE}
     ARRAY JOIN [${probes.list.map((t) => `(${t.join(',')})`).join(',')}] AS p
     WHERE (bits_log2, chunk) IN (${probes.keys.map((k) => `(${k.join(',')})`).join(',')}) AND bits_log2 = p.2 AND chunk = p.3
     GROUP BY min_seq, max_seq, bits_log2, needle`,
  );
  // A block may hold a match when one of the filters under its range has every bit of every needle.
  const lacking = new Map<string, boolean>();
  for (const r of rows) {
    const lacks = Number(r.hits) < probes.expected.get(`${r.needle}:${r.size}`)!;
    const filter = `${r.min_seq}:${r.max_seq}:${r.size}`;
    lacking.set(filter, (lacking.get(filter) ?? false) || lacks);
  }
  const blocks = new Map<string, BlockPass>();
  for (const [filter, lacks] of lacking) {
    const [lo, hi] = filter.split(':');
    const key = `${lo}:${hi}`;
    const b = blocks.get(key) ?? { lo: BigInt(lo!), hi: BigInt(hi!), pass: false };
    b.pass ||= !lacks;
    blocks.set(key, b);
  }
  return exclusionOf([...blocks.values()]);
}

interface Probes {
  /** (needle, log2, chunk, bit within chunk) */
  list: [number, number, number, number][];
  keys: [number, number][];
  /** Distinct bits per `${needle}:${log2}`. */
  expected: Map<string, number>;
}

function probeList(needles: readonly string[]): Probes {
  const out: Probes = { list: [], keys: [], expected: new Map() };
  const keys = new Set<string>();
  needles.forEach((needle, n) => {
    const grams = needleGrams(needle);
    if (grams.length === 0) return;
    for (let log2 = MIN_LOG2; log2 <= BASE_LOG2; log2++) {
      const bits = new Set(grams.map((g) => gramBit(g, log2)));
      out.expected.set(`${n}:${log2}`, bits.size);
      for (const bit of bits) {
        const chunk = bit >>> CHUNK_LOG2;
        const inChunk = bit & (2 ** CHUNK_LOG2 - 1);
        out.list.push([n, log2, chunk, inChunk]);
        if (!keys.has(`${log2}:${chunk}`)) {
          keys.add(`${log2}:${chunk}`);
          out.keys.push([log2, chunk]);
        }
      }
    }
  });
  return out;
}

interface Range {
  lo: bigint;
  hi: bigint;
}

/** A block's seq range and whether its filter passes the needles. */
export interface BlockPass extends Range {
  pass: boolean;
}

/** Overlapping or touching ranges joined, sorted. */
function union(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const r of [...ranges].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0))) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) last.hi = r.hi;
    } else out.push({ lo: r.lo, hi: r.hi });
  }
  return out;
}

/**
 * The seqs only failing blocks hold: failing ranges minus passing ranges, neighbouring pieces
 * joined across gaps no passing range touches (seqs in no block are below every block's).
 */
export function excludedRanges(blocks: readonly BlockPass[]): Range[] {
  const pass = union(blocks.filter((b) => b.pass));
  const pieces: Range[] = [];
  for (const f of union(blocks.filter((b) => !b.pass))) {
    let lo = f.lo;
    for (const p of pass) {
      if (p.hi < lo || p.lo > f.hi) continue;
      if (p.lo > lo) pieces.push({ lo, hi: p.lo - 1n });
      lo = p.hi + 1n;
    }
    if (lo <= f.hi) pieces.push({ lo, hi: f.hi });
  }
  const out: Range[] = [];
  for (const r of pieces) {
    const last = out[out.length - 1];
    if (last && !pass.some((p) => p.hi > last.hi && p.lo < r.lo)) last.hi = r.hi;
    else out.push({ ...r });
  }
  return out;
}

function exclusionOf(blocks: readonly BlockPass[]): BlockExclusion | undefined {
  const ranges = excludedRanges(blocks);
  if (ranges.length === 0) return undefined;
  const kept = ranges.length <= MAX_RANGES ? ranges : [...ranges].sort((a, b) => (b.hi - b.lo > a.hi - a.lo ? 1 : -1)).slice(0, MAX_RANGES);
  const params: Record<string, string> = {};
  const sql = kept.map((r, i) => {
    params[`xlo${i}`] = String(r.lo);
    params[`xhi${i}`] = String(r.hi);
    return `(seq < {xlo${i}:UInt64} OR seq > {xhi${i}:UInt64})`;
  }).join(' AND ');
  const excluded = blocks.filter((b) => !b.pass && kept.some((r) => b.lo >= r.lo && b.hi <= r.hi)).length;
  return { sql, params, excluded, blocks: blocks.length };
}

/**
 * blockExclusion answers for a few seconds: FilterLogEvents asks once per time window of one call.
 * Safe to reuse: blocks flushed later hold seqs taken later, above every excluded range (in one
 * process; another process's new blocks may stay hidden from it for this long).
 */
export class BlockExclusionCache {
  private readonly entries = new Map<string, { at: number; value: Promise<BlockExclusion | undefined> }>();

  constructor(private readonly engine: SqlEngine, private readonly ttlMs = 2000, private readonly now = Date.now) {}

  get(needles: readonly string[]): Promise<BlockExclusion | undefined> {
    const key = JSON.stringify(needles);
    const t = this.now();
    const hit = this.entries.get(key);
    if (hit && t - hit.at < this.ttlMs) return hit.value;
    for (const [k, e] of this.entries) if (t - e.at >= this.ttlMs) this.entries.delete(k);
    const value = blockExclusion(this.engine, needles);
    this.entries.set(key, { at: t, value });
    value.catch(() => this.entries.delete(key));
    return value;
  }
}
