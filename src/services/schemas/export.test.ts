import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openApiToDraft4 } from './export.ts';
import { infer, type Shape } from './infer.ts';
import { renderAwsEvent } from './render.ts';

test('a discovered schema exports with AWSEvent as the root and the other components as definitions', () => {
  const doc = JSON.parse(renderAwsEvent('shop', 'Order Placed', infer({ source: 'shop', detail: { c: { n: 1 }, note: null, tag: 's' } }) as Extract<Shape, { t: 'object' }>));
  doc.components.schemas.OrderPlaced.properties.tag.nullable = true;
  const out = openApiToDraft4(doc);
  assert.equal(out.$schema, 'http://json-schema.org/draft-04/schema#');
  assert.equal(out.title, 'AWSEvent');
  assert.equal(out['x-amazon-events-source'], 'shop');
  assert.deepEqual((out.properties as Record<string, unknown>).detail, { $ref: '#/definitions/OrderPlaced' });
  const defs = out.definitions as Record<string, { properties: Record<string, unknown> }>;
  assert.deepEqual(Object.keys(defs), ['OrderPlaced', 'C']);
  assert.deepEqual(defs.OrderPlaced!.properties, { c: { $ref: '#/definitions/C' }, note: {}, tag: { type: ['string', 'null'] } });
});

test('without AWSEvent the component named by the title is the root; references to it become #', () => {
  const out = openApiToDraft4({
    openapi: '3.0.0', info: { title: 'Node', version: '1' },
    components: { schemas: { Other: { type: 'string' }, Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } } } },
  });
  assert.equal(out.title, 'Node');
  assert.deepEqual(out.properties, { next: { $ref: '#' } });
  assert.deepEqual(out.definitions, { Other: { type: 'string' } });
});
