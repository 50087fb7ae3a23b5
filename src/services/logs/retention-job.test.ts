import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/logger.ts';
import { LogsMetaStore } from '../../store/meta/logs.ts';
import { tempMetaDb } from '../../store/meta/test-support.ts';
import { openTelemetry } from '../../store/telemetry/index.ts';
import { RetentionJob } from './retention-job.ts';

const DAY = 86_400_000;
// chDB binds one data directory per process: this file uses one for all its tests.
const dir = mkdtempSync(join(tmpdir(), 'osprey-retention-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('with a controlled clock: expired events disappear, storedBytes falls, newer events and other groups stay', async (t) => {
  const telemetry = await openTelemetry({ kind: 'chdb', path: join(dir, 'telemetry') });
  const { db } = await tempMetaDb(t, 'osprey-retention-meta-');
  const meta = new LogsMetaStore(db);
  const clock = new ManualClock(Date.UTC(2026, 0, 10));
  const t0 = clock.now();
  let seq = 1n;
  for (const name of ['/a', '/b']) {
    const key = { account: '1', region: 'r', name };
    await meta.createGroup({ ...key, createdAt: t0, retentionDays: name === '/a' ? 3 : null, kmsKeyId: null, logGroupClass: 'STANDARD', deletionProtection: false, tags: {} });
    await meta.createStream(key, 's', t0);
    const rows = [t0 - 5 * DAY, t0 - 2 * DAY, t0].map((ts, i) => ({ account: '1', region: 'r', logGroup: name, logStream: 's', ts, ingestTs: ts, seq: seq++, message: `m${i}`.repeat(i + 1) }));
    await telemetry.logEvents.append(rows);
    await meta.recordIngest(key, 's', { firstTs: rows[0].ts, lastTs: rows[2].ts, ingestionTime: t0, bytes: rows.reduce((n, r) => n + r.message.length, 0) });
  }
  const job = new RetentionJob(meta, telemetry.logEvents, clock, silentLogger, 60_000);
  const messages = async (g: string) =>
    (await telemetry.logEvents.readStream({ account: '1', region: 'r', logGroup: g, logStream: 's', limit: 100, forward: true })).map((r) => r.message);
  const stored = async (g: string) => (await meta.getGroup({ account: '1', region: 'r', name: g }))!.storedBytes;

  assert.equal(await stored('/a'), 2 + 4 + 6);
  await job.runOnce();
  assert.deepEqual(await messages('/a'), ['m1m1', 'm2m2m2'], 'the 5-day-old event is past the 3-day retention');
  assert.equal(await stored('/a'), 4 + 6);
  assert.deepEqual(await messages('/b'), ['m0', 'm1m1', 'm2m2m2'], 'a group without a policy is untouched');

  clock.advance(2 * DAY);
  await job.runOnce();
  assert.deepEqual(await messages('/a'), ['m2m2m2']);
  assert.equal(await stored('/a'), 6);
  assert.equal(await stored('/b'), 12);

  await telemetry.close();
});

test('with an embedded store per node: the bytes of the events this node deletes come off storedBytes, other nodes\' bytes stay', async (t) => {
  const telemetry = await openTelemetry({ kind: 'chdb', path: join(dir, 'telemetry') });
  const { db } = await tempMetaDb(t, 'osprey-retention-nodes-meta-');
  const meta = new LogsMetaStore(db);
  const clock = new ManualClock(Date.UTC(2026, 1, 10));
  const t0 = clock.now();
  const key = { account: '1', region: 'r', name: '/shared-group' };
  await meta.createGroup({ ...key, createdAt: t0, retentionDays: 3, kmsKeyId: null, logGroupClass: 'STANDARD', deletionProtection: false, tags: {} });
  await meta.createStream(key, 's', t0);
  // This node stored two events (old: 10 bytes, new: 20); another node stored 300 bytes, counted in the same row.
  await telemetry.logEvents.append([t0 - 5 * DAY, t0].map((ts, i) => ({ account: '1', region: 'r', logGroup: key.name, logStream: 's', ts, ingestTs: ts, seq: BigInt(100 + i), message: 'x'.repeat(10 * (i + 1)) })));
  await meta.recordIngest(key, 's', { firstTs: t0 - 5 * DAY, lastTs: t0, ingestionTime: t0, bytes: 30 });
  await meta.recordIngest(key, 's', { firstTs: t0, lastTs: t0, ingestionTime: t0, bytes: 300 });
  const job = new RetentionJob(meta, telemetry.logEvents, clock, silentLogger, 60_000, undefined, false);
  await job.runOnce();
  assert.equal((await meta.getGroup(key))!.storedBytes, 320, 'the 10 bytes deleted here come off; a recount would have said 20');
  await job.runOnce();
  assert.equal((await meta.getGroup(key))!.storedBytes, 320, 'nothing more to delete, nothing subtracted twice');
  await telemetry.close();
});
