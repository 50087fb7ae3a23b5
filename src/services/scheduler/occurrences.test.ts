import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flexOffsetMs, nextOccurrence, occurrenceFiringAt, scheduledAfter, type Timing } from './occurrences.ts';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();
const timing = (over: Partial<Timing>): Timing => ({
  arn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/s', expression: 'rate(1 minute)', flexibleWindow: { Mode: 'OFF' },
  createdAt: ms('2026-01-01T00:00:00Z'), ...over,
});

test('a cron in Europe/Paris fires at 09:00 local time on both sides of the spring DST change', () => {
  const t = timing({ expression: 'cron(0 9 * * ? *)', timezone: 'Europe/Paris' });
  assert.deepEqual(scheduledAfter(t, ms('2026-03-27T12:00:00Z'), 3).map(iso), [
    '2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z', '2026-03-30T07:00:00.000Z',
  ]);
});

test('a weekday cron stops at EndDate', () => {
  const t = timing({ expression: 'cron(30 6 ? * MON-FRI *)', endDate: ms('2026-06-03T12:00:00Z') });
  assert.deepEqual(scheduledAfter(t, ms('2026-05-29T00:00:00Z'), 10).map(iso), [
    '2026-05-29T06:30:00.000Z', '2026-06-01T06:30:00.000Z', '2026-06-02T06:30:00.000Z', '2026-06-03T06:30:00.000Z',
  ]);
});

test('rates count from the creation time, or from StartDate (which is itself an occurrence)', () => {
  const created = ms('2026-01-01T00:00:07Z');
  assert.equal(iso(scheduledAfter(timing({ expression: 'rate(5 minutes)', createdAt: created }), created, 1)[0]!), '2026-01-01T00:05:07.000Z');
  const start = ms('2026-01-02T00:00:00Z');
  assert.equal(iso(scheduledAfter(timing({ expression: 'rate(5 minutes)', createdAt: created, startDate: start }), created, 1)[0]!), '2026-01-02T00:00:00.000Z');
});

test('an at() in a non-UTC zone occurs once, at the local time it names', () => {
  const t = timing({ expression: 'at(2026-07-01T10:00:00)', timezone: 'Europe/Paris' });
  const occ = nextOccurrence(t, ms('2026-06-01T00:00:00Z'), ms('2026-06-01T00:00:00Z'));
  assert.deepEqual(occ, { scheduledAt: ms('2026-07-01T08:00:00Z'), fireAt: ms('2026-07-01T08:00:00Z') });
  assert.equal(nextOccurrence(t, occ!.scheduledAt, occ!.fireAt), undefined);
});

test('a FLEXIBLE window offsets each occurrence by a fixed amount within the window', () => {
  const t = timing({ expression: 'rate(1 hour)', flexibleWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 } });
  const times = scheduledAfter(t, t.createdAt, 50);
  const offsets = times.map((s) => flexOffsetMs(t, s));
  assert.deepEqual(offsets, times.map((s) => flexOffsetMs(t, s)), 'the same occurrence always gets the same offset');
  assert.ok(offsets.every((o) => o >= 0 && o < 15 * 60_000));
  assert.ok(new Set(offsets).size > 40, 'occurrences spread over the window');
  const other = { ...t, arn: t.arn.replace('/s', '/other') };
  assert.notEqual(flexOffsetMs(other, times[0]!), offsets[0]);
  assert.equal(flexOffsetMs({ ...t, flexibleWindow: { Mode: 'OFF' } }, times[0]!), 0);
});

test('the occurrence a fire time stands for is recovered from the fire time alone', () => {
  const t = timing({ expression: 'rate(1 minute)', flexibleWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 } });
  let after = t.createdAt;
  for (let i = 0; i < 20; i++) {
    const occ = nextOccurrence(t, after, 0)!;
    assert.deepEqual(occurrenceFiringAt(t, occ.fireAt), occ);
    after = occ.scheduledAt;
  }
});

test('after a long downtime the next occurrence is found without walking every missed one', () => {
  const t = timing({ expression: 'rate(1 minute)' });
  const later = t.createdAt + 365 * 86_400_000 + 30_000;
  const started = performance.now();
  const occ = nextOccurrence(t, t.createdAt, later)!;
  assert.equal(occ.fireAt, t.createdAt + 365 * 86_400_000 + 60_000);
  assert.ok(performance.now() - started < 200);
});
