import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, evaluator } from './test-support.ts';

const { value } = evaluator();
const X = '{"x":3.14159,"neg":-1.2,"s":"abc"}';

test('round rounds half away from zero, to a number of decimals when given', async () => {
  assert.equal(await value('round(2.5)'), '3');
  assert.equal(await value('round(-2.5)'), '-3');
  assert.equal(await value('round(x, 2)', X), '3.14');
  assert.equal(await value('round("2.5")'), '3', 'a text that reads as a number is one');
});

test('abs, ceil, floor, sqrt and log', async () => {
  assert.equal(await value('abs(neg)', X), '1.2');
  assert.equal(await value('ceil(1.2)'), '2');
  assert.equal(await value('floor(neg)', X), '-2');
  assert.equal(await value('sqrt(16)'), '4');
  assert.equal(Number(await value('log(x)', X)).toFixed(6), Math.log(3.14159).toFixed(6));
});

test('a value that is not a number gives no result', async () => {
  assert.equal(await value('abs(s)', X), null);
  assert.equal(await value('ceil(missing)', X), null);
  assert.equal(await value('tonumber(s)', X), null);
});

test('greatest and least skip missing values', async () => {
  assert.equal(await value('greatest(missing, 3, x)', X), '3.14159');
  assert.equal(await value('least(missing, x, 10)', X), '3.14159');
  assert.equal(await value('greatest(missing)', X), null);
});

test('haversine is the great-circle distance in km', async () => {
  assert.equal(Number(await value('haversine(0, 0, 0, 1)')).toFixed(2), '111.19');
});

test('toint and tolong truncate toward zero; tolong converts a text integer exactly', async () => {
  assert.equal(await value('toint("12.7")'), '12');
  assert.equal(await value('toint(-12.7)'), '-12');
  assert.equal(await value('toint(3000000000)'), null, 'out of the 32-bit range');
  assert.equal(await value('tolong("9007199254740993")'), '9007199254740993');
  assert.equal(await value('todouble("0.5")'), '0.5');
});

test('number literals are bound as parameters, never spliced into the SQL', () => {
  const { v, cx } = compile('abs(12345.5)');
  assert.equal(v.type, 'num');
  assert.doesNotMatch(v.sql, /12345/);
  assert.ok(Object.values(cx.params).includes('12345.5'));
});
