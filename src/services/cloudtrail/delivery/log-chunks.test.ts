import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkLogEvents, EVENT_OVERHEAD_BYTES, MAX_EVENT_BYTES, MAX_EVENTS_PER_PUT, MAX_PUT_BYTES, MAX_PUT_SPAN_MS } from './log-chunks.ts';

const HOUR = 3600_000;

test('events are sent in chronological order, equal timestamps keeping their order', () => {
  const chunks = chunkLogEvents([{ timestamp: 3, message: 'c' }, { timestamp: 1, message: 'a1' }, { timestamp: 2, message: 'b' }, { timestamp: 1, message: 'a2' }]);
  assert.deepEqual(chunks.map((c) => c.map((e) => e.message)), [['a1', 'a2', 'b', 'c']]);
});

test('a request holds at most 10,000 events', () => {
  const events = Array.from({ length: 25_001 }, (_, i) => ({ timestamp: i, message: 'x' }));
  assert.deepEqual(chunkLogEvents(events).map((c) => c.length), [MAX_EVENTS_PER_PUT, MAX_EVENTS_PER_PUT, 5001]);
});

test('a request holds at most 1,048,576 bytes counting 26 bytes per event', () => {
  const message = 'é'.repeat(50_000); // 100,000 UTF-8 bytes
  const chunks = chunkLogEvents(Array.from({ length: 25 }, (_, i) => ({ timestamp: i, message })));
  for (const c of chunks) {
    const bytes = c.reduce((n, e) => n + Buffer.byteLength(e.message) + EVENT_OVERHEAD_BYTES, 0);
    assert.ok(bytes <= MAX_PUT_BYTES, `${bytes} bytes`);
  }
  assert.deepEqual(chunks.map((c) => c.length), [10, 10, 5]);
});

test('a request never spans more than 24 hours', () => {
  const chunks = chunkLogEvents([0, HOUR, MAX_PUT_SPAN_MS, MAX_PUT_SPAN_MS + 1, 30 * HOUR].map((timestamp) => ({ timestamp, message: 'm' })));
  assert.deepEqual(chunks.map((c) => c.map((e) => e.timestamp)), [[0, HOUR, MAX_PUT_SPAN_MS], [MAX_PUT_SPAN_MS + 1, 30 * HOUR]]);
});

test('records over 256 KB are not sent to CloudWatch Logs, as CloudTrail documents', () => {
  const big = 'x'.repeat(MAX_EVENT_BYTES);
  assert.deepEqual(chunkLogEvents([{ timestamp: 1, message: big }, { timestamp: 2, message: 'ok' }]).map((c) => c.map((e) => e.message)), [['ok']]);
  assert.deepEqual(chunkLogEvents([]), []);
});
