import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readYourWrites } from '../ingest/read-your-writes.ts';
import { ChdbEngine } from './engine.ts';
import { migrate } from './migrations.ts';
import { createTraceSegmentPipeline, TraceSegmentStore } from './trace-segments.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-traces-'));
let engine: ChdbEngine;
let store: TraceSegmentStore;

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

const ttl = async () => (await engine.query<{ engine_full: string }>(`SELECT engine_full FROM system.tables WHERE name = 'trace_segments'`))[0]!.engine_full.match(/TTL .*?toIntervalDay\(\d+\)/)?.[0];

test('the configured retention becomes the trace table\'s TTL, and setting it again changes nothing', async () => {
  assert.match((await ttl())!, /toIntervalDay\(30\)/);
  await store.setRetention(7);
  assert.match((await ttl())!, /toIntervalDay\(7\)/);
  await store.setRetention(7);
  assert.match((await ttl())!, /toIntervalDay\(7\)/);
  await assert.rejects(store.setRetention(0), RangeError);
});
