import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstGroup, neverEmpty } from './regexp-extract.ts';

test('the first capturing group is found past escapes and classes; non-capturing groups bail out', () => {
  assert.equal(firstGroup('status=(\\d+)'), '\\d+');
  assert.equal(firstGroup('\\(x\\) [(] (a(b)c) (d)'), 'a(b)c');
  assert.equal(firstGroup('(?:a)(b)'), undefined);
  assert.equal(firstGroup('no groups'), undefined);
});

test('a body that can never match the empty string, and those that can (or that we cannot tell)', () => {
  for (const b of ['\\d+', 'status=\\d*', '[^ ]+', 'a?b', 'x{2,}', '\\w{1,3}', '.']) assert.equal(neverEmpty(b), true, b);
  for (const b of ['\\d*', 'a?', '[^ ]*', 'x{0,3}', '^$', 'a|b', '(a)', '']) assert.equal(neverEmpty(b), false, b);
});
