import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, compileError, evaluator } from './test-support.ts';

const { value } = evaluator();
const E = JSON.stringify({ s: 'xyZfooxyZ', pad: '  hi  ', blank: '   ', empty: '', mixed: 'Hello World', csv: 'a,b,,c' });

test('isempty and isblank: a missing value counts as empty', async () => {
  assert.equal(await value('isempty(empty)', E), '1');
  assert.equal(await value('isempty(blank)', E), '0');
  assert.equal(await value('isblank(blank)', E), '1');
  assert.equal(await value('isempty(missing)', E), '1');
  assert.equal(await value('isblank(missing)', E), '1');
});

test('concat skips missing values and renders numbers as written', async () => {
  assert.equal(await value('concat("a", missing, "b")', E), 'ab');
  assert.equal(await value('concat(s, 1.50)', E), 'xyZfooxyZ1.50');
});

test('trim removes white space, or the given set of characters (ltrim("xyZxyfooxyZ","xyZ") = "fooxyZ")', async () => {
  assert.equal(await value('trim(pad)', E), 'hi');
  assert.equal(await value('ltrim(pad)', E), 'hi  ');
  assert.equal(await value('rtrim(pad)', E), '  hi');
  assert.equal(await value('ltrim("xyZxyfooxyZ", "xyZ")'), 'fooxyZ');
  assert.equal(await value('rtrim("xyZxyfooxyZ", "xyZ")'), 'xyZxyfoo');
  assert.equal(await value('trim("]-a-]", "]-")'), 'a', 'class metacharacters are characters');
  assert.equal(await value('trim(pad, "")', E), '  hi  ');
  assert.match(compileError('trim(pad, other)'), /trim\(\) needs the characters to remove as a "string" literal/);
});

test('substr is zero-based: substr("xyZfooxyZ", 3, 3) = "foo"', async () => {
  assert.equal(await value('substr(s, 3, 3)', E), 'foo');
  assert.equal(await value('substr(s, 6)', E), 'xyZ');
  assert.equal(await value('substr("äöü", 1, 1)'), 'ö', 'characters, not bytes');
});

test('strlen, toupper, tolower, replace', async () => {
  assert.equal(await value('strlen("äöü")'), '3');
  assert.equal(await value('toupper(mixed)', E), 'HELLO WORLD');
  assert.equal(await value('tolower(mixed)', E), 'hello world');
  assert.equal(await value('replace(s, "xyZ", "-")', E), '-foo-');
});

test('regexReplace: $n is a group, a backslash is literal; the pattern is checked when compiling', async () => {
  assert.equal(await value('regexReplace("a1b22", "[0-9]+", "#")'), 'a#b#');
  assert.equal(await value('regexReplace("ab", "(a)(b)", "$2\\\\$1")'), 'b\\a');
  assert.match(compileError('regexReplace(s, "(?=a)", "b")'), /lookahead and lookbehind are not supported/);
  assert.match(compileError('regexReplace(s, other, "b")'), /needs the pattern as a "string" literal/);
});

test('strcontains, startswith, endswith', async () => {
  assert.equal(await value('strcontains(mixed, "world")', E), '0');
  assert.equal(await value('strcontains(mixed, "world", true)', E), '1');
  assert.equal(await value('startswith(mixed, "Hell")', E), '1');
  assert.equal(await value('endswith(mixed, "x")', E), '0');
  assert.equal(await value('strcontains(missing, "x")', E), '0');
  assert.match(compileError('strcontains(s, "a", 1)'), /takes true or false as its third argument/);
});

test('URL and base64 encodings, hex conversions', async () => {
  assert.equal(await value('urlencode("a b&c")'), 'a+b%26c');
  assert.equal(await value('urldecode("a+b%26c")'), 'a b&c');
  assert.equal(await value('base64decode(base64encode("hi"))'), 'hi');
  assert.equal(await value('hexToAscii("48656c6c6f")'), 'Hello');
  assert.equal(await value('hexToDec("0xff")'), '255');
  assert.equal(await value('decToHex(255)'), '0xff');
  assert.equal(await value('decToHex(-255)'), '-0xff');
});

test('split gives a list', async () => {
  assert.equal(compile('split(csv, ",")').v.type, 'json');
  assert.equal(await value('split(csv, ",")', E), '["a","b","","c"]');
  assert.equal(await value('split(missing, ",")', E), null);
});
