import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { KeyStore } from '../../../store/keys/key-store.ts';
import type { ExportTaskRecord } from '../../../store/meta/export-tasks.ts';
import { runExport, storeBounds, type ExportJob } from './exporter.ts';
import { formatLine } from './layout.ts';
import { FakeLogs, MemorySink } from './test-fakes.ts';

const A = '111111111111';
const R = 'us-east-1';
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

const task = (over: Partial<ExportTaskRecord> = {}): ExportTaskRecord => ({
  taskId: 'task-1', account: A, region: R, taskName: null, logGroup: '/app', logStreamPrefix: null,
  from: T0, to: T0 + 10_000, destination: 'b', destinationPrefix: null, status: 'RUNNING', statusMessage: null,
  createdAt: 0, completedAt: null, attempts: 1, ...over,
});

const keys = KeyStore.fromMaster(Buffer.alloc(32, 7));

function job(logs: FakeLogs, sink: MemorySink, over: Partial<ExportJob> = {}): ExportJob {
  return { task: task(), sink, meta: logs, events: logs, keys, checkpoint: async () => {}, ...over };
}

test('lines are "<ISO-8601 UTC with ms> <message>"', () => {
  assert.equal(formatLine(Date.UTC(2015, 8, 5, 22, 0, 0, 7), 'hello world'), '2015-09-05T22:00:00.007Z hello world\n');
  assert.equal(formatLine(0, 'multi\nline'), '1970-01-01T00:00:00.000Z multi\nline\n');
});

test('exports exactly the events with from <= timestamp <= to, per stream, in time order', async () => {
  const logs = new FakeLogs();
  logs.put(A, R, '/app', 'web', [
    { ts: T0 - 1, message: 'before' },
    { ts: T0, message: 'at-from' },
    { ts: T0 + 5, message: 'inside-b' },
    { ts: T0 + 5, message: 'inside-c' },
    { ts: T0 + 10_000, message: 'at-to' },
    { ts: T0 + 10_001, message: 'after' },
  ]);
  logs.put(A, R, '/app', 'api/v1', [{ ts: T0 + 3, message: 'api' }]);
  logs.put(A, R, '/app', 'quiet', [{ ts: T0 - 100, message: 'old' }]);
  logs.put(A, R, '/other', 'web', [{ ts: T0 + 1, message: 'other group' }]);
  const sink = new MemorySink();
  const r = await runExport(job(logs, sink));
  assert.deepEqual([...sink.objects.keys()].sort(), ['exportedlogs/task-1/api/v1/000000.gz', 'exportedlogs/task-1/web/000000.gz']);
  const iso = (ts: number) => new Date(ts).toISOString();
  assert.equal(sink.text('exportedlogs/task-1/web/000000.gz'),
    `${iso(T0)} at-from\n${iso(T0 + 5)} inside-b\n${iso(T0 + 5)} inside-c\n${iso(T0 + 10_000)} at-to\n`);
  assert.equal(sink.text('exportedlogs/task-1/api/v1/000000.gz'), `${iso(T0 + 3)} api\n`);
  assert.deepEqual(r, { streams: 2, objects: 2, events: 5, bytes: r.bytes });
  assert.ok(!logs.reads.some((q) => q.logStream === 'quiet'), 'a stream whose events all precede the range is not read');
});

test('logStreamNamePrefix and destinationPrefix shape what is exported and where', async () => {
  const logs = new FakeLogs();
  logs.put(A, R, '/app', 'app-1', [{ ts: T0, message: 'a1' }]);
  logs.put(A, R, '/app', 'app-2', [{ ts: T0, message: 'a2' }]);
  logs.put(A, R, '/app', 'db-1', [{ ts: T0, message: 'd1' }]);
  const sink = new MemorySink();
  await runExport(job(logs, sink, { task: task({ logStreamPrefix: 'app-', destinationPrefix: 'my/prefix' }) }));
  assert.deepEqual([...sink.objects.keys()].sort(), ['my/prefix/task-1/app-1/000000.gz', 'my/prefix/task-1/app-2/000000.gz']);
});

