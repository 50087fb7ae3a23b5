import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, evaluator } from './test-support.ts';

const { value } = evaluator();
const E = '{"user":{"id":"u1","roles":["admin","dev"]},"list":"[1,2,3]","plain":"text"}';
const J = { before: 'fields jsonParse(@message) as j' };

test('jsonParse gives a map whose keys can be read with dots', async () => {
  assert.equal(compile('j', J).v.type, 'json');
  assert.equal(await value('j.user.id', E, J), 'u1');
  assert.equal(await value('j.user.roles.1', E, J), 'dev');
});

test('jsonParse of text that is not an object or array gives no value', async () => {
  assert.equal(await value('jsonParse(plain)', E), null);
  assert.equal(await value('jsonParse("42")'), null);
});

test('jsonStringify gives a map back as its JSON text, and nothing for other values', async () => {
  assert.equal(await value('jsonStringify(jsonParse(list))', E), '[1,2,3]');
  assert.equal(await value('jsonStringify(plain)', E), null);
});

test('jsonArraySize and jsonArrayContains take a list or its JSON text', async () => {
  assert.equal(await value('jsonArraySize(list)', E), '3');
  assert.equal(await value('jsonArraySize(jsonParse(list))', E), '3');
  assert.equal(await value('jsonArraySize(plain)', E), null);
  assert.equal(await value('jsonArrayContains("[\\"admin\\"]", "admin")'), '1');
  assert.equal(await value('jsonArrayContains(list, "4")', E), '0');
});
