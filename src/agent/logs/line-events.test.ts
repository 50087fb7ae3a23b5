import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineEvents } from './line-events.ts';
import { compileTimestampFormat } from './timestamp-format.ts';

const file = { dev: 1, ino: 2 };
const lines = (...t: string[]) => t.map((text, i) => ({ text, file, end: (i + 1) * 100 }));

test('multi-line events start at the start pattern and end at the next one or when idle; timestamps read; filters', () => {
  const ts = compileTimestampFormat('%Y-%m-%d %H:%M:%S', 'UTC');
  const ev = new LineEvents({ filters: [{ type: 'exclude', expression: 'healthcheck' }] }, ts, new RegExp(ts.source), 1000);
  const out = ev.push(lines('2026-12-05 10:00:00 boom', '  at a()', '  at b()', '2026-12-05 10:00:01 healthcheck ok', '2026-12-05 10:00:02 next'), 0);
  assert.deepEqual(out.map((e) => [e.timestamp, e.message, e.end]), [
    [Date.UTC(2026, 11, 5, 10), '2026-12-05 10:00:00 boom\n  at a()\n  at b()', 300],
    [-1, '', 400], // filtered out: carries its offset only
  ]);
  assert.deepEqual(ev.push([], 500), [], 'the last event waits for more lines');
  assert.deepEqual(ev.push([], 1500).map((e) => e.message), ['2026-12-05 10:00:02 next']);
});

test('trim_timestamp removes the timestamp; a line without one gets the read time; include filters', () => {
  const ts = compileTimestampFormat('%H:%M:%S', 'UTC');
  const ev = new LineEvents({ trim_timestamp: true, filters: [{ type: 'include', expression: 'ERROR' }] }, ts, undefined);
  const out = ev.push(lines('10:00:00 ERROR disk', 'INFO fine', 'ERROR no time'), 42);
  assert.deepEqual(out.filter((e) => e.timestamp >= 0).map((e) => e.message), ['ERROR disk', 'ERROR no time']);
  assert.equal(out.at(-1)!.timestamp, 42);
});
