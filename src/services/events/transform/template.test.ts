import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillTemplate, parseTemplate, renderValue } from './template.ts';

const contexts = (text: string) =>
  parseTemplate(text).parts.flatMap((p) => ('name' in p ? [`${p.name}:${p.context}`] : []));

test('a template opening an object or array (after blanks) is JSON; anything else is a string template', () => {
  assert.equal(parseTemplate('{"a": <a>}').json, true);
  assert.equal(parseTemplate('  \n[<a>]').json, true);
  assert.equal(parseTemplate('"{<a>}"').json, false);
  assert.equal(parseTemplate('<a> is here').json, false);
});

test('placeholders know whether they sit inside a JSON string', () => {
  assert.deepEqual(contexts('{"a": <a>, "b": "x <b> y", "c": [<c>, "<d>"]}'),
    ['a:json-value', 'b:in-json-string', 'c:json-value', 'd:in-json-string']);
});

test('escaped quotes do not end a JSON string (doc example "instance \\"<instance>\\" is in <state>")', () => {
  assert.deepEqual(contexts('{"s": "instance \\"<instance>\\" is in <state>", "t": <t>}'),
    ['instance:in-json-string', 'state:in-json-string', 't:json-value']);
});

test('every placeholder of a string template is text', () => {
  assert.deepEqual(contexts('"<a> and "<b>""'), ['a:text', 'b:text']);
});

test('literal text around placeholders is kept byte for byte', () => {
  const t = parseTemplate('{\n  "a" : <a>,\t"b": "<b>"\n}');
  assert.equal(fillTemplate(t, () => 'v'), '{\n  "a" : "v",\t"b": "v"\n}');
});

test('how one value renders in each context', () => {
  const obj = { k: 'v', n: [1, 'x'] };
  assert.deepEqual([renderValue('s', 'json-value'), renderValue('s', 'in-json-string'), renderValue('s', 'text')], ['"s"', 's', 's']);
  assert.deepEqual([renderValue(undefined, 'json-value'), renderValue(undefined, 'in-json-string'), renderValue(undefined, 'text')], ['""', '', '']);
  assert.deepEqual([renderValue(obj, 'json-value'), renderValue(obj, 'in-json-string'), renderValue(obj, 'text')],
    ['{"k":"v","n":[1,"x"]}', '{"k":"v","n":[1,"x"]}', '{k:v,n:[1,x]}']);
  assert.deepEqual([renderValue(1.5, 'json-value'), renderValue(true, 'text'), renderValue(null, 'json-value')], ['1.5', 'true', 'null']);
});
