import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractKeys, ExtractionError, JqError, parseMetadataQuery } from './jq.ts';

const record = JSON.stringify({ type: { device: 'mobile', event: 'click' }, customer_id: '1234567890', n: 7, ok: true, items: ['a', 'b'], 'a b': 'spaced', nul: null });

const cases: { query: string; keys?: Record<string, string>; error?: RegExp }[] = [
  { query: '{customer_id: .customer_id}', keys: { customer_id: '1234567890' } },
  { query: '{customer_id:.customer_id,device:.type.device}', keys: { customer_id: '1234567890', device: 'mobile' } },
  { query: ' { "quoted key" : .["a b"], first: .items[1], n: .n, ok: .ok } ', keys: { 'quoted key': 'spaced', first: 'b', n: '7', ok: 'true' } },
  { query: '{d: .type."device"}', keys: { d: 'mobile' } },
  { query: '{missing: .nope}', error: /null value/ },
  { query: '{nul: .nul}', error: /null value/ },
  { query: '{obj: .type}', error: /not a scalar/ },
];

for (const c of cases) {
  test(`extract ${c.query}`, () => {
    const q = parseMetadataQuery(c.query);
    if (c.error) assert.throws(() => extractKeys(q, record), c.error);
    else assert.deepEqual(extractKeys(q, record), c.keys);
  });
}

for (const bad of ['.customer_id', '{a: .x | strftime("%Y")}', '{a: .x, }', '{a: (.x)}', '{a: .x} | .a', '{a: .}', '{a: .x[]}', '{}']) {
  test(`refused: ${bad}`, () => assert.throws(() => parseMetadataQuery(bad), JqError));
}

test('a record that is not JSON cannot be partitioned', () => {
  assert.throws(() => extractKeys(parseMetadataQuery('{a: .a}'), 'not json'), ExtractionError);
});
