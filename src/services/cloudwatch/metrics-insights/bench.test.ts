// How long a GROUP BY takes over a dashboard-sized fleet: 1,000 series × 1 h of 60 s points
// (60,000 raw points) in embedded ClickHouse, through the whole path (parse, compile, run, shape).
// Target < 200 ms; the assertion allows 1 s so that a slow CI machine does not fail the build.
// The measured times are printed as test diagnostics (`# …` lines). Own chDB directory, as every
// test file (one data directory per process).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from '../../../store/telemetry/engine.ts';
import { METRIC_RAW_COLUMNS, METRIC_RAW_DDL, metricRawRow } from './fixture.ts';
import { runMetricsInsights, type CompileOptions } from './index.ts';

const SERIES = 1000;
const POINTS = 60;
const T0 = Date.UTC(2024, 0, 1);
const OPTS: CompileOptions = { account: '123456789012', region: 'us-east-1', startTime: T0, endTime: T0 + 3_600_000, period: 60 };
const RUNS = 7;

const dir = mkdtempSync(join(tmpdir(), 'osprey-metrics-insights-bench-'));
let engine: ChdbEngine;

before(async () => {
  engine = await ChdbEngine.open({ path: dir });
  await engine.exec(METRIC_RAW_DDL);
  const lines: string[] = [];
  for (let s = 0; s < SERIES; s++) {
    const dimensions = { InstanceId: `i-${String(s).padStart(4, '0')}`, InstanceType: ['m5.large', 'c5.xlarge', 't3.micro'][s % 3]! };
    for (let k = 0; k < POINTS; k++) {
      // Deterministic values that differ per series and minute.
      const value = ((s * 7919 + k * 104729) % 1000) / 10;
      lines.push(JSON.stringify(metricRawRow({ ...OPTS, namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions, ts: T0 + k * 60_000, value })));
    }
  }
  await engine.insert('metric_raw', METRIC_RAW_COLUMNS, Buffer.from(lines.join('\n')), 'JSONCompactEachRow');
});

after(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const QUERIES: [string, number][] = [
  // Default LIMIT: the first 500 of the 1,000 groups, 60 points each.
  ['SELECT AVG(CPUUtilization) FROM SCHEMA("AWS/EC2", InstanceId, InstanceType) GROUP BY InstanceId', 500],
  ['SELECT MAX(CPUUtilization) FROM "AWS/EC2" GROUP BY InstanceId ORDER BY AVG() DESC LIMIT 10', 10],
  ['SELECT SUM(CPUUtilization) FROM "AWS/EC2" GROUP BY InstanceType', 3],
];

for (const [query, expected] of QUERIES) {
  test(`GROUP BY over ${SERIES} series × ${POINTS} points: ${query}`, async (t) => {
    const first = await runMetricsInsights(engine, query, OPTS); // warm-up: marks, caches
    assert.equal(first.length, expected);
    assert.ok(first.every((s) => s.timestamps.length === POINTS));
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await runMetricsInsights(engine, query, OPTS);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    const median = ms[Math.floor(RUNS / 2)]!;
    t.diagnostic(`${SERIES * POINTS} rows → ${expected} series: median ${median.toFixed(1)} ms, min ${ms[0]!.toFixed(1)} ms, max ${ms[RUNS - 1]!.toFixed(1)} ms (${RUNS} runs)`);
    assert.ok(median < 1000, `median ${median.toFixed(1)} ms`);
  });
}
