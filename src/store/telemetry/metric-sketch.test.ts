import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SKETCH_RELATIVE_ACCURACY, sketchKey, sketchValue } from './metric-sketch.ts';

test('every value comes back within the relative accuracy, across signs and magnitudes', () => {
  for (const v of [1e-300, 3e-9, 0.001, 0.5, 1, 2, 99.5, 1234.5678, 1e6, 7.3e15, 1e300]) {
    for (const s of [v, -v]) {
      const back = sketchValue(sketchKey(s));
      assert.ok(Math.abs(back - s) <= SKETCH_RELATIVE_ACCURACY * Math.abs(s) * 1.000001, `${s} → ${back}`);
      assert.equal(Math.sign(back), Math.sign(s));
    }
  }
  assert.equal(sketchKey(0), 0);
  assert.equal(sketchValue(0), 0);
});

test('keys order like their values, so sorted keys give quantiles', () => {
  const vs = [-1000, -1, -0.001, 0, 0.001, 1, 1000];
  const keys = vs.map(sketchKey);
  const byValue = [...keys].sort((a, b) => sketchValue(a) - sketchValue(b));
  assert.deepEqual(byValue, keys);
});
