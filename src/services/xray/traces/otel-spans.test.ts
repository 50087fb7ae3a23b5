import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceToOtelSpans, w3cTraceId } from './otel-spans.ts';

test('segments and nested subsegments become OTLP-shaped spans, parents first', () => {
  const seg = {
    id: '70de5b6f19ff9a0a', name: 'api', start_time: 1700000000.5, end_time: 1700000001.25, service: { version: '1.2' },
    annotations: { order: 7 }, metadata: { default: { 'otel.resource.deployment.environment': 'prod', note: 'x' } },
    subsegments: [{
      id: '8cf2a9c2f3d3a1b0', name: 'work', start_time: 1700000000.6, end_time: 1700000000.9,
      subsegments: [{ id: '9e1f0a2b3c4d5e6f', name: 'orders', namespace: 'aws', start_time: 1700000000.7, end_time: 1700000000.8,
        aws: { operation: 'GetItem', region: 'us-east-1', table_name: 'orders' }, error: true, cause: { exceptions: [{ id: 'x', type: 'Throttled', message: 'slow down' }] } }],
    }],
  };
  const spans = traceToOtelSpans('1-6553f100-0123456789abcdef01234567', [seg]);
  assert.equal(w3cTraceId('1-6553f100-0123456789abcdef01234567'), '6553f1000123456789abcdef01234567');
  assert.deepEqual(spans.map((s) => [s.name, s.kind, s.parentSpanId]), [['api', 'SERVER', ''], ['work', 'INTERNAL', '70de5b6f19ff9a0a'], ['orders', 'CLIENT', '8cf2a9c2f3d3a1b0']]);
  const [api, , orders] = spans;
  assert.equal(api!.startTimeUnixNano, '1700000000500000000');
  assert.equal(api!.durationNano, 750_000_000);
  assert.deepEqual(api!.attributes, { note: 'x', order: 7, 'aws.xray.annotations': ['order'] });
  assert.deepEqual(api!.resource.attributes, { 'service.name': 'api', 'deployment.environment': 'prod', 'service.version': '1.2' });
  assert.equal(orders!.resource.attributes['service.name'], 'api', 'subsegments share their segment\'s resource');
  assert.deepEqual(orders!.status, { code: 'ERROR' });
  assert.equal(orders!.attributes['rpc.method'], 'GetItem');
  assert.equal(orders!.attributes['aws.table_name'], 'orders');
  assert.deepEqual(orders!.events, [{ name: 'exception', attributes: { 'exception.type': 'Throttled', 'exception.message': 'slow down' } }]);
});

test('an in-progress span has no end', () => {
  const [s] = traceToOtelSpans('1-6553f100-0123456789abcdef01234567', [{ id: '70de5b6f19ff9a0a', name: 'api', start_time: 1700000000, in_progress: true }]);
  assert.equal(s!.endTimeUnixNano, undefined);
  assert.equal(s!.durationNano, undefined);
});
