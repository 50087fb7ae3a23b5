import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkPeriod, effectiveRange, requestedDatapoints, roundStartTime } from './time-range.ts';

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
      // data_from / data_to are the first and last datapoint timestamps (bucket starts): the doc's
      // "01:05:10 to 01:05:20" asked at 01:05:23 ends with the unfinished bucket at 01:05:20.
      const r = effectiveRange(start, Date.parse(c.end_time!), c.period, now);
      assert.deepEqual([new Date(r.start).toISOString(), new Date(r.end - c.period * 1000).toISOString()],
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

test('the unfinished period that holds EndTime is part of the range (GetMetricData StartTime reference)', () => {
  // Asked at 15:07:17 for the previous 5 minutes at a 5 s period: "you receive data timestamped
  // between 15:02:15 and 15:07:15" — the last bucket, [15:07:15, 15:07:20), is still filling.
  const now = Date.parse('2024-03-01T15:07:17Z');
  const r = effectiveRange(now - 5 * 60_000, now, 5, now);
  assert.equal(new Date(r.start).toISOString(), '2024-03-01T15:02:15.000Z');
  assert.equal(new Date(r.end - 5000).toISOString(), '2024-03-01T15:07:15.000Z');
  // A minute period over the last 10 minutes ends with the current minute.
  const m = effectiveRange(now - 10 * 60_000, now, 60, now);
  assert.deepEqual([m.start, m.end].map((t) => new Date(t).toISOString()), ['2024-03-01T14:57:00.000Z', '2024-03-01T15:08:00.000Z']);
  // An EndTime on a period boundary adds no bucket.
  const aligned = effectiveRange(Date.parse('2024-03-01T15:00:00Z'), Date.parse('2024-03-01T15:05:00Z'), 60, now);
  assert.equal(aligned.end, Date.parse('2024-03-01T15:05:00Z'));
});

test('the datapoint limit counts the requested span, not the rounded one', () => {
  const now = Date.parse('2024-03-01T15:07:17Z');
  assert.equal(requestedDatapoints(now - 86_400_000, now, 60), 1440);
  assert.equal(requestedDatapoints(now - 90_000, now, 60), 2);
});
