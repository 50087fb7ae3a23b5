import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilterPattern } from './parse.ts';
import { isInvalidPattern, matches, rejects } from './test-support.ts';

describe('unstructured terms', () => {
  test('a term matches inside a longer word, as in the doc ("ERROR" matches "ERRORCODE")', () => {
    assert.equal(matches('ERROR', 'Exiting with ERRORCODE: -1'), true);
    assert.equal(matches('ERROR -Exiting', 'Exiting with ERRORCODE: -1'), false);
    assert.equal(matches('"ERROR" - "Exiting"', 'Exiting with ERRORCODE: -1'), false);
    assert.equal(matches('"ERROR" - "Exiting"', '[ERROR] A fatal exception has occurred'), true);
  });

  test('terms are case-sensitive and order-independent', () => {
    assert.equal(matches('Failed to process the request', '[WARN] Failed to process the request'), true);
    assert.equal(matches('request Failed', '[WARN] Failed to process the request'), true);
    assert.equal(matches('failed', '[WARN] Failed to process the request'), false);
  });

  test('?terms are an OR group and are ignored next to other terms', () => {
    assert.equal(matches('?ERROR ?WARN', 'WARN message'), true);
    assert.equal(matches('?ERROR ?WARN', 'INFO message'), false);
    assert.equal(matches('?ERROR ?WARN -message', 'WARN message'), false);
    assert.equal(matches('?ERROR ?WARN -message', 'INFO only'), true, 'the ? terms are ignored, leaving -message');
  });

  test('quoted phrases: exact, case-sensitive, with escapes and unicode', () => {
    assert.equal(matches('"INTERNAL SERVER ERROR"', 'x INTERNAL SERVER ERROR y'), true);
    assert.equal(matches('"user@example.com"', 'login user@example.com ok'), true);
    assert.equal(matches('"say \\"hi\\""', 'they say "hi" loudly'), true);
    assert.equal(matches('"C:\\\\temp"', 'path C:\\temp'), true);
    assert.equal(matches('"C:\\temp"', 'path C:\\temp'), true, 'a backslash before another character is literal');
    assert.equal(matches('"ünïcødé ✓"', 'text ünïcødé ✓ end'), true);
    assert.equal(matches('"😀"', 'smile 😀'), true);
    assert.equal(matches('-"😀"', 'smile 😀'), false);
    assert.equal(matches('"ERROR 401" ?x', 'ERROR 401'), true);
  });

  test('blank patterns and blank phrases match everything', () => {
    for (const p of ['', ' ', '  \t ', '""', '" "', '"   "']) {
      assert.equal(parseFilterPattern(p).kind, 'all', JSON.stringify(p));
      assert.equal(matches(p, 'no-space-here'), true);
      assert.equal(matches(p, ''), true);
    }
    assert.equal(matches('-" "', 'anything'), false);
  });

  test('unquoted terms with characters other than letters, digits and _ are rejected with their position', () => {
    assert.throws(() => parseFilterPattern('ERROR user@example.com'), (e: unknown) =>
      isInvalidPattern(e) && /Invalid character\(s\) in term 'user@example.com'/.test((e as Error).message) && /position 11\)/.test((e as Error).message));
    rejects('café');
    rejects('ERROR:');
    rejects('/path');
    rejects('a.b');
    rejects('?-x');
    rejects('ERROR %foo%', /in term '%foo%'/);
  });

  test('broken quoting and dangling operators are rejected', () => {
    rejects('"unterminated', /unterminated quoted string.*position 1\)/);
    rejects('"a"b', /followed by a space/);
    rejects('ERROR -', /'-' must be followed by a term/);
    rejects('?', /'\?' must be followed by a term/);
  });
});