test('reads are paged and a large stream is split into 000000.gz, 000001.gz, … that concatenate to the whole', async () => {
  const logs = new FakeLogs();
  const events = Array.from({ length: 2_500 }, (_, i) => ({ ts: T0 + Math.floor(i / 4), message: `event-${i}-${'x'.repeat(i % 50)}` }));
  logs.put(A, R, '/app', 'big', events);
  const sink = new MemorySink();
  const checkpoints: number[] = [];
  const r = await runExport(job(logs, sink, { pageSize: 300, maxObjectBytes: 40_000, checkpoint: async () => void checkpoints.push(1) }));
  const keys = [...sink.objects.keys()].sort();
  assert.ok(keys.length > 3, `expected several objects, got ${keys.length}`);
  keys.forEach((k, i) => assert.equal(k, `exportedlogs/task-1/big/${String(i).padStart(6, '0')}.gz`));
  const whole = keys.map((k) => gunzipSync(sink.objects.get(k)!).toString()).join('');
  assert.equal(whole, events.map((e) => formatLine(e.ts, e.message)).join(''));
  for (const k of keys) assert.ok(gunzipSync(sink.objects.get(k)!).length <= 40_000);
  assert.ok(logs.reads.every((q) => q.limit === 300));
  assert.equal(logs.reads.length, Math.ceil(2_500 / 300));
  assert.ok(checkpoints.length >= logs.reads.length - 1, 'a checkpoint between every page');
  assert.equal(r.events, 2_500);
});

test('groups with thousands of streams: each surviving stream exported once, even when streams are deleted meanwhile', async () => {
  const logs = new FakeLogs();
  const names = Array.from({ length: 2_100 }, (_, i) => `s-${String(i).padStart(5, '0')}`);
  for (const n of names) logs.put(A, R, '/app', n, [{ ts: T0, message: n }]);
  const sink = new MemorySink();
  let calls = 0;
  const meta = {
    listStreams: async (q: Parameters<FakeLogs['listStreams']>[0]) => {
      const page = await logs.listStreams(q);
      // After the first page was listed, 60 of its streams disappear: offsets shift under the export.
      if (calls++ === 0) for (const n of names.slice(100, 160)) logs.deleteStream(A, R, '/app', n);
      return page;
    },
  };
  await runExport(job(logs, sink, { meta }));
  const exported = sink.puts.map((k) => k.split('/')[2]);
  assert.equal(new Set(exported).size, exported.length, 'no stream exported twice');
  const expected = names.filter((n, i) => i < 100 || i >= 160);
  // The deleted ones were listed before they went away; whatever they yielded, none of the others is missing.
  for (const n of expected) assert.ok(exported.includes(n), `missing ${n}`);
});

test('messages of an encrypted group are exported in plain text', async () => {
  const logs = new FakeLogs();
  const arn = 'arn:aws:kms:us-east-1:111111111111:key/k1';
  logs.put(A, R, '/app', 's', [{ ts: T0, message: keys.seal(arn, 'secret message'), keyId: arn }, { ts: T0 + 1, message: 'plain' }]);
  const sink = new MemorySink();
  await runExport(job(logs, sink));
  assert.equal(sink.text('exportedlogs/task-1/s/000000.gz'), `${new Date(T0).toISOString()} secret message\n${new Date(T0 + 1).toISOString()} plain\n`);
});

test('a checkpoint that throws stops the export before anything more is written', async () => {
  const logs = new FakeLogs();
  logs.put(A, R, '/app', 'a', Array.from({ length: 10 }, (_, i) => ({ ts: T0 + i, message: `a${i}` })));
  logs.put(A, R, '/app', 'b', [{ ts: T0, message: 'b' }]);
  const sink = new MemorySink();
  await assert.rejects(runExport(job(logs, sink, { pageSize: 3, checkpoint: async () => { throw new Error('cancelled'); } })), /cancelled/);
  assert.equal(sink.objects.size, 0);
});

test('an export rerun from scratch writes the same keys and bytes', async () => {
  const logs = new FakeLogs();
  logs.put(A, R, '/app', 's', Array.from({ length: 100 }, (_, i) => ({ ts: T0 + i, message: `m${i}` })));
  const first = new MemorySink();
  const second = new MemorySink();
  await runExport(job(logs, first, { pageSize: 7, maxObjectBytes: 500 }));
  await runExport(job(logs, second, { pageSize: 7, maxObjectBytes: 500 }));
  assert.deepEqual([...second.objects.keys()], [...first.objects.keys()]);
  for (const [k, v] of first.objects) assert.equal(gunzipSync(second.objects.get(k)!).toString(), gunzipSync(v).toString());
});

test('huge or odd bounds are clamped to what the store accepts; `to` stays inclusive', () => {
  assert.deepEqual(storeBounds(5, 5), { startTime: 5, endTime: 6 });
  assert.deepEqual(storeBounds(0, 9.3e18), { startTime: 0, endTime: Number.MAX_SAFE_INTEGER });
});
