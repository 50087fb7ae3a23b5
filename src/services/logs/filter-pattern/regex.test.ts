import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { matches, rejects } from './test-support.ts';

describe('regex patterns', () => {
  test('the doc operators behave as documented', () => {
    assert.equal(matches('%^[hc]at%', 'cat'), true);
    assert.equal(matches('%[hc]at$%', 'the cat'), true);
    assert.equal(matches('%[hc]at$%', 'cats'), false);
    assert.equal(matches('%abcc|ab[^c]$%', 'aba'), true);
    assert.equal(matches('%abcc|ab[^c]$%', 'aac'), false);
    assert.equal(matches('%a{3}%', 'aa'), false);
    assert.equal(matches('%a{2,}%', 'xaay'), true);
    assert.equal(matches('%^a{,2}$%', 'aa'), true);
    assert.equal(matches('%^a{,2}$%', 'aaa'), false);
    assert.equal(matches('%ab*?c%', 'abbc'), true);
    assert.equal(matches('%\\w+@\\w+%', 'mail bob@example'), true);
    assert.equal(matches('%time:\\s\\d%', 'time: 5'), true);
    assert.equal(matches('%[\\d_]+x%', '12_x'), true);
    assert.equal(matches('%a\\.b\\-c\\/d%', 'a.b-c/d'), true);
    assert.equal(matches('%x\\|y%', 'x|y'), true);
    assert.equal(matches('%\\$5%', 'costs $5'), true);
  });

  test('. matches one character (a code point) but not a line break; \\s is ASCII whitespace', () => {
    assert.equal(matches('%^a.b$%', 'a😀b'), true);
    assert.equal(matches('%^a.b$%', 'aéb'), true);
    assert.equal(matches('%a.b%', 'a\nb'), false);
    assert.equal(matches('%a\\sb%', 'a\nb'), true);
    assert.equal(matches('%a\\sb%', 'a\u00a0b'), false);
    assert.equal(matches('%^b%', 'a\nb'), false, '^ is the start of the message, not of a line');
  });

  test('negated sets and \\D\\W\\S take a surrogate pair as one character', () => {
    assert.equal(matches('%^a[^x]b$%', 'a😀b'), true);
    assert.equal(matches('%^a[^x][^x]b$%', 'a😀b'), false);
    assert.equal(matches('%^a\\Wb$%', 'a😀b'), true);
    assert.equal(matches('%^\\S{3}$%', 'a😀b'), true);
  });

  test('\\xhh matches the ASCII character with that code (the doc: %\\x3A% matches ":", %\\x28% matches "(")', () => {
    assert.equal(matches('%\\x3A%', 'time 12:00'), true);
    assert.equal(matches('%\\x3A%', 'time 1200'), false);
    assert.equal(matches('%\\x28%', 'f(x)'), true);
    assert.equal(matches('%\\x28%', 'f x'), false);
    assert.equal(matches('%^\\x41\\x62c$%', 'Abc'), true);
    assert.equal(matches('%\\x7a%', 'z'), true, 'lowercase hex digits');
    assert.equal(matches('%a\\x21+%', 'wow a!!'), true, 'a symbol the subset does not allow written out, quantified');
    assert.equal(matches('%\\x25%', '50% off'), true, '% itself');
    assert.equal(matches('%\\x2E%', 'a.b'), true);
    assert.equal(matches('%\\x2E%', 'ab'), false, '\\x2E is a literal dot, not any character');
    assert.equal(matches('%\\x09%', 'a\tb'), true);
    assert.equal(matches('%[\\x41-\\x43]+x%', 'zzBCx'), true);
    assert.equal(matches('%[\\x41-\\x43]+x%', 'zzDx'), false);
    assert.equal(matches('%[\\x5D\\x5B]%', 'a]'), true);
    assert.equal(matches('%[a-\\x63]%', 'c'), true);
    assert.equal(matches('%[^\\x3A]%', ':::'), false);
    assert.equal(matches('{ $.t = %\\x3A% }', '{"t":"12:00"}'), true, 'inside a JSON value');
    assert.equal(matches('[w = %\\x28%, ...]', 'f(x) y'), true, 'inside a space-delimited field');
  });

  test('malformed \\xhh escapes are rejected', () => {
    rejects('%\\x%', /two hexadecimal digits.*position 2\)/);
    rejects('%\\x3%', /two hexadecimal digits/);
    rejects('%\\xG1%', /two hexadecimal digits/);
    rejects('%\\x{3A}%', /two hexadecimal digits/);
    rejects('%\\x80%', /not an ASCII character/);
    rejects('%\\xFF%', /not an ASCII character/);
    rejects('%[\\x5%', /two hexadecimal digits/);
    rejects('%[\\x43-\\x41]%', /out of order/);
  });

  test('a regex that backtracks catastrophically still finishes quickly (linear-time fallback)', () => {
    const t0 = Date.now();
    assert.equal(matches(`%${'a*'.repeat(12)}b%`, 'a'.repeat(20_000)), false);
    assert.equal(matches(`%${'.*'.repeat(8)}!?x%`.replace('!?', ''), 'y'.repeat(20_000)), false);
    assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
  });

  test('unsupported regex constructs are rejected, not matched loosely', () => {
    rejects('%something!%', /'!' is not supported.*position 11\)/);
    rejects('%(ab)+%', /parentheses/);
    rejects('%a\\(b%', /unsupported escape/);
    rejects('%ERROR (?i)%', /parentheses/);
    rejects('%é%', /multi-byte/);
    rejects('%%', /empty regular expression/);
    rejects('%a|%', /cannot end with '\|'/);
    rejects('%a||b%', /empty alternative/);
    rejects('%*a%', /nothing to repeat/);
    rejects('%a**%', /cannot follow another repetition/);
    rejects('%^*%', /cannot follow an anchor/);
    rejects('%a{2%', /unterminated repetition/);
    rejects('%a{1001}%', /limited to 1000/);
    rejects('%a{5,2}%', /minimum is larger/);
    rejects('%[]a]%', /empty character class/);
    rejects('%[a%', /unterminated character class/);
    rejects('%[z-a]%', /out of order/);
    rejects('%\\bword%', /unsupported escape '\\b'/);
    rejects('%[\\S]%', /not supported inside a character class/);
    rejects('%a}%', /unmatched/);
    rejects('%abc', /must end with '%'/);
    rejects('%a%b%', /'%' is not supported/);
  });
});
