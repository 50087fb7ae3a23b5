import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileError, evaluator } from './test-support.ts';

const { aggregate } = evaluator();
const at = (ms: number, body: Record<string, unknown>) => ({ message: JSON.stringify(body), ts: Date.UTC(2024, 0, 1, 0, 0, ms) });
const EVENTS = [
  at(3, { v: 10, s: 'b10', who: 'carol' }),
  at(1, { v: 2, s: 'b9', who: 'alice' }),
  at(2, { v: 30, s: 'a', who: 'bob' }),
  at(4, { s: '7', who: 'alice' }),
];

test('count(*) counts events, count(x) the events where x is present', async () => {
  assert.equal(await aggregate('count(*)', EVENTS), '4');
  assert.equal(await aggregate('count()', EVENTS), '4');
  assert.equal(await aggregate('count(v)', EVENTS), '3');
  assert.equal(await aggregate('count_distinct(who)', EVENTS), '3');
});

test('no events, no result row', async () => {
  assert.equal(await aggregate('count(*)', []), null);
});

test('sum, avg and the sample standard deviation (none for a single value)', async () => {
  assert.equal(await aggregate('sum(v)', EVENTS), '42');
  assert.equal(await aggregate('avg(v)', EVENTS), '14');
  assert.equal(Number(await aggregate('stddev(v)', EVENTS)).toFixed(4), '14.4222');
  assert.equal(await aggregate('stddev(v)', EVENTS.slice(0, 1)), null);
});

test('min and max compare numbers as numbers, and text as text when nothing is numeric', async () => {
  assert.equal(await aggregate('max(v)', EVENTS), '30');
  assert.equal(await aggregate('min(s)', EVENTS), '7', 'the numeric values win');
  assert.equal(await aggregate('max(who)', EVENTS), 'carol');
  assert.match(compileError('min(j)', { before: 'fields jsonParse(@message) as j', stats: true }), /min\(\) of a map or list is not supported/);
});

test('pct is the nearest rank: a value from the data', async () => {
  assert.equal(await aggregate('pct(v, 50)', EVENTS), '10');
  assert.equal(await aggregate('pct(v, 0)', EVENTS), '2');
  assert.equal(await aggregate('pct(v, 100)', EVENTS), '30');
  assert.match(compileError('pct(v, 101)', { stats: true }), /between 0 and 100/);
});

test('earliest and latest follow @timestamp and skip missing values', async () => {
  assert.equal(await aggregate('earliest(who)', EVENTS), 'alice');
  assert.equal(await aggregate('latest(v)', EVENTS), '10');
});

test('sortsFirst and sortsLast use the natural order: non-numbers first, digit runs by length', async () => {
  assert.equal(await aggregate('sortsFirst(s)', EVENTS), 'a');
  assert.equal(await aggregate('sortsLast(s)', EVENTS), '7');
  assert.equal(await aggregate('sortsLast(s)', EVENTS.slice(0, 2)), 'b10', 'b9 < b10');
});
