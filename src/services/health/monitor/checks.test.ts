import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatsFs } from 'node:fs';
import { openTestMetaDb } from '../../../store/meta/test-support.ts';
import { HealthRepo } from '../repo.ts';
import { HEALTH_MIGRATIONS } from '../schema.ts';
import { deliveryBacklogCheck } from './delivery-backlog.ts';
import { diskSpaceCheck, freePercent } from './disk-space.ts';
import { storeProbeCheck } from './store-probe.ts';

const NOW = Date.UTC(2026, 0, 1);

test('the disk check reports the data directory when free space is under the threshold', async () => {
  const stat = async () => ({ bavail: 5, blocks: 100, bsize: 4096 }) as unknown as StatsFs;
  assert.equal(freePercent({ bavail: 5, blocks: 100 }), 5);
  const [c] = await diskSpaceCheck('/var/lib/osprey', 10, stat as never).run(NOW);
  assert.equal(c!.entity, '/var/lib/osprey');
  assert.match(c!.description, /5\.0 % free.*10 % threshold/);
  assert.deepEqual(await diskSpaceCheck('/var/lib/osprey', 5, stat as never).run(NOW), []);
});

test('the disk check reads the real file system of a directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-health-'));
  assert.equal((await diskSpaceCheck(dir, 100).run(NOW)).length, 1, 'no disk has 100 % free');
  assert.equal((await diskSpaceCheck(dir, 1).run(NOW)).length <= 1, true);
});

test('the backlog check names topics whose oldest pending row is over the threshold, not their targets', async () => {
  const outbox = { backlog: async () => ({ dead: 0, topics: [
    { topic: 'sns', pending: 3, oldestCreatedAt: NOW - 400_000 },
    { topic: 'events', pending: 1, oldestCreatedAt: NOW - 1_000 },
  ] }) };
  const found = await deliveryBacklogCheck(outbox, 300).run(NOW);
  assert.deepEqual(found.map((c) => c.entity), ['delivery/sns']);
  assert.match(found[0]!.description, /3 sns deliveries are pending; the oldest was written 400 s ago/);
});

test('a closed SQLite database fails the metadata store probe; a working one passes', async () => {
  const db = await openTestMetaDb({ name: 'health', migrations: HEALTH_MIGRATIONS });
  const repo = new HealthRepo(db);
  const check = storeProbeCheck([{ entity: 'metadata-store', label: 'metadata store', probe: async (now) => repo.probe(now) }]);
  assert.deepEqual(await check.run(NOW), []);
  await db.close();
  const [c] = await check.run(NOW);
  assert.equal(c!.entity, 'metadata-store');
  assert.match(c!.description, /failed its probe: The database connection is not open/);
});

test('a probe that does not answer in time counts as a failure', async () => {
  const check = storeProbeCheck([{ entity: 'telemetry-store', label: 'telemetry store', probe: () => new Promise(() => {}) }], 50);
  const [c] = await check.run(NOW);
  assert.match(c!.description, /no answer in 0.05 s/);
});
