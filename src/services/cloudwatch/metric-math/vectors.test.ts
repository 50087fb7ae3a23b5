/**
 * Every "metric-math" case of the shared reference vectors (../shared/vectors/metric-math.json).
 * Alarm and alignment cases belong to other modules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluate, requireTimeSeries } from './evaluate.ts';
import { parseExpression } from './parse.ts';
import type { MathContext, MathSeries, MathValue } from './types.ts';

interface MathCase {
  id: string;
  kind: string;
  period: number;
  timestamps: string[];
  metrics: Record<string, (number | null)[]>;
  expression: string;
  expected: {
    values?: (number | null)[];
    series?: { id?: string; label?: string; values: (number | null)[] }[];
    series_order?: string[];
  };
}

const file = new URL('../../../../../shared/vectors/metric-math.json', import.meta.url);
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: MathCase[] };
const mathCases = cases.filter((c) => c.kind === 'metric-math');

test('the vector file has metric-math cases', () => {
  assert.ok(mathCases.length >= 51, `found ${mathCases.length}`);
});

function contextFor(c: Pick<MathCase, 'period' | 'timestamps' | 'metrics'>): MathContext {
  const metrics = new Map<string, MathValue>();
  for (const [id, values] of Object.entries(c.metrics)) {
    assert.equal(values.length, c.timestamps.length, `metric ${id} is aligned to the timestamps`);
    metrics.set(id, { kind: 'series', series: { id, label: id, values } });
  }
  return { timestamps: c.timestamps.map((t) => Date.parse(t)), period: c.period, metrics };
}

function assertValues(actual: (number | null)[], expected: (number | null)[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => {
    const a = actual[i];
    if (e === null) assert.equal(a, null, `${what}[${i}]: expected no datapoint, got ${a}`);
    else {
      assert.ok(a !== null && a !== undefined, `${what}[${i}]: expected ${e}, got no datapoint`);
      assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${what}[${i}]: expected ${e}, got ${a}`);
    }
  });
}

const name = (s: MathSeries): string => s.id ?? s.label;

for (const c of mathCases) {
  test(`${c.id}: ${c.expression}`, async () => {
    const result = await evaluate(parseExpression(c.expression), contextFor(c));
    const { values, series, series_order } = c.expected;
    if (values !== undefined) {
      assert.equal(result.kind, 'series', `a single time series, got ${result.kind}`);
      assertValues((result as { series: MathSeries }).series.values, values, c.id);
    }
    if (series !== undefined) {
      assert.equal(result.kind, 'array', `an array of time series, got ${result.kind}`);
      const got = requireTimeSeries(result);
      assert.deepEqual(got.map(name), series.map((s) => s.id ?? s.label));
      series.forEach((s, i) => assertValues(got[i]!.values, s.values, `${c.id} ${s.id ?? s.label}`));
    }
    if (series_order !== undefined) {
      assert.equal(result.kind, 'array', `an array of time series, got ${result.kind}`);
      assert.deepEqual(requireTimeSeries(result).map(name), series_order);
    }
    assert.ok(values !== undefined || series !== undefined || series_order !== undefined, 'the case states a result');
  });
}
