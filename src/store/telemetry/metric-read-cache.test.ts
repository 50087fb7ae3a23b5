import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricReadCache, SeriesVersions } from './metric-read-cache.ts';
import { metricVersionKey, seriesVersionKey } from './metric-series.ts';

test('an entry is served only while its version is current', () => {
  const versions = new SeriesVersions();
  const cache = new MetricReadCache<number[]>(versions);
  const k = metricVersionKey('a', 'r', 'ns', 'm');
  const v0 = versions.get(k);
  cache.set('q', v0, [1, 2]);
  assert.deepEqual(cache.get('q', versions.get(k)), [1, 2]);
  versions.bump([seriesVersionKey('a', 'r', 'ns', 'other', [])]);
  assert.deepEqual(cache.get('q', versions.get(k)), [1, 2], 'another metric was written');
  versions.bump([k]);
  assert.equal(cache.get('q', versions.get(k)), undefined);
});

test('an entry is not served after it expires', () => {
  let now = 1000;
  const versions = new SeriesVersions();
  const cache = new MetricReadCache<number[]>(versions, 100, (v) => v.length, () => now);
  cache.set('q', versions.get('k'), [1], 2000);
  assert.deepEqual(cache.get('q', versions.get('k')), [1]);
  now = 2000;
  assert.equal(cache.get('q', versions.get('k')), undefined);
});

test('least recently used entries go first when the weight bound is passed', () => {
  const versions = new SeriesVersions();
  const cache = new MetricReadCache<number[]>(versions, 100);
  const v = versions.get('k');
  cache.set('a', v, Array(10).fill(0));
  cache.set('b', v, Array(10).fill(0));
  cache.get('a', v);
  for (let i = 0; i < 9; i++) cache.set(`c${i}`, v, Array(10).fill(0));
  assert.notEqual(cache.get('a', v), undefined);
  assert.equal(cache.get('b', v), undefined);
  assert.equal(cache.get('big', v), undefined);
  cache.set('big', v, Array(11).fill(0));
  assert.equal(cache.get('big', v), undefined, 'an entry over a tenth of the bound is not kept');
});
