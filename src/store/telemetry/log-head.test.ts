// The logs head against the embedded engine: what it inserts is exactly what was appended (every
// column, message_bytes included), a retried batch is stored once, and its memory is accounted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from './engine.ts';
import { migrate } from './migrations.ts';
import { LogWalCodec } from './log-wal-codec.ts';
import { LogHead, createLogEventPipeline } from './log-head.ts';
import type { LogEventRow } from './log-events.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-log-head-'));
let engine: ChdbEngine;

before(async () => {
  engine = await ChdbEngine.open({ path: join(dir, 'ch') });
  await migrate(engine);
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

let groups = 0;
const freshGroup = () => `/head/${groups++}`;

const row = (logGroup: string, i: number, over: Partial<LogEventRow> = {}): LogEventRow => ({
  account: '123456789012', region: 'us-east-1', logGroup, logStream: `s${i % 3}`, ts: 1_700_000_000_000 + i,
  ingestTs: 1_700_000_000_500, seq: BigInt(i), message: `event ${i}`, ...over,
});

interface Stored { log_stream: string; ts: string; ingest_ts: string; seq: string; message: string; key_id: string; message_bytes: number }
const stored = (logGroup: string) => engine.query<Stored>(
  'SELECT log_stream, ts, ingest_ts, seq, message, key_id, message_bytes FROM log_events WHERE log_group = {g:String} ORDER BY seq',
  { g: logGroup });

test('appended rows reach log_events exactly, through the WAL and one batch insert', async () => {
  const g = freshGroup();
  const pipeline = await createLogEventPipeline(engine, { dir: join(dir, 'wal-exact'), fsync: false, flushIntervalMs: 60_000 });
  // Bytes a text-framed insert would stumble on: empty lines, NULs, a UInt64 whose bytes are "\n\n",
  // multi-byte UTF-8, a long (two-byte length prefix) message, a sealed row.
  const rows = [
    row(g, 0, { message: 'Traceback:\n\n  at main()\n' }),
    row(g, 1, { message: 'nul\0inside', seq: 0x0a0an }),
    row(g, 2, { message: 'ünïcødé 🚀', ts: -5 }),
    row(g, 3, { message: 'x'.repeat(5000), seq: (1n << 64n) - 1n }),
    row(g, 4, { message: 'c2VhbGVk', keyId: 'arn:aws:kms:us-east-1:123456789012:key/k' }),
    row(g, 5, { message: '\n\n' }),
  ];
  try {
    await pipeline.append(rows.slice(0, 3));
    await pipeline.append(rows.slice(3));
    assert.equal((await stored(g)).length, 0, 'acknowledged from the WAL, not inserted yet');
    await pipeline.sync();
    assert.equal(pipeline.stats().flushes, 1);
    const back = await stored(g);
    assert.deepEqual(back, [...rows].sort((a, b) => (a.seq < b.seq ? -1 : 1)).map((r) => ({
      log_stream: r.logStream, ts: String(r.ts), ingest_ts: String(r.ingestTs), seq: String(r.seq), message: r.message,
      key_id: r.keyId ?? '', message_bytes: Buffer.byteLength(r.message),
    })));
  } finally {
    await pipeline.close();
  }
});

test('a batch inserted again with the same token is stored once', async () => {
  const g = freshGroup();
  const codec = new LogWalCodec();
  const head = new LogHead(engine, codec);
  head.add([row(g, 0), row(g, 1)]);
  head.add([row(g, 2)]);
  const batch = head.drain();
  assert.equal(batch.rows, 3);
  await batch.insert('test-token:1-2');
  await batch.insert('test-token:1-2');
  assert.equal((await stored(g)).length, 3);
  // The same rows under another token are another batch.
  const other = new LogHead(engine, codec);
  other.add([row(g, 0), row(g, 1), row(g, 2)]);
  await other.drain().insert('test-token:3-3');
  assert.equal((await stored(g)).length, 6);
});

test('the head accounts for what it holds and is empty after a drain', async () => {
  const codec = new LogWalCodec();
  const head = new LogHead(engine, codec);
  const rows = Array.from({ length: 100 }, (_, i) => row('/acct', i, { message: 'm'.repeat(200) }));
  const record = codec.encode(rows);
  head.add(rows);
  head.add([]);
  assert.equal(head.rows, 100);
  assert.ok(head.bytes >= record.length - 1 && head.bytes < record.length + 1024, `bytes ${head.bytes} for a ${record.length}-byte record`);
  const batch = head.drain();
  assert.equal(batch.rows, 100);
  assert.equal(head.rows, 0);
  assert.equal(head.bytes, 0);
  assert.equal(head.drain().rows, 0);
  await head.drain().insert('never-sent');
});

test('a large drain goes in ≤16 MiB parts; a failed part resumes, a replayed batch is stored once', async () => {
  const g = freshGroup();
  const codec = new LogWalCodec();
  let calls = 0;
  // Inserts: the parts' search filters (log-search-blocks.ts), part 1, part 2 (fails once).
  let failOn = 3;
  const flaky = {
    ...engine, query: engine.query.bind(engine), exec: engine.exec.bind(engine), select: engine.select.bind(engine), close: engine.close.bind(engine),
    insert: async (...args: Parameters<ChdbEngine['insert']>) => {
      if (++calls === failOn) throw new Error('injected insert failure');
      return engine.insert(...args);
    },
  };
  // Three ~7 MiB requests: parts [1, 2] and [3].
  const requests = [0, 1, 2].map((r) => Array.from({ length: 1000 }, (_, i) => row(g, r * 1000 + i, { message: 'x'.repeat(7000) })));
  const head = new LogHead(flaky, codec);
  for (const req of requests) head.add(req);
  const batch = head.drain();
  await assert.rejects(batch.insert('split-token'), /injected/);
  await batch.insert('split-token');
  assert.equal(calls, 4, 'the part that landed (and the filters) are not sent again by the retry');
  const count = async () => Number((await engine.query<{ n: string }>('SELECT count() AS n FROM log_events WHERE log_group = {g:String}', { g }))[0]!.n);
  assert.equal(await count(), 3000);
  // After a crash the same records rebuild the same parts with the same tokens: nothing is stored twice.
  failOn = 0;
  const replayed = new LogHead(flaky, codec);
  for (const req of requests) replayed.add(codec.decode(codec.encode(req)));
  await replayed.drain().insert('split-token');
  assert.equal(calls, 7);
  assert.equal(await count(), 3000);
});
