import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonLexer, JsonSyntaxError, MAX_DEPTH, type Tok } from './json-lexer.ts';

function tokens(text: string): string[] {
  const lx = new JsonLexer(text);
  const out: string[] = [];
  for (let t: Tok = lx.next(); t !== 'eof'; t = lx.next()) out.push(`${t}:${lx.text}`);
  return out;
}

test('tokens keep number spellings and decode strings', () => {
  assert.deepEqual(tokens('{"a\\u0041": [300.0, "x\\n", null]}'), ['startObject:{', 'field:aA', 'startArray:[', 'number:300.0', 'string:x\n', 'null:null', 'endArray:]', 'endObject:}']);
});

test("syntax errors use Jackson's wording", () => {
  assert.throws(() => tokens('this is not json'), { message: /^Unrecognized token 'this': was expecting \(JSON String/ });
  assert.throws(() => tokens('{a: 1}'), { message: /was expecting double-quote to start field name/ });
  assert.throws(() => tokens('{"a" 1}'), { message: /was expecting a colon/ });
  assert.throws(() => tokens('[1 2]'), { message: /was expecting comma to separate Array entries/ });
  assert.throws(() => tokens('{"a": 01}'), JsonSyntaxError);
  assert.throws(() => tokens('"\u0001"'), { message: /CTRL-CHAR, code 1/ });
});

test('nesting deeper than the limit is refused, not a stack overflow', () => {
  assert.throws(() => tokens('['.repeat(MAX_DEPTH + 1)), { message: /nesting depth/ });
  assert.equal(tokens('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH)).length, 2 * MAX_DEPTH);
});
