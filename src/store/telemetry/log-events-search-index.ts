/**
 * Skip indexes that let a needle search over log_events (FilterLogEvents terms, Logs Insights
 * `like "x"` / `like /x/` / `=~`) read only the granules that can contain the needle.
 *
 * NOT IN MIGRATIONS: the search index in use is the per-block one written by the log head
 * (log-search-blocks.ts), whose cost is paid once per block instead of on every merge. This ngram
 * index met the search target too but cut the raw insert rate ~5× (numbers below); it stays as the
 * measured alternative. The query side (searchSql) is in the form it serves, and gives the same
 * rows with or without it.
 *
 * `message`: an ngram bloom filter (ngrambf_v1) — the only kind that serves an arbitrary substring
 * (a filter-pattern term matches inside words: `NEEDLE` finds `xNEEDLEx`). ClickHouse uses it for
 * `LIKE '%x%'` and the literal parts of `match()`, not for `position()`; so search predicates are
 * written `message LIKE '%x%' AND position(message, 'x') > 0` (searchSql): the LIKE is the index's
 * way in, position() stays the exact predicate. tokenbf_v1 serves the same LIKE form, but only for
 * needles holding a whole token between separators (`id=7f3a9c2e-`), never a bare word.
 *
 * Measured (chDB 3.4, rows of bench/lib/bulk-log-events.ts; scratch scripts, then the benches):
 *  - FilterLogEvents, 10 M events (`npm run bench -- filter-logs`), no index → ngrambf:
 *    rare term 0.805 → 0.146 s; but with the merges of the freshly loaded parts rebuilding the
 *    index in the background, full scan 1.23 → 1.76 s and paging 48 pages 5.7 → 16.4 s;
 *  - engine cost, 3 M rows in 600 k-row inserts then OPTIMIZE FINAL (the new head's block size):
 *    no index insert 2.7 s / merge 1.7 s; ngrambf_v1(4, 32768, 1, 0) 11.1–12.2 s / 8.8–9.7 s;
 *    tokenbf_v1(32768, 1, 0) 4.2–4.3 s / 3.3–3.7 s; text(splitByNonAlpha) 7.6 s / 5.8 s.
 *    Every merge rebuilds a skip index from the data, so the cost recurs per merge level;
 *  - `npm run bench -- ingest-logs` raw engine insert ceiling (10 k-row inserts): no index
 *    202–220 k rows/s; tokenbf 187 k; ngrambf 41 k; text 21 k (end to end varied 78–136 k events/s
 *    between identical runs on this shared machine, too noisy to rank);
 *  - index size per 3 M rows (58 MB of compressed messages): ngrambf 5.6 MB, tokenbf 8.4 MB,
 *    text 43 MB; sparseGrams text index: insert 25× slower, 448 MB;
 *  - text(splitByNonAlpha) with LIKE by dictionary scan: rare term 0.56 s, full scan 2.7 s in the
 *    bench (match() not served); ngrambf(3, 4096): no pruning (too few distinct 3-grams).
 * Filter sizing: one hash at 32 KB per granule gives ~6 % false positives per 4-gram for the ~16 k
 * distinct 4-grams of an 8192-row granule (a 6-character needle has 3 grams: ~2e-4 per granule),
 * and built faster than three hashes at 20 KB (13.9 vs 18.6 s per 3 M rows in one insert).
 *
 * `key_id`: a minmax index. filterGroup asks for `key_id != '' OR <pattern>` (sealed rows always
 * come back); an index on message alone cannot prune through that OR (EXPLAIN: 367/367 granules),
 * the combined analysis of both indexes can (use_skip_indexes_for_disjunctions, on by default: 1/367).
 *
 * Parts written before the migration have no index and are read in full: answers stay exact. The
 * migration materializes both indexes as a background mutation so older data gets faster too.
 */
import type { Migration } from './migrations.ts';

/** The ngram size of the message index: needles shorter than this (in code points) cannot use it. */
export const SEARCH_NGRAM = 4;

export const MESSAGE_INDEX = `message_ngrams message TYPE ngrambf_v1(${SEARCH_NGRAM}, 32768, 1, 0) GRANULARITY 1`;
export const KEY_ID_INDEX = 'key_id_minmax key_id TYPE minmax GRANULARITY 1';

export const LOG_EVENTS_SEARCH_INDEX_MIGRATION: Migration = {
  id: '0013_log_events_search_index',
  statements: [
    `ALTER TABLE log_events ADD INDEX IF NOT EXISTS ${MESSAGE_INDEX}`,
    `ALTER TABLE log_events ADD INDEX IF NOT EXISTS ${KEY_ID_INDEX}`,
    // Mutations run in the background (the ALTER returns at once); a rerun after a crash only
    // rebuilds the same index files.
    'ALTER TABLE log_events MATERIALIZE INDEX message_ngrams',
    'ALTER TABLE log_events MATERIALIZE INDEX key_id_minmax',
  ],
};

/** A LIKE pattern matching any string that contains `s`: `%` and `_` are wildcards, `\` the escape. */
export function likeContains(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `haystack` contains `needle` (case-sensitive byte substring, like String.includes on UTF-8), in a
 * form the message index serves. `bind` binds a string parameter and returns its placeholder.
 */
export function searchSql(haystack: string, needle: string, bind: (value: string) => string): string {
  const exact = `position(${haystack}, ${bind(needle)}) > 0`;
  // Shorter needles have no ngram: the LIKE would only cost a second search.
  if ([...needle].length < SEARCH_NGRAM) return exact;
  return `(${haystack} LIKE ${bind(likeContains(needle))} AND ${exact})`;
}
