// One chDB data directory per process (each test file is its own process): all tests here share it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine, ClickHouseServerEngine, SqlEngineError, parseCompactWithNamesAndTypes } from './engine.ts';
import { migrate, MIGRATIONS, type Migration } from './migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-engine-'));
let engine: ChdbEngine;

before(async () => {
  engine = await ChdbEngine.open({ path: dir, fsync: true });
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

test('query parameters are bound by the engine, so quotes and backslashes stay data', async () => {
  const evil = "x' OR 1=1 -- \\' \t\n";
  const rows = await engine.query<{ v: string; n: string }>('SELECT {v:String} AS v, {n:UInt64} AS n', { v: evil, n: 18446744073709551615n });
  assert.deepEqual(rows, [{ v: evil, n: '18446744073709551615' }]);
});

test('64-bit integers come back as exact decimal strings', async () => {
  const rows = await engine.query<{ a: string; b: string }>('SELECT toInt64(-9007199254740993) AS a, toUInt64(9007199254740993) AS b');
  assert.deepEqual(rows, [{ a: '-9007199254740993', b: '9007199254740993' }]);
});

test('engine errors carry the ClickHouse error code', async () => {
  await assert.rejects(engine.query('SELECT * FROM no_such_table'), (e: unknown) =>
    e instanceof SqlEngineError && e.clickhouseCode === 60);
});

test('the fsync option turns on fsync_after_insert and fsync_part_directory', async () => {
  const rows = await engine.query<{ name: string; value: string }>(
    "SELECT name, value FROM system.merge_tree_settings WHERE name IN ('fsync_after_insert', 'fsync_part_directory') ORDER BY name");
  assert.deepEqual(rows, [{ name: 'fsync_after_insert', value: '1' }, { name: 'fsync_part_directory', value: '1' }]);
});

test('insert takes a raw TSV payload for the listed columns', async () => {
  await engine.exec('CREATE TABLE IF NOT EXISTS raw_t (a String, b UInt8 DEFAULT 7, c Int64) ENGINE = MergeTree ORDER BY a');
  await engine.insert('raw_t', ['a', 'c'], Buffer.from('x\\ty\t-5\n'), 'TSV');
  assert.deepEqual(await engine.query('SELECT a, b, c FROM raw_t'), [{ a: 'x\ty', b: 7, c: '-5' }]);
});

test('a RowBinary Buffer is inserted byte for byte (NUL and newline inside strings survive)', async () => {
  await engine.exec('CREATE TABLE IF NOT EXISTS rb_t (`a` UInt64, `values` String) ENGINE = MergeTree ORDER BY a');
  const row = (a: number, s: string): Buffer => {
    const str = Buffer.from(s);
    const b = Buffer.alloc(9);
    b.writeBigUInt64LE(BigInt(a));
    b[8] = str.length; // varint length, < 128
    return Buffer.concat([b, str]);
  };
  // Whitespace and newline bytes everywhere, the last row ending in them: inline data in the
  // INSERT text would be trimmed there (a row silently lost), the spooled file is not.
  const payload = Buffer.concat([row(1, 'x\0y\nz'), row(2, ''), row(0x0a0a, '\n;\r\t '), row(0x20200a0a0b0b, '  \n\n')]);
  await engine.insert('rb_t', ['a', 'values'], payload, 'RowBinary');
  assert.deepEqual(await engine.query('SELECT a, hex(`values`) AS h FROM rb_t ORDER BY a'), [
    { a: '1', h: '7800790A7A' }, { a: '2', h: '' }, { a: String(0x0a0a), h: '0A3B0D0920' },
    { a: String(0x20200a0a0b0b), h: '20200A0A' },
  ]);
  assert.deepEqual(readdirSync(join(dir, 'osprey-insert-spool')), [], 'spool files are deleted');
  await assert.rejects(engine.insert('rb_t', ['a', 'values'], Buffer.from([1, 2, 3]), 'RowBinary'), SqlEngineError);
});

test('a batch inserted twice with the same dedup token is stored once (text and RowBinary)', async () => {
  await engine.exec(`CREATE TABLE IF NOT EXISTS dedup_t (a UInt64, s String) ENGINE = MergeTree ORDER BY a
    SETTINGS non_replicated_deduplication_window = 1000`);
  const rb = Buffer.alloc(10);
  rb.writeBigUInt64LE(3n);
  rb[8] = 1;
  rb[9] = 0x71;
  for (let i = 0; i < 2; i++) {
    await engine.insert('dedup_t', ['a', 's'], Buffer.from('1\tx\n2\ty\n'), 'TSV', { dedupToken: "tok'1:dedup_t" });
    await engine.insert('dedup_t', ['a', 's'], rb, 'RowBinary', { dedupToken: 'tok2:dedup_t' });
  }
  // The same bytes under another token are a different batch.
  await engine.insert('dedup_t', ['a', 's'], rb, 'RowBinary', { dedupToken: 'tok3:dedup_t' });
  assert.deepEqual(await engine.query('SELECT a, count() AS n FROM dedup_t GROUP BY a ORDER BY a'),
    [{ a: '1', n: '1' }, { a: '2', n: '1' }, { a: '3', n: '2' }]);
  await assert.rejects(engine.insert('dedup_t', ['a', 's'], rb, 'RowBinary', { dedupToken: 'bad\ntoken' }), SqlEngineError);
});

test('migrations apply once; running them again, or after reopening, is a no-op', async () => {
  assert.deepEqual(await migrate(engine), MIGRATIONS.map((m) => m.id));
  assert.deepEqual(await migrate(engine), []);

  await engine.close();
  engine = await ChdbEngine.open({ path: dir, fsync: true });
  assert.deepEqual(await migrate(engine), []);
  const recorded = await engine.query<{ id: string }>('SELECT id FROM schema_migrations FINAL ORDER BY id');
  assert.deepEqual(recorded.map((r) => r.id), MIGRATIONS.map((m) => m.id));
  const tables = await engine.query<{ name: string }>("SELECT name FROM system.tables WHERE database = currentDatabase() AND name = 'log_events'");
  assert.equal(tables.length, 1);
});

test('a migration added later is applied on the next run, and only it', async () => {
  const next: Migration = { id: '9999_test_extra', statements: ['CREATE TABLE IF NOT EXISTS extra_t (x UInt8) ENGINE = MergeTree ORDER BY x'] };
  assert.deepEqual(await migrate(engine, [...MIGRATIONS, next]), ['9999_test_extra']);
  assert.deepEqual(await migrate(engine, [...MIGRATIONS, next]), []);
});

test('a migration that fails is not recorded, and completes when rerun', async () => {
  const broken: Migration = { id: '9998_half', statements: ['CREATE TABLE IF NOT EXISTS half_t (x UInt8) ENGINE = MergeTree ORDER BY x', 'SELECT * FROM missing_table'] };
  await assert.rejects(migrate(engine, [...MIGRATIONS, broken]), SqlEngineError);
  const fixed: Migration = { ...broken, statements: [broken.statements[0]!, 'ALTER TABLE half_t ADD COLUMN IF NOT EXISTS y UInt8'] };
  assert.deepEqual(await migrate(engine, [...MIGRATIONS, fixed]), ['9998_half']);
});

test('the ClickHouse server engine reports an unreachable server as a SqlEngineError', async () => {
  await assert.rejects(ClickHouseServerEngine.open({ url: 'http://127.0.0.1:1' }), SqlEngineError);
});

test('select(): typed columns, rows as arrays and what was read; an aborted select rejects', async () => {
  const e = engine;
  {
    const r = await e.select("SELECT number AS n, toString(number) AS s, [1, 2] AS a FROM numbers(3)");
    assert.deepEqual(r.columns, [{ name: 'n', type: 'UInt64' }, { name: 's', type: 'String' }, { name: 'a', type: 'Array(UInt8)' }]);
    assert.deepEqual(r.rows, [['0', '0', [1, 2]], ['1', '1', [1, 2]], ['2', '2', [1, 2]]]);
    assert.equal(r.rowsRead, 3);
    assert.ok(r.bytesRead > 0);
    // What was read, not the result's size (chDB's own result counters report the latter).
    const sum = await e.select('SELECT sum(number) FROM numbers(100000)');
    assert.deepEqual([sum.rowsRead, sum.bytesRead], [100000, 800000]);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(e.select('SELECT sleep(1)', { signal: ac.signal }));
  }
});

test('select() runs apart from query(): a long select neither blocks other reads nor survives its abort', async () => {
  const e = engine;
  {
    const ac = new AbortController();
    const t0 = Date.now();
    const heavy = e.select('SELECT count() FROM numbers(20000) a CROSS JOIN numbers(20000) b CROSS JOIN numbers(20000) c', { signal: ac.signal }).catch((err: Error) => err);
    await new Promise((r) => setTimeout(r, 300));
    const t1 = Date.now();
    await e.query('SELECT 1');
    assert.ok(Date.now() - t1 < 1000, `a service read is not held up (${Date.now() - t1} ms)`);
    ac.abort();
    assert.ok((await heavy) instanceof Error);
    const t2 = Date.now();
    await e.select('SELECT 1');
    assert.ok(Date.now() - t2 < 2000, `the aborted computation was killed (next select after ${Date.now() - t2} ms, ${Date.now() - t0} ms in all)`);
  }
});

test('parseCompactWithNamesAndTypes drops the header chDB repeats between blocks, and only that', () => {
  const text = ['["c0","c1"]', '["String","UInt64"]', '["a","1"]', '["c0","c1"]', '["Nullable(String)","UInt64"]', '["c0","2"]', '["b","3"]', ''].join('\n');
  assert.deepEqual(parseCompactWithNamesAndTypes(text), {
    columns: [{ name: 'c0', type: 'String' }, { name: 'c1', type: 'UInt64' }],
    rows: [['a', '1'], ['c0', '2'], ['b', '3']],
  });
});
