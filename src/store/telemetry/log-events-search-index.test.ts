// The search-index migration (log-events-search-index.ts): on a data directory that already holds log_events
// rows, the search indexes are added, searches over the old (unindexed) and new (indexed) parts
// return the same matches, and the planner prunes granules through the message index, also under
// filterGroup's `key_id != '' OR …`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from './engine.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { LOG_EVENTS_SEARCH_INDEX_MIGRATION, likeContains, searchSql } from './log-events-search-index.ts';

const ROWS = 20_000;

/** `ROWS` events of stream `stream`; event i carries `NEEDLE-<i>` when i % 5000 = 17. */
const insertRows = (e: ChdbEngine, stream: string): Promise<void> => e.exec(
  `INSERT INTO log_events (account, region, log_group, log_stream, ts, ingest_ts, seq, message, key_id)
   SELECT '1', 'r', 'g', {stream:String}, 1700000000000 + number, 1700000000000 + number, number,
     concat('INFO [req-', toString(cityHash64(number) % 1000000), '] GET /api/', toString(number % 997),
       if(number % 5000 = 17, concat(' NEEDLE-', toString(number)), ''), ' 50%_off\\\\x'), ''
   FROM numbers(${ROWS})`,
  { stream },
);

/** filterGroup's shape: sealed rows always pass, the pattern decides the others. */
function where(needle: string): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  let n = 0;
  const sql = searchSql('message', needle, (v) => {
    params[`p${n}`] = v;
    return `{p${n++}:String}`;
  });
  return { sql: `account = '1' AND (key_id != '' OR ${sql})`, params };
}

test('likeContains escapes the LIKE wildcards and the escape character', () => {
  assert.equal(likeContains('50%_off\\x'), '%50\\%\\_off\\\\x%');
  assert.equal(likeContains("it's \"q\""), "%it's \"q\"%");
});

test('searchSql adds the indexed LIKE only for needles of at least one ngram; values are bound', () => {
  const bound: string[] = [];
  const bind = (v: string): string => `{b${bound.push(v) - 1}:String}`;
  assert.equal(searchSql('message', 'abc', bind), 'position(message, {b0:String}) > 0');
  assert.equal(searchSql('message', "x'; DROP TABLE t; --", bind), '(message LIKE {b2:String} AND position(message, {b1:String}) > 0)');
  assert.deepEqual(bound, ['abc', "x'; DROP TABLE t; --", "%x'; DROP TABLE t; --%"]);
  // Four code points, more than four bytes: counted in code points, as the ngram index does.
  assert.match(searchSql('message', 'é😀ab', bind), /LIKE/);
});

test('0013 on a directory with rows: old and new parts give the same matches; the index prunes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-search-index-'));
  try {
    const old = await ChdbEngine.open({ path: dir });
    await migrate(old, MIGRATIONS);
    await insertRows(old, 'old');
    await old.close();

    const e = await ChdbEngine.open({ path: dir });
    try {
      // Not in MIGRATIONS yet (see log-events-search-index.ts): applied after them, as it would be.
      assert.deepEqual(await migrate(e, [...MIGRATIONS, LOG_EVENTS_SEARCH_INDEX_MIGRATION]), [LOG_EVENTS_SEARCH_INDEX_MIGRATION.id]);
      await insertRows(e, 'new');
      const indexes = await e.query<{ name: string }>("SELECT name FROM system.data_skipping_indices WHERE table = 'log_events' ORDER BY name");
      assert.deepEqual(indexes.map((r) => r.name), ['key_id_minmax', 'message_ngrams', 'seq_minmax']);

      for (const needle of ['NEEDLE-5017', 'NEEDLE-', '50%_off\\x', '%_o', 'absent-needle']) {
        const w = where(needle);
        const rows = await e.query<{ log_stream: string; seq: string }>(
          `SELECT log_stream, seq FROM log_events WHERE ${w.sql} ORDER BY log_stream, seq`, w.params);
        const by = (s: string): string[] => rows.filter((r) => r.log_stream === s).map((r) => r.seq);
        const expected = await e.query<{ n: string }>(
          "SELECT toString(count()) AS n FROM log_events WHERE log_stream = 'old' AND position(message, {x:String}) > 0", { x: needle });
        assert.deepEqual(by('new'), by('old'), needle);
        assert.equal(by('old').length, Number(expected[0]!.n), needle);
      }
      // 'absent-needle' above matched nothing; a rare term is found in both.
      assert.equal((await e.query(`SELECT 1 FROM log_events WHERE ${where('NEEDLE-15017').sql}`, where('NEEDLE-15017').params)).length, 2);

      // The index is used, through the OR, for the new part only (the old one is materialized in the
      // background: wait for the mutation, then it is pruned as well).
      const granules = async (): Promise<string> => {
        const w = where('NEEDLE-5017');
        const plan = await e.query<{ explain: string }>(`EXPLAIN indexes = 1 SELECT seq FROM log_events WHERE ${w.sql}`, w.params);
        const lines = plan.map((r) => r.explain.trim());
        const at = lines.findIndex((l) => l.startsWith('Name: <Combined skip indexes>'));
        assert.ok(at >= 0, lines.join('\n'));
        return lines.slice(at).find((l) => l.startsWith('Granules:'))!;
      };
      const before = await granules();
      await e.exec('ALTER TABLE log_events MATERIALIZE INDEX message_ngrams SETTINGS mutations_sync = 2');
      await e.exec('ALTER TABLE log_events MATERIALIZE INDEX key_id_minmax SETTINGS mutations_sync = 2');
      const after = await granules();
      const [read, total] = after.replace('Granules: ', '').split('/').map(Number);
      assert.ok(read! <= 2 && total! >= 4, `after materializing: ${after} (before: ${before})`);
    } finally {
      await e.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
