import assert from 'node:assert/strict';
import { test } from 'node:test';
import { infer, type Shape } from './infer.ts';
import { discoveredSchemaName, pascal, renderAwsEvent, renderPlain } from './render.ts';

type Obj = Extract<Shape, { t: 'object' }>;

test('schema names are <source>@<DetailType> with the detail type in PascalCase', () => {
  assert.equal(pascal('EC2 Instance State-change Notification'), 'EC2InstanceStateChangeNotification');
  assert.equal(pascal('userCreated'), 'UserCreated');
  assert.equal(discoveredSchemaName('com.aws.orders', 'Order Notification'), 'com.aws.orders@OrderNotification');
  assert.equal(discoveredSchemaName('my app/x', 'a b'), 'my_app_x@AB');
});

const event = {
  version: '0', id: 'e1', 'detail-type': 'Order Placed', source: 'shop', account: '000000000000', time: '2026-03-27T12:00:00Z',
  region: 'us-east-1', resources: [], detail: { orderId: 7, total: 9.5, customer: { name: 'a' }, lines: [{ sku: 'x' }], note: null },
};

test('an event renders as AWS discovered schemas do: the AWSEvent envelope and a component per object', () => {
  const doc = JSON.parse(renderAwsEvent('shop', 'Order Placed', infer(event) as Obj));
  assert.equal(doc.openapi, '3.0.0');
  assert.deepEqual(doc.info, { version: '1.0.0', title: 'OrderPlaced' });
  assert.deepEqual(doc.paths, {});
  const s = doc.components.schemas;
  assert.deepEqual(Object.keys(s), ['AWSEvent', 'OrderPlaced', 'Customer', 'LinesItem']);
  assert.equal(s.AWSEvent['x-amazon-events-source'], 'shop');
  assert.equal(s.AWSEvent['x-amazon-events-detail-type'], 'Order Placed');
  assert.deepEqual(s.AWSEvent.properties.detail, { $ref: '#/components/schemas/OrderPlaced' });
  assert.deepEqual(s.AWSEvent.properties.time, { type: 'string', format: 'date-time' });
  assert.deepEqual(s.AWSEvent.properties.resources, { type: 'array', items: { type: 'object' } });
  assert.deepEqual(s.AWSEvent.required, ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
  assert.deepEqual(s.OrderPlaced.properties, {
    customer: { $ref: '#/components/schemas/Customer' },
    lines: { type: 'array', items: { $ref: '#/components/schemas/LinesItem' } },
    note: { nullable: true },
    orderId: { type: 'integer' },
    total: { type: 'number' },
  });
});

test('equal shapes render to equal text whatever the key order', () => {
  const a = renderAwsEvent('s', 'd', infer({ detail: { a: 1, b: 2 } }) as Obj);
  const b = renderAwsEvent('s', 'd', infer({ detail: { b: 3, a: 4 } }) as Obj);
  assert.equal(a, b);
});

test('component names that collide get a suffix', () => {
  const doc = JSON.parse(renderPlain(infer({ x: { item: { a: 1 } }, y: { item: { b: 1 } } })));
  assert.deepEqual(Object.keys(doc.components.schemas), ['Event', 'X', 'Item', 'Y', 'Item_1']);
});

test('non-event JSON renders as a plain Event schema (what GetDiscoveredSchema answers for it)', () => {
  const doc = JSON.parse(renderPlain(infer({ Source: 'a', Resources: ['r'] })));
  assert.equal(doc.info.title, 'Event');
  assert.deepEqual(doc.components.schemas.Event.properties.Resources, { type: 'array', items: { type: 'string' } });
  assert.deepEqual(JSON.parse(renderPlain(infer([1]))).components.schemas.Event, { type: 'array', items: { type: 'integer' } });
});
