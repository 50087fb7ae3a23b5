// The per-block search index against the embedded engine: each flushed part is a block with a
// filter; a needle search skips the blocks that cannot hold it and still returns every match —
// sealed rows, rows written before the index, rows of several blocks in one granule.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from './engine.ts';
import { migrate } from './migrations.ts';
import { createLogEventPipeline } from './log-head.ts';
import { LogEventStore, type LogEventRow } from './log-events.ts';
import { blockExclusion, excludedRanges } from './log-search-blocks.ts';
import { readYourWrites } from '../ingest/read-your-writes.ts';
import type { IngestPipeline } from '../ingest/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-log-blocks-'));
let engine: ChdbEngine;
let pipeline: IngestPipeline<LogEventRow>;
let store: LogEventStore;
const G = '/blocks/g';

before(async () => {
  engine = await ChdbEngine.open({ path: join(dir, 'ch') });
  await migrate(engine);
  pipeline = await createLogEventPipeline(engine, { dir: join(dir, 'wal'), fsync: false, flushIntervalMs: 60_000 });
  const reads = readYourWrites(engine, [{ tables: /\blog_(events|search_blocks)\b/, pipeline }]);
  store = new LogEventStore(reads, pipeline);
});

after(async () => {
  await pipeline.close();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

// Real seqs: milliseconds << 20 (lib/ids.ts); rows inserted directly (below) have small ones.
let seq = 1_700_000_000_000n << 20n;
const row = (i: number, message: string, over: Partial<LogEventRow> = {}): LogEventRow => ({
  account: '123456789012', region: 'us-east-1', logGroup: G, logStream: `s${i % 2}`, ts: 1_700_000_000_000 + i,
  ingestTs: 1_700_000_000_000 + i, seq: seq++, message, ...over,
});

const search = (needle: string) => store.filterGroup({
  account: '123456789012', region: 'us-east-1', logGroup: G, limit: 1_000_000,
  where: { sql: 'position(message, {n:String}) > 0', params: { n: needle } }, needles: [needle],
});

test('excluded ranges: failing blocks minus passing ones, joined across gaps no passing block touches', () => {
  const r = (lo: number, hi: number, pass: boolean) => ({ lo: BigInt(lo), hi: BigInt(hi), pass });
  const show = (xs: { lo: bigint; hi: bigint }[]) => xs.map((x) => `${x.lo}-${x.hi}`);
  assert.deepEqual(show(excludedRanges([r(10, 19, false), r(30, 39, false), r(50, 59, true), r(60, 69, false)])), ['10-39', '60-69']);
  // Overlaps (two processes, or a request that took its seqs early): the passing block stays readable.
  assert.deepEqual(show(excludedRanges([r(10, 40, false), r(20, 25, true), r(38, 45, false)])), ['10-19', '26-45']);
  assert.deepEqual(show(excludedRanges([r(10, 20, false), r(5, 30, true)])), []);
  assert.deepEqual(show(excludedRanges([r(10, 20, true)])), []);
});

test('a needle search reads only blocks that can hold it and finds every match', async () => {
  // Ten flushes: ten blocks of 20,000 rows (more than a granule per stream) in time order, the needle in block 6 only; block 8 holds
  // a sealed row (it must come back whatever the needle).
  for (let b = 0; b < 10; b++) {
    const rows: LogEventRow[] = [];
    for (let i = 0; i < 20_000; i++) {
      const n = b * 20_000 + i;
      rows.push(row(n, `GET /api/${n % 97} status=200 latency=${n % 900} req=${(n * 7919) % 100_000}${b === 6 && i === 500 ? ' xNEEDLEx' : ''}`));
    }
    if (b === 8) rows[3] = row(b * 20_000 + 3, 'c2VhbGVk', { keyId: 'arn:aws:kms:us-east-1:123456789012:key/k' });
    await pipeline.append(rows);
    await pipeline.sync();
  }
  // Rows that bypass the head (block 0, no filter) are always read.
  await engine.exec(`INSERT INTO log_events (account, region, log_group, log_stream, ts, ingest_ts, seq, message, key_id)
    VALUES ('123456789012', 'us-east-1', '${G}', 's0', 1700000000001, 0, 1, 'legacy NEEDLE row', '')`);

  const ex = await blockExclusion(engine, ['NEEDLE']);
  assert.ok(ex, 'blocks are excluded');
  assert.equal(ex.blocks, 10);
  assert.equal(ex.excluded, 8, 'all but the needle block and the sealed block');

  const rows = await search('NEEDLE');
  assert.deepEqual(rows.map((r) => r.message).sort(), ['c2VhbGVk', 'legacy NEEDLE row', rows.find((r) => r.message.includes('xNEEDLEx'))!.message].sort());

  // The same answer with the index bypassed, for needles present in many blocks, one, or none.
  for (const needle of ['latency=1', 'req=12345', 'status=200 latency=899', 'absent-text', 'NEEDLE']) {
    const fast = (await search(needle)).map((r) => r.seq).sort();
    const full = (await engine.query<{ seq: string }>(
      `SELECT toString(seq) AS seq FROM log_events WHERE log_group = {g:String} AND (key_id != '' OR position(message, {n:String}) > 0)`,
      { g: G, n: needle })).map((r) => BigInt(r.seq)).sort();
    assert.deepEqual(fast, full, needle);
  }
});

test('the excluded blocks are skipped by the engine, not filtered row by row', async () => {
  const ex = (await blockExclusion(engine, ['NEEDLE']))!;
  const plan = await engine.query<{ explain: string }>(
    `EXPLAIN indexes = 1 SELECT count() FROM log_events WHERE log_group = {g:String} AND ${ex.sql}`, { g: G, ...ex.params });
  const text = plan.map((r) => r.explain).join('\n');
  assert.match(text, /seq_minmax/);
  const granules = [...text.matchAll(/Granules: (\d+)\/(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  const last = granules[granules.length - 1]!;
  assert.ok(last[0] < last[1], `granules read ${last[0]} of ${last[1]}`);
});

test('a filter worker that dies leaves its blocks readable (match-everything filters), and a new one takes over', async () => {
  const { gramWorker } = await import('./gram-workers.ts');
  const rows = Array.from({ length: 500 }, (_, i) => row(1_000_000 + i, `after the worker died ${i}${i === 7 ? ' LOSTNEEDLE' : ''}`));
  await pipeline.append(rows);
  await gramWorker().terminate();
  await pipeline.sync();
  const plain = async (needle: string) => (await search(needle)).filter((r) => !r.keyId).map((r) => r.message);
  assert.deepEqual(await plain('LOSTNEEDLE'), ['after the worker died 7 LOSTNEEDLE']);
  // The next block gets a real filter again from a fresh worker: it is excluded for an absent needle.
  await pipeline.append([row(2_000_000, 'fresh block')]);
  await pipeline.sync();
  const ex = await blockExclusion(engine, ['ABSENTNEEDLE']);
  assert.ok(ex && ex.excluded >= 1);
  assert.deepEqual(await plain('fresh block'), ['fresh block']);
});
