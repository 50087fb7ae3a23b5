import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveTimeout, frequencyMs, nextRunAt, parseCanarySchedule } from './schedule.ts';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);

test('rate(0 minute) and rate(0 hour) run once', () => {
  assert.deepEqual(parseCanarySchedule('rate(0 minute)'), { kind: 'once' });
  assert.deepEqual(parseCanarySchedule('rate(0 hour)'), { kind: 'once' });
  assert.equal(nextRunAt({ kind: 'once' }, NOW, NOW), undefined);
});

test('rates from one minute to one hour; anything else is refused', () => {
  assert.equal(frequencyMs(parseCanarySchedule('rate(1 minute)'), NOW), 60_000);
  assert.equal(frequencyMs(parseCanarySchedule('rate(1 hour)'), NOW), 3_600_000);
  for (const bad of ['rate(2 hours)', 'rate(61 minutes)', 'rate(1 minutes)', 'rate(30 seconds)', 'every minute', 'rate(0 days)']) {
    assert.throws(() => parseCanarySchedule(bad), /Invalid schedule expression/, bad);
  }
});

test('cron: the frequency is the shortest gap between its runs', () => {
  assert.equal(frequencyMs(parseCanarySchedule('cron(0/15 * * * ? *)'), NOW), 900_000);
  assert.throws(() => parseCanarySchedule('cron(99 * * * ? *)'), /Invalid schedule expression/);
});

test('the timeout defaults to the frequency (≤ 840 s) and may not exceed it', () => {
  assert.equal(effectiveTimeout(parseCanarySchedule('rate(1 minute)'), undefined, NOW), 60);
  assert.equal(effectiveTimeout(parseCanarySchedule('rate(30 minutes)'), undefined, NOW), 840);
  assert.equal(effectiveTimeout(parseCanarySchedule('rate(0 minute)'), undefined, NOW), 840);
  assert.equal(effectiveTimeout(parseCanarySchedule('rate(5 minutes)'), 30, NOW), 30);
  assert.throws(() => effectiveTimeout(parseCanarySchedule('rate(1 minute)'), 61, NOW), /cannot be longer than the canary's frequency \(60 seconds\)/);
});

test('a rate runs every period from the moment the canary started', () => {
  const s = parseCanarySchedule('rate(5 minutes)');
  const started = NOW + 7_000;
  assert.equal(nextRunAt(s, started, started), started + 300_000);
  assert.equal(nextRunAt(s, started, started + 300_000), started + 600_000);
});
