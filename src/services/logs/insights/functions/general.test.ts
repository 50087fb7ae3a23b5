import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, compileError, evaluator, NOW } from './test-support.ts';

const { value } = evaluator();
const E = '{"x":"12","y":"why","n":5}';

test('ispresent tells a missing field from a present one', async () => {
  assert.equal(await value('ispresent(x)', E), '1');
  assert.equal(await value('ispresent(missing)', E), '0');
});

test('coalesce gives the first present value', async () => {
  assert.equal(await value('coalesce(missing, y, "z")', E), 'why');
  assert.equal(await value('coalesce(missing, other)', E), null);
});

test('if and case choose a value; case without a default has none when nothing matches', async () => {
  assert.equal(await value('if(1 > 2, "y", "n")'), 'n');
  assert.equal(await value('case(n = 1, "one", n = 5, "five", "other")', E), 'five');
  assert.equal(await value('case(n = 1, "one")', E), null);
});

test('values of one type keep it; mixed types become text', () => {
  assert.equal(compile('coalesce(1, 2.5)').v.type, 'num');
  assert.equal(compile('coalesce(@timestamp, @ingestionTime)').v.type, 'ts');
  assert.equal(compile('if(x, "a", 1)').v.type, 'text');
});

test('case takes up to 10 branches', () => {
  const branches = Array.from({ length: 11 }, (_, i) => `n = ${i}, ${i}`).join(', ');
  assert.match(compileError(`case(${branches})`), /case\(\) takes 2 to 21 argument\(s\), got 22/);
});

test('isnumeric and messagesize', async () => {
  assert.equal(await value('isnumeric(x)', E), '1');
  assert.equal(await value('isnumeric(y)', E), '0');
  assert.equal(await value('messagesize(@message)', E), String(Buffer.byteLength(E)));
});

test('the query time range in milliseconds', async () => {
  assert.equal(await value('queryStartTime()'), String(NOW - 3_600_000));
  assert.equal(await value('queryEndTime()'), String(NOW));
  assert.equal(await value('queryTimeRange()'), '3600000');
});
