import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantsOf, isValidTimezone, offsetAt, resolveAt, toLocal } from './zone.ts';
import type { LocalDateTime } from './types.ts';

const wall = (year: number, month: number, day: number, hour: number, minute = 0, second = 0): LocalDateTime => ({ year, month, day, hour, minute, second });
const iso = (ts: number[]): string[] => ts.map((t) => new Date(t).toISOString());

test('isValidTimezone accepts IANA names and refuses the rest', () => {
  for (const tz of ['UTC', 'Etc/UTC', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5']) {
    assert.equal(isValidTimezone(tz), true, tz);
  }
  for (const tz of ['', 'Mars/Olympus', 'America/New York', '+01:00', '-05:00', 'UTC+1', '../etc/passwd', 'x'.repeat(60), 'Europe/London\n']) {
    assert.equal(isValidTimezone(tz), false, tz);
  }
});

test('offsets and wall clocks in New York and London, summer and winter', () => {
  assert.equal(offsetAt('America/New_York', Date.parse('2026-01-15T12:00:00Z')), -5 * 3_600_000);
  assert.equal(offsetAt('America/New_York', Date.parse('2026-07-15T12:00:00Z')), -4 * 3_600_000);
  assert.equal(offsetAt('Europe/London', Date.parse('2026-07-15T12:00:00Z')), 3_600_000);
  assert.equal(offsetAt('UTC', 123), 0);
  assert.deepEqual(toLocal('Europe/London', Date.parse('2026-10-25T00:30:00Z')), wall(2026, 10, 25, 1, 30));
  assert.deepEqual(toLocal('Europe/London', Date.parse('2026-10-25T01:30:00Z')), wall(2026, 10, 25, 1, 30));
});

test('a wall time in a spring-forward gap has no instant; one in a fall-back overlap has two', () => {
  assert.deepEqual(instantsOf('America/New_York', wall(2026, 3, 8, 2, 30)), []);
  assert.deepEqual(iso(instantsOf('America/New_York', wall(2026, 11, 1, 1, 30))), ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']);
  assert.deepEqual(instantsOf('Europe/London', wall(2026, 3, 29, 1, 0)), []);
  assert.deepEqual(iso(instantsOf('Europe/London', wall(2026, 10, 25, 1, 0))), ['2026-10-25T00:00:00.000Z', '2026-10-25T01:00:00.000Z']);
  assert.deepEqual(iso(instantsOf('Europe/London', wall(2026, 3, 29, 2, 0))), ['2026-03-29T01:00:00.000Z']);
});

test('at() resolution: a gap moves forward by its length, an overlap takes the first occurrence', () => {
  assert.equal(new Date(resolveAt('America/New_York', wall(2026, 3, 8, 2, 30))).toISOString(), '2026-03-08T07:30:00.000Z'); // 03:30 EDT
  assert.equal(new Date(resolveAt('America/New_York', wall(2026, 11, 1, 1, 30))).toISOString(), '2026-11-01T05:30:00.000Z'); // 01:30 EDT
  assert.equal(new Date(resolveAt('Europe/London', wall(2026, 3, 29, 1, 15, 9))).toISOString(), '2026-03-29T01:15:09.000Z'); // 02:15:09 BST
  assert.equal(new Date(resolveAt('Australia/Lord_Howe', wall(2026, 10, 4, 2, 15))).toISOString(), '2026-10-03T15:45:00.000Z'); // half-hour DST: 02:45 +11
});
