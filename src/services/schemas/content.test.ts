import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkContent, checkType } from './content.ts';

const bad = (type: 'OpenApi3' | 'JSONSchemaDraft4', content: string, re: RegExp) =>
  assert.throws(() => checkContent(type, content), (e: Error) => e.name === 'BadRequestException' && re.test(e.message));

test('Content must be JSON and a JSON object', () => {
  bad('OpenApi3', '{nope', /not valid JSON/);
  bad('JSONSchemaDraft4', '[1]', /must be a JSON object/);
});

test('OpenApi3 content needs openapi 3.x.y and info; components are schemas', () => {
  const ok = { openapi: '3.0.0', info: { title: 't', version: '1' }, paths: {}, components: { schemas: { A: { type: 'object' } } } };
  assert.deepEqual(checkContent('OpenApi3', JSON.stringify(ok)), ok);
  bad('OpenApi3', JSON.stringify({ ...ok, openapi: '2.0' }), /'openapi'/);
  bad('OpenApi3', JSON.stringify({ openapi: '3.0.1' }), /'info'/);
  bad('OpenApi3', JSON.stringify({ ...ok, components: { schemas: { A: { type: 'thing' } } } }), /components\.schemas\.A/);
  bad('OpenApi3', JSON.stringify({ ...ok, paths: [] }), /'paths'/);
});

test('JSONSchemaDraft4 content: types, required and nested properties are checked', () => {
  checkContent('JSONSchemaDraft4', JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', type: ['string', 'null'] }));
  bad('JSONSchemaDraft4', JSON.stringify({ type: 'str' }), /not a JSON Schema type/);
  bad('JSONSchemaDraft4', JSON.stringify({ required: 'a' }), /'required'/);
  bad('JSONSchemaDraft4', JSON.stringify({ properties: { a: { properties: { b: 3 } } } }), /properties\.a\.properties\.b/);
});

test('only the two schema types exist', () => {
  assert.equal(checkType('OpenApi3'), 'OpenApi3');
  assert.throws(() => checkType('Avro'), /OpenApi3, JSONSchemaDraft4/);
});
