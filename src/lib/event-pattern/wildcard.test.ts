import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchWildcard, parseWildcard, wildcardComplexity, WILDCARD_COMPLEXITY_LIMIT } from './wildcard.ts';

const m = (w: string, s: string): boolean => matchWildcard(parseWildcard(w), s);

test('stars match any run, escapes are literal', () => {
  assert.equal(m('*bc', 'abcbc'), true);
  assert.equal(m('d*f', 'de'), false);
  assert.equal(m('12*4*', '12345'), true);
  assert.equal(m('a*a', 'a'), false);
  assert.equal(m('a\\*c', 'a*c'), true);
  assert.equal(m('a\\*c', 'abc'), false);
  assert.equal(m('a\\\\c', 'a\\c'), true);
  assert.equal(m('', ''), true);
  assert.equal(m('', 'x'), false);
  assert.equal(m('é*😀', 'éxx😀'), true);
});

test('positions in messages are UTF-8 byte offsets from the opening quote', () => {
  assert.throws(() => parseWildcard('ab**'), { message: /Consecutive wildcard characters at pos 3$/ });
  assert.throws(() => parseWildcard('é**'), { message: /Consecutive wildcard characters at pos 3$/ });
  assert.throws(() => parseWildcard('a\\b'), { message: /Invalid escape character at pos 2$/ });
  assert.throws(() => parseWildcard('a\\'), { message: /Invalid escape character at pos 2$/ });
});

test('complexity grows with stars and with repetition after a star', () => {
  const c = (...ws: string[]): number => wildcardComplexity(ws.map(parseWildcard));
  assert.ok(c('arn:aws:events:us-east-1:*:event-bus/*') <= WILDCARD_COMPLEXITY_LIMIT);
  assert.ok(c('/Users/*/dir/dir/dir/dir/dir/doc.txt') <= WILDCARD_COMPLEXITY_LIMIT);
  assert.ok(c('*:*:*:*:*:event-bus/*') > WILDCARD_COMPLEXITY_LIMIT);
  assert.ok(c('a*' + 'a'.repeat(40)) > WILDCARD_COMPLEXITY_LIMIT);
  assert.equal(c('no-star'), 0);
});
