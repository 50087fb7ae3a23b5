import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inWindow, loggingWindow } from './window.ts';

test('a trail that was never started delivers nothing', () => {
  assert.equal(loggingWindow({ logging: false }), undefined);
});

test('a logging trail delivers records from its StartLogging on', () => {
  const w = loggingWindow({ logging: true, startLoggingTime: 1000 })!;
  assert.equal(inWindow(w, 999), false);
  assert.equal(inWindow(w, 1000), true);
  assert.equal(inWindow(w, Date.now()), true);
});

test('a stopped trail still delivers what it logged, up to StopLogging, and nothing after', () => {
  const w = loggingWindow({ logging: false, startLoggingTime: 1000, stopLoggingTime: 5000 })!;
  assert.deepEqual([999, 1000, 5000, 5001].map((t) => inWindow(w, t)), [false, true, true, false]);
});

test('a restarted trail delivers from the new start (the stop before it is the earlier period)', () => {
  const w = loggingWindow({ logging: true, startLoggingTime: 9000, stopLoggingTime: 5000 })!;
  assert.deepEqual([4000, 8999, 9000].map((t) => inWindow(w, t)), [false, false, true]);
  assert.equal(loggingWindow({ logging: false, startLoggingTime: 9000, stopLoggingTime: 5000 }), undefined);
});
