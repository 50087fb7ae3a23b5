// One chDB data directory per process (each test file is its own process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from '../../../store/telemetry/engine.ts';
import { migrate } from '../../../store/telemetry/migrations.ts';
import { storeProbeCheck, telemetryProbe } from './store-probe.ts';

test('the telemetry probe passes on a working chDB store and fails once the store is closed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-health-probe-'));
  const engine = await ChdbEngine.open({ path: dir, fsync: false });
  try {
    const check = storeProbeCheck([{ entity: 'telemetry-store', label: 'telemetry store (chdb)', probe: telemetryProbe(engine) }]);
    assert.equal((await check.run(0)).length, 1, 'no log_events table yet: the store cannot serve');
    await migrate(engine);
    assert.deepEqual(await check.run(0), []);
    await engine.close();
    const [c] = await check.run(0);
    assert.equal(c?.entity, 'telemetry-store');
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
