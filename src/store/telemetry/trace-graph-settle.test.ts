import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readYourWrites } from '../ingest/read-your-writes.ts';
import { ChdbEngine } from './engine.ts';
import { migrate } from './migrations.ts';
import { settledMark, TraceGraphSettler } from './trace-graph-settle.ts';
import { createTraceSegmentPipeline, TraceSegmentStore, type TraceSegmentRow } from './trace-segments.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-trace-graph-'));
let engine: ChdbEngine;
let store: TraceSegmentStore;
let clock = 0;
let pending: number | undefined;

before(async () => {
  engine = await ChdbEngine.open({ path: dir });
  await migrate(engine);
  const traces = await createTraceSegmentPipeline(engine, { dir: join(dir, 'wal'), fsync: false });
  store = new TraceSegmentStore(readYourWrites(engine, [{ tables: /\btrace_segments\b/, pipeline: traces }]), traces);
});
after(async () => {
  await store?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

const settler = () => new TraceGraphSettler(store.engine, { settleDelayMs: 10_000, maxSpanMs: 300_000, oldestUnstored: () => pending, now: () => clock });

function segment(traceId: string, received: number): TraceSegmentRow {
  const start = received / 1000;
  return {
    account: '000000000000', region: 'us-east-1', traceId, id: traceId.slice(-16), parentId: '', subsegment: false, inProgress: false,
    name: 'checkout', origin: '', startTime: start, endTime: start + 0.1, received, document: '{}', keyId: '',
    graph: { nodeName: 'checkout', nodeType: 'AWS::EC2::Instance', nodeAccount: '', status: 0, responseTime: 0.1, owned: [], calls: [] },
  };
}

const rows = async (traceId: string) => Number((await engine.query<{ n: string }>('SELECT count() AS n FROM trace_graph WHERE trace_id = {t:String}', { t: traceId }))[0]!.n);

test('a pass settles what was received more than the delay ago, skips gaps, and waits for documents still being inserted', async () => {
  const day = 86_400_000;
  const t0 = 1_800_000_000_000;
  clock = t0;
  assert.equal(await settler().pass(), false, 'nothing received yet');

  await store.append([segment('1-00000000-00000000000000000000000a', t0)]);
  clock = t0 + 5_000;
  assert.equal(await settler().pass(), false, 'not yet past the delay');
  assert.equal(await rows('1-00000000-00000000000000000000000a'), 0);

  clock = t0 + 11_000;
  assert.equal(await settler().pass(), false, 'settled, nothing more ready');
  assert.ok(await rows('1-00000000-00000000000000000000000a') > 0);
  assert.equal((await settledMark(engine)).upto, t0 + 1_000);

  // A day of silence, then a document: one pass reaches it; one still being inserted holds the cut.
  await store.append([segment('1-00000000-00000000000000000000000b', t0 + day)]);
  pending = t0 + day + 2_000;
  clock = t0 + day + 60_000;
  assert.equal(await settler().pass(), false);
  assert.ok(await rows('1-00000000-00000000000000000000000b') > 0);
  assert.equal((await settledMark(engine)).upto, t0 + day + 1_999);
  pending = undefined;
});

test('the settled tables follow the trace retention', async () => {
  await store.setRetention(9);
  const ttls = await engine.query<{ name: string; engine_full: string }>(`SELECT name, engine_full FROM system.tables WHERE name LIKE 'trace_graph%'`);
  assert.equal(ttls.length, 4);
  for (const t of ttls) assert.match(t.engine_full, /toIntervalDay\(9\)/, t.name);
});
