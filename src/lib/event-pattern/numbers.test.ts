import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparableValue, numberOf, RawNumber } from './numbers.ts';

test('a number is comparable when a double holds it exactly', () => {
  assert.equal(comparableValue('300.0'), 300);
  assert.equal(comparableValue('3.0e2'), 300);
  assert.equal(comparableValue('-4e-6'), -4e-6);
  assert.equal(comparableValue('1E-320'), 1e-320);
  assert.equal(comparableValue('1E309'), undefined);
  assert.equal(comparableValue('1E-325'), undefined);
  assert.equal(comparableValue('0.10000000000000001'), undefined);
  assert.equal(comparableValue('12345678901234567890'), undefined);
});

test('numberOf reads JS numbers and raw spellings alike', () => {
  assert.deepEqual(numberOf(1.5), { text: '1.5', value: 1.5 });
  assert.equal(numberOf(new RawNumber('1.50', 1.5))?.text, '1.50');
  assert.equal(numberOf('1'), undefined);
  assert.equal(numberOf(Number.NaN), undefined);
});
