// Migrations 0007/0008 and 0021/0022: rollups written under the 0006 layout (keyed by names and dimensions) are
// read back unchanged from the series-id tiers, and ingest after the migration feeds the new tiers
// and the series listing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from './engine.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { openTelemetry } from './index.ts';
import { MINUTE_TIER_TABLE, ROLLUP_TIERS } from './metric-rollups.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

test('rollups written before 0007 are read back from the series-id tiers; new points feed them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-tiers-migration-'));
  const now = Math.floor(Date.now() / HOUR) * HOUR;
  try {
    const old = await ChdbEngine.open({ path: dir });
    await migrate(old, MIGRATIONS.filter((m) => m.id < '0007'));
    // Five hours back: past the raw tier's 3 h, so only the rollups keep these points.
    const ts = now - 5 * HOUR;
    await old.exec(`INSERT INTO metric_raw (account, region, namespace, metric_name, dimensions, ts, storage_resolution, unit,
        sample_count, sum, min, max, values, counts) VALUES
      ('1', 'r', 'App', 'Latency', {'Az':'z','Host':'a'}, ${ts}, 60, 'Milliseconds', 2, 30, 10, 20, [10, 20], [1, 1]),
      ('1', 'r', 'App', 'Latency', {'Az':'z','Host':'a'}, ${ts + MIN}, 60, 'Milliseconds', 1, 40, 40, 40, [40], [1]),
      ('1', 'r', 'App', 'Latency', {'Host':'b'}, ${ts}, 60, 'Milliseconds', 1, 7, 7, 7, [7], [1])`);
    await old.close();

    const t = await openTelemetry({ kind: 'chdb', path: dir });
    try {
      const tables = (await t.engine.query<{ name: string }>("SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'metric_%' ORDER BY name")).map((r) => r.name);
      assert.ok(!tables.some((n) => n.startsWith('metric_rollup_')), `legacy tables left: ${tables}`);
      assert.ok(!tables.includes('metric_series_mv'));
      // 0012: the head writes the tiers, so no view feeds them any more (a view left would double every sample).
      assert.deepEqual(tables.filter((n) => n.endsWith('_mv')), []);
      const read = (periodMs: number, startTime: number, endTime: number, distribution = false) => t.metricReader.read({
        account: '1', region: 'r', startTime, endTime, periodMs, now: Date.now(), distribution,
        series: [{ namespace: 'App', metricName: 'Latency', dimensions: { Az: 'z', Host: 'a' } }, { namespace: 'App', metricName: 'Latency', dimensions: { Host: 'b' } }],
      });
      const [a, b] = await read(HOUR, now - 6 * HOUR, now - 4 * HOUR, true);
      assert.deepEqual(a!.map((x) => [x.ts, x.sampleCount, x.sum, x.min, x.max]), [[now - 5 * HOUR, 3, 70, 10, 40]]);
      assert.equal(a![0]!.distribution!.values.length, 3, 'the percentile sketch came along');
      assert.deepEqual(b!.map((x) => [x.sampleCount, x.sum]), [[1, 7]]);
      // 0021/0022: the 1 min rows moved to the plain 1 min tier, values and sketches intact; the old table is gone.
      const [m] = await read(MIN, ts, ts + 2 * MIN, true);
      assert.deepEqual(m!.map((x) => [x.ts, x.sampleCount, x.sum, x.min, x.max, x.distribution!.values.length]), [[ts, 2, 30, 10, 20, 2], [ts + MIN, 1, 40, 40, 40, 1]]);
      assert.ok(tables.includes(MINUTE_TIER_TABLE) && !tables.includes('metric_tier_1m'), `tables: ${tables}`);
      // The 5 min and 1 h tiers were copied too (a 5 min period reads the 1 min tier's rows as well; check the table).
      const hourRows = await t.engine.query<{ n: string }>("SELECT toString(count()) AS n FROM metric_tier_1h");
      assert.ok(Number(hourRows[0]!.n) >= 2);

      // After the migration: the head feeds every tier (once each), and the store lists new series.
      await t.metricPoints.append([{ account: '1', region: 'r', namespace: 'App', metricName: 'Latency', dimensions: { Host: 'c' },
        timestamp: now - 2 * HOUR, storageResolution: 60, unit: 'Milliseconds', sampleCount: 1, sum: 5, min: 5, max: 5, values: [5], counts: [1] }]);
      const [c] = await t.metricReader.read({ account: '1', region: 'r', startTime: now - 3 * HOUR, endTime: now, periodMs: HOUR, now: Date.now(), distribution: false,
        series: [{ namespace: 'App', metricName: 'Latency', dimensions: { Host: 'c' } }] });
      assert.deepEqual(c!.map((x) => [x.ts, x.sum]), [[now - 2 * HOUR, 5]]);
      for (const { table } of ROLLUP_TIERS) {
        const [row] = await t.engine.query<{ s: number }>(`SELECT sum(sum) AS s FROM ${table} WHERE ts >= ${now - 3 * HOUR}`);
        assert.equal(row!.s, 5, table);
      }
      const listed = await t.metricReader.listSeries({ account: '1', region: 'r', now: Date.now(), offset: 0, limit: 100 });
      assert.deepEqual(listed.map((s) => s.dimensions).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
        [{ Az: 'z', Host: 'a' }, { Host: 'b' }, { Host: 'c' }]);
    } finally {
      await t.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
