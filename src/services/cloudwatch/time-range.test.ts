import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkPeriod, effectiveRange, roundStartTime } from './time-range.ts';

interface AlignmentCase {
  id: string; kind: string; period: number; request_time?: string; start_time: string; end_time?: string;
  expected: { effective_start_time?: string; data_from?: string; data_to?: string };
}
const file = new URL('../../../../shared/vectors/metric-math.json', import.meta.url);
const rounding = (JSON.parse(readFileSync(file, 'utf8')) as { cases: AlignmentCase[] }).cases
  .filter((c) => c.kind === 'alignment' && c.request_time !== undefined);

test('the vectors have StartTime rounding cases', () => assert.ok(rounding.length >= 2));

for (const c of rounding) {
  test(`vector ${c.id}`, () => {
    const now = Date.parse(c.request_time!);
    const start = Date.parse(c.start_time);
    if (c.expected.effective_start_time) {
      assert.equal(new Date(roundStartTime(start, c.period, now)).toISOString(), new Date(c.expected.effective_start_time).toISOString());
    }
    if (c.expected.data_from) {
      const r = effectiveRange(start, Date.parse(c.end_time!), c.period, now);
      assert.deepEqual([new Date(r.start).toISOString(), new Date(r.end).toISOString()],
        [new Date(c.expected.data_from).toISOString(), new Date(c.expected.data_to!).toISOString()]);
    }
  });
}

test('StartTime rounding by age: minute within 15 days, 5 minutes to 63 days, hour beyond', () => {
  const now = Date.parse('2024-06-01T00:00:00Z');
  const at = (daysAgo: number) => now - daysAgo * 86_400_000 + Date.parse('1970-01-01T00:02:34Z') + 32 * 60_000;
  const iso = (t: number) => new Date(t).toISOString().slice(11, 19);
  assert.equal(iso(roundStartTime(at(3), 60, now)), '00:34:00');
  assert.equal(iso(roundStartTime(at(20), 60, now)), '00:30:00');
  assert.equal(iso(roundStartTime(at(70), 3600, now)), '00:00:00');
  assert.equal(iso(roundStartTime(Date.parse('2024-05-31T23:59:47Z'), 5, now)), '23:59:45');
});

test('periods: 1, 5, 10, 20, 30 or multiples of 60', () => {
  for (const ok of [1, 5, 10, 20, 30, 60, 120, 3600, 86_400]) checkPeriod(ok);
  for (const bad of [0, 2, 15, 45, 61, 90, 1.5]) assert.throws(() => checkPeriod(bad));
});
