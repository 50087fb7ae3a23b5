import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import {
  MAX_MESSAGE_EVENTS, controlMessage, dataMessage, gzipMessage, lambdaEvent, planMessages, type SubscriptionRowPayload,
} from './payload.ts';

const ev = (i: number, message = `m${i}`) => ({ id: String(i).padStart(40, '0'), timestamp: 1_700_000_000_000 + i, message });
const data = (stream: string, filterName: string, events: ReturnType<typeof ev>[]): SubscriptionRowPayload => ({
  type: 'data', owner: '123456789012', logGroup: '/g', logStream: stream, filterName, destinationArn: 'arn:x', events,
});

test("a DATA_MESSAGE has AWS's fields in AWS's order and survives gzip + base64 in a Lambda event", () => {
  const m = dataMessage('123456789012', '/aws/lambda/echo', 's1', 'f', [ev(1)]);
  const event = JSON.parse(lambdaEvent(gzipMessage(m))) as { awslogs: { data: string } };
  assert.deepEqual(Object.keys(event), ['awslogs']);
  assert.deepEqual(Object.keys(event.awslogs), ['data']);
  const decoded = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
  assert.deepEqual(Object.keys(decoded), ['messageType', 'owner', 'logGroup', 'logStream', 'subscriptionFilters', 'logEvents']);
  assert.deepEqual(decoded, {
    messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup: '/aws/lambda/echo', logStream: 's1',
    subscriptionFilters: ['f'], logEvents: [{ id: ev(1).id, timestamp: ev(1).timestamp, message: 'm1' }],
  });
});

test('a CONTROL_MESSAGE looks like the health check AWS sends to stream destinations', () => {
  assert.deepEqual(controlMessage('kinesis', 5), {
    messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [],
    logEvents: [{ id: '', timestamp: 5, message: 'CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.' }],
  });
  assert.match(controlMessage('firehose', 5).logEvents[0].message, /destination Firehose\.$/);
});

test('rows of the same stream and filter merge into one message; other streams and filters stay apart', () => {
  const plans = planMessages([
    { id: 1, payload: data('a', 'f', [ev(1), ev(2)]) },
    { id: 2, payload: data('b', 'f', [ev(3)]) },
    { id: 3, payload: data('a', 'f', [ev(4)]) },
    { id: 4, payload: data('a', 'g', [ev(5)]) },
    { id: 5, payload: { type: 'control', kind: 'firehose', filterName: 'f', timestamp: 9 } },
  ]);
  assert.deepEqual(plans.map((p) => p.rowIds), [[1, 3], [2], [4], [5]]);
  assert.deepEqual(plans[0].message.logEvents.map((e) => e.message), ['m1', 'm2', 'm4']);
  assert.equal(plans[3].message.messageType, 'CONTROL_MESSAGE');
});

test('a message never exceeds 10,000 events or 1 MiB', () => {
  const many = Array.from({ length: 6000 }, (_, i) => ev(i));
  const plans = planMessages([{ id: 1, payload: data('a', 'f', many) }, { id: 2, payload: data('a', 'f', many) }]);
  assert.deepEqual(plans.map((p) => p.rowIds), [[1], [2]]);
  assert.ok(plans.every((p) => p.message.logEvents.length <= MAX_MESSAGE_EVENTS));

  const big = 'x'.repeat(600_000);
  const bigPlans = planMessages([{ id: 1, payload: data('a', 'f', [ev(1, big)]) }, { id: 2, payload: data('a', 'f', [ev(2, big)]) }]);
  assert.equal(bigPlans.length, 2);
});
