import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../lib/logger.ts';
import { parseStatsdLine, StatsdInput } from './statsd.ts';

test('StatsD lines: types, sample rates, bucket and DogStatsD tags, several values per line; malformed lines refused', () => {
  assert.deepEqual(parseStatsdLine('api.requests,route=cart:1|c|@0.5|#env:prod,canary'), [
    { name: 'api_requests', type: 'c', value: '1', rate: 0.5, tags: { route: 'cart', env: 'prod', canary: '<empty>' }, additive: false },
  ]);
  assert.equal(parseStatsdLine('latency:12|ms:30|ms')!.length, 2);
  for (const bad of ['nocolon', 'x:1', 'x:1|q', 'x:abc|c', 'x:+1|ms']) assert.equal(parseStatsdLine(bad), undefined, bad);
});

test('each reading reports what arrived since the last: counters summed (scaled by rate), gauges last, sets counted, timings as distributions', () => {
  const s = new StatsdInput(':0', silentLogger);
  s.receive('hits:1|c\nhits:2|c|@0.5\nmem:10|g\nmem:-3|g\nusers:a|s\nusers:b|s\nusers:a|s\nlat:5|ms\nlat:5|ms\nlat:9|ms\ngarbage\n');
  const byName = Object.fromEntries(s.collect().map((x) => [x.field, x]));
  assert.equal(byName.hits!.value, 5);
  assert.deepEqual(byName.hits!.tags, { metric_type: 'counter' });
  assert.equal(byName.mem!.value, 7);
  assert.equal(byName.users!.value, 2);
  assert.deepEqual([byName.lat!.values, byName.lat!.counts], [[5, 9], [2, 1]]);
  assert.equal(s.dropped, 1);
  assert.deepEqual(s.collect(), [], 'a reading forgets what it reported');
});
