import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from './event-bus.ts';

type Fact =
  | { kind: 'metrics.appended'; points: readonly { account: string; region: string; namespace: string; metricName: string }[] }
  | { kind: 'logs.ingested'; batch: { account: string; region: string; logGroup: string; logStream: string; events: unknown[] } };

const points = [{ account: '1', region: 'r', namespace: 'N', metricName: 'M' }];

test('a subscriber receives only facts of its kind, until it unsubscribes', () => {
  const bus = new EventBus<Fact>();
  const got: string[] = [];
  const off = bus.subscribe('metrics.appended', (f) => { got.push(`${f.kind}:${f.points.length}`); });
  bus.subscribe('logs.ingested', (f) => { got.push(`${f.kind}:${f.batch.logGroup}`); });
  bus.publish({ kind: 'metrics.appended', points });
  bus.publish({ kind: 'logs.ingested', batch: { account: '1', region: 'r', logGroup: 'g', logStream: 's', events: [] } });
  off();
  bus.publish({ kind: 'metrics.appended', points });
  assert.deepEqual(got, ['metrics.appended:1', 'logs.ingested:g']);
  assert.equal(bus.has('metrics.appended'), false);
  assert.equal(bus.has('logs.ingested'), true);
});

test('publish is best effort: a throwing or rejecting subscriber does not stop the others', () => {
  const bus = new EventBus<Fact>();
  let reached = 0;
  bus.subscribe('metrics.appended', () => { throw new Error('boom'); });
  bus.subscribe('metrics.appended', () => Promise.reject(new Error('async boom')));
  bus.subscribe('metrics.appended', () => { reached++; });
  bus.publish({ kind: 'metrics.appended', points });
  assert.equal(reached, 1);
});

test('publishAwaited waits for async subscribers in order and lets their errors through', async () => {
  const bus = new EventBus<Fact>();
  const order: string[] = [];
  bus.subscribe('metrics.appended', async () => { await new Promise((r) => setTimeout(r, 5)); order.push('slow'); });
  bus.subscribe('metrics.appended', () => { order.push('fast'); });
  await bus.publishAwaited({ kind: 'metrics.appended', points });
  assert.deepEqual(order, ['slow', 'fast']);
  bus.subscribe('metrics.appended', async () => { throw new Error('not durable'); });
  await assert.rejects(bus.publishAwaited({ kind: 'metrics.appended', points }), /not durable/);
});
