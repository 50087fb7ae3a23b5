// Round-trips rows written by RowBinaryWriter through the engine's RowBinary reader (a direct chDB
// Session: the format is what is under test, not the SqlEngine wrapper).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import type { Session } from 'chdb';
import { RowBinaryWriter } from './row-binary.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-rowbinary-'));
let session: Session;

before(async () => {
  const chdb = await import('chdb');
  session = new chdb.Session(dir, { connectionArgs: ['--output_format_json_quote_64bit_integers=1'] });
});

after(async () => {
  session.close();
  const chdb = await import('chdb');
  await chdb.drainPending();
  rmSync(dir, { recursive: true, force: true });
});

// chdb 3.4's Session#insert whitelists text formats only (a JS-side check in dist/rawInsert.js);
// the native raw-insert entry underneath passes the bytes through unchanged, NULs included.
type RawInsert = (connection: unknown, prefix: string, payload: Buffer, countLines: boolean) => Promise<unknown>;
const requireCjs = createRequire(import.meta.url);
const loader = join(dirname(requireCjs.resolve('chdb')), 'dist', 'loader.js');
const native = (requireCjs(loader) as { loadNative(): { InsertRawAsyncConnection: RawInsert } }).loadNative();

async function insertRowBinary(table: string, columns: readonly string[], payload: Buffer): Promise<void> {
  const connection = (session as unknown as { connection: unknown }).connection;
  await native.InsertRawAsyncConnection(connection, `INSERT INTO ${table} (${columns.join(', ')}) FORMAT RowBinary`, payload, false);
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const text = (await session.queryAsync(sql, { format: 'JSONEachRow' })).text();
  return text.split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('every supported type round-trips through INSERT … FORMAT RowBinary', async () => {
  await session.queryAsync(`CREATE TABLE t (id UInt32, s String, lc LowCardinality(String), u8 UInt8, u16 UInt16,
    u64 UInt64, big UInt64, i64 Int64, f Float64, arr Array(String), m Map(LowCardinality(String), String),
    nums Array(Float64), tup Tuple(UInt8, String)) ENGINE = MergeTree ORDER BY id`, { format: 'TSV' });
  const long = 'x'.repeat(200) + 'é'.repeat(50) + '😀'.repeat(10);
  const strings = ['', 'plain', 'quote\' "\\ \t\n\0', 'naïve — ✓', long, 'bad \ud800 surrogate', 'y'.repeat(20_000)];
  const w = new RowBinaryWriter(16);
  strings.forEach((s, i) => {
    w.uint32(i);
    w.string(s);
    w.string(`lc${i}`);
    w.uint8(255);
    w.uint16(65535);
    w.uint64(Number.MAX_SAFE_INTEGER - i);
    w.uint64Big(18446744073709551615n - BigInt(i));
    w.int64(i % 2 === 0 ? -Number.MAX_SAFE_INTEGER + i : -1 - i * 0x100000000);
    w.float64(i === 3 ? -0.5 : 1e300 / (i + 1));
    w.stringArray(i === 0 ? [] : [s, 'b']);
    w.stringMap(i === 0 ? [] : [['Host', s], ['Az', 'z']]);
    w.varUInt(2);
    w.float64(Number.NaN);
    w.float64(Number.POSITIVE_INFINITY);
    w.uint8(7);
    w.string('tuple');
  });
  await insertRowBinary('t', ['id', 's', 'lc', 'u8', 'u16', 'u64', 'big', 'i64', 'f', 'arr', 'm', 'nums', 'tup'], w.bytes());
  const got = await rows(`SELECT id, s, lc, u8, u16, toString(u64) AS u64, toString(big) AS big, toString(i64) AS i64, f,
    arr, mapKeys(m) AS mk, mapValues(m) AS mv, toString(nums) AS nums, tup.1 AS t1, tup.2 AS t2 FROM t ORDER BY id`);
  assert.equal(got.length, strings.length);
  got.forEach((r, i) => {
    const s = strings[i].toWellFormed();
    assert.equal(r.s, s);
    assert.equal(r.lc, `lc${i}`);
    assert.equal(r.u8, 255);
    assert.equal(r.u16, 65535);
    assert.equal(r.u64, String(Number.MAX_SAFE_INTEGER - i));
    assert.equal(r.big, String(18446744073709551615n - BigInt(i)));
    assert.equal(r.i64, String(i % 2 === 0 ? -Number.MAX_SAFE_INTEGER + i : -1 - i * 0x100000000));
    assert.equal(r.f, i === 3 ? -0.5 : 1e300 / (i + 1));
    assert.deepEqual(r.arr, i === 0 ? [] : [s, 'b']);
    assert.deepEqual(r.mk, i === 0 ? [] : ['Host', 'Az']);
    assert.deepEqual(r.mv, i === 0 ? [] : [s, 'z']);
    assert.equal(r.nums, '[nan,inf]');
    assert.equal(r.t1, 7);
    assert.equal(r.t2, 'tuple');
  });
});

test('truncate undoes a partly written row and reset reuses the buffer', () => {
  const w = new RowBinaryWriter(4);
  w.string('keep');
  const mark = w.length;
  w.string('drop me');
  w.truncate(mark);
  assert.deepEqual([...w.take()], [4, ...Buffer.from('keep')]);
  w.reset();
  w.varUInt(300);
  assert.deepEqual([...w.bytes()], [0xac, 0x02]);
});
