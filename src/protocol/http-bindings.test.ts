import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAD_TEXT, headerText, scalarFromText, splitHeaderList } from './http-bindings.ts';
import type { ServiceModel, Shape } from './models/types.ts';

const ref = { shape: 'x' };

test('scalars read from label/query/header text by type; text of another type is BAD_TEXT', () => {
  const int: Shape = { type: 'integer' };
  assert.equal(scalarFromText(int, ref, '42', 'querystring'), 42);
  assert.equal(scalarFromText(int, ref, '-7', 'uri'), -7);
  for (const bad of ['4.5', 'abc', '', '99999999999']) assert.equal(scalarFromText(int, ref, bad, 'querystring'), BAD_TEXT, bad);
  assert.equal(scalarFromText({ type: 'double' }, ref, '1.5e-7', 'header'), 1.5e-7);
  assert.ok(Number.isNaN(scalarFromText({ type: 'double' }, ref, 'NaN', 'header')));
  assert.equal(scalarFromText({ type: 'boolean' }, ref, 'true', 'querystring'), true);
  assert.equal(scalarFromText({ type: 'boolean' }, ref, 'yes', 'querystring'), BAD_TEXT);
  const ts: Shape = { type: 'timestamp' };
  const want = Date.UTC(2026, 0, 2, 3, 4, 5);
  for (const text of ['Fri, 02 Jan 2026 03:04:05 GMT', '2026-01-02T03:04:05Z', '1767323045']) {
    assert.equal((scalarFromText(ts, ref, text, 'header') as Date).getTime(), want, text);
  }
  assert.equal(scalarFromText(ts, ref, 'yesterday', 'header'), BAD_TEXT);
  assert.deepEqual(scalarFromText({ type: 'blob' }, ref, 'AAEC/w==', 'header'), Buffer.from([0, 1, 2, 255]));
});

test('a jsonvalue header is base64 of the JSON text; in a query or label it is the text itself', () => {
  const s: Shape = { type: 'string' };
  const b64 = Buffer.from('{"a":[1,2]}').toString('base64');
  assert.equal(scalarFromText(s, { shape: 'x', jsonvalue: true }, b64, 'header'), '{"a":[1,2]}');
  assert.equal(scalarFromText(s, { shape: 'x', jsonvalue: true }, 'not base64!', 'header'), BAD_TEXT);
  assert.equal(scalarFromText(s, { shape: 'x', jsonvalue: true }, 'plain', 'querystring'), 'plain');
});

test('header lists split on commas, honour quoted items, and keep RFC 7231 dates whole', () => {
  assert.deepEqual(splitHeaderList('a, b,c', false), ['a', 'b', 'c']);
  assert.deepEqual(splitHeaderList('"a,b", "say \\"hi\\"", c', false), ['a,b', 'say "hi"', 'c']);
  assert.deepEqual(splitHeaderList('Fri, 02 Jan 2026 03:04:05 GMT, Sat, 03 Jan 2026 03:04:05 GMT', true), [
    'Fri, 02 Jan 2026 03:04:05 GMT',
    'Sat, 03 Jan 2026 03:04:05 GMT',
  ]);
});

const model: ServiceModel = {
  metadata: { apiVersion: 'x', endpointPrefix: 'x', protocol: 'rest-json', serviceId: 'x' },
  operations: {},
  shapes: {
    Str: { type: 'string' },
    Ts: { type: 'timestamp' },
    TsEpoch: { type: 'timestamp', timestampFormat: 'unixTimestamp' },
    Strs: { type: 'list', member: { shape: 'Str' } },
    Bool: { type: 'boolean' },
  },
};

test('header text: RFC 7231 dates by default, the model\'s format otherwise; lists quote strings that need it', () => {
  const d = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 500));
  assert.equal(headerText(model, { shape: 'Ts' }, d, 'p'), 'Fri, 02 Jan 2026 03:04:05 GMT');
  assert.equal(headerText(model, { shape: 'TsEpoch' }, d, 'p'), '1767323045.5');
  assert.equal(headerText(model, { shape: 'Ts', timestampFormat: 'iso8601' }, d, 'p'), '2026-01-02T03:04:05.500Z');
  assert.equal(headerText(model, { shape: 'Strs' }, ['a', 'b,c', 'd"e'], 'p'), 'a, "b,c", "d\\"e"');
  assert.equal(headerText(model, { shape: 'Bool' }, false, 'p'), 'false');
  assert.equal(headerText(model, { shape: 'Str', jsonvalue: true }, { a: 1 }, 'p'), Buffer.from('{"a":1}').toString('base64'));
  assert.equal(headerText(model, { shape: 'Str' }, undefined, 'p'), undefined);
  assert.throws(() => headerText(model, { shape: 'Str' }, 'line\nbreak', 'p'), TypeError);
});
