import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildEvent, formatEventTime, scheduledEvent, withReplayName } from './event.ts';

const ctx = { account: '111111111111', region: 'us-east-1', now: Date.parse('2024-06-11T08:33:13.789Z'), id: 'e1' };
const entry = {
  Source: 'core.update-account-command',
  DetailType: 'core.update-account-command',
  Detail: JSON.stringify({ command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' } }),
};

test('an event has AWS field order: version, id, detail-type, source, account, time, region, resources, detail', () => {
  // Order of the SQS body recorded on AWS (LocalStack test_events_inputs snapshot, multiple_targets).
  const event = buildEvent(entry, ctx);
  assert.deepEqual(Object.keys(event), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  assert.equal(JSON.stringify(event),
    '{"version":"0","id":"e1","detail-type":"core.update-account-command","source":"core.update-account-command",' +
    '"account":"111111111111","time":"2024-06-11T08:33:13Z","region":"us-east-1","resources":[],' +
    '"detail":{"command":"update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}}');
});

test('time has second precision and no milliseconds, truncated not rounded', () => {
  assert.equal(formatEventTime(Date.parse('2015-11-11T21:29:54.999Z')), '2015-11-11T21:29:54Z');
  assert.equal(formatEventTime(Date.parse('2015-11-11T21:29:54Z')), '2015-11-11T21:29:54Z');
});

test("the entry's Time wins over the call's time", () => {
  const event = buildEvent({ ...entry, Time: new Date('2022-01-01T00:00:00.250Z') }, ctx);
  assert.equal(event.time, '2022-01-01T00:00:00Z');
});

test('an unusable Time falls back to the time of the call', () => {
  assert.equal(buildEvent({ ...entry, Time: new Date('nonsense') }, ctx).time, '2024-06-11T08:33:13Z');
});

test('Resources are copied, and default to an empty list', () => {
  const arn = 'arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111';
  assert.deepEqual(buildEvent({ ...entry, Resources: [arn] }, ctx).resources, [arn]);
  assert.deepEqual(buildEvent(entry, ctx).resources, []);
});

test('without an injected id each event gets a fresh UUID', () => {
  const { id: _unused, ...noId } = ctx;
  const a = buildEvent(entry, noId);
  const b = buildEvent(entry, noId);
  assert.match(a.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a.id, b.id);
});

test('a replayed event carries replay-name between region and resources', () => {
  // LocalStack test_archive_and_replay snapshot (test_start_list_describe_canceled_replay), recorded on AWS.
  const replayed = buildEvent(entry, { ...ctx, replayName: 'my-replay' });
  assert.deepEqual(Object.keys(replayed),
    ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'replay-name', 'resources', 'detail']);
  assert.equal(replayed['replay-name'], 'my-replay');
  assert.deepEqual(withReplayName(buildEvent(entry, ctx), 'my-replay'), replayed);
});

test('a schedule sends a Scheduled Event from aws.events naming the rule, with an empty detail', () => {
  // LocalStack test_events_schedule snapshot (tests_schedule_rate_target_sqs), recorded on AWS.
  const ruleArn = 'arn:aws:events:us-east-1:111111111111:rule/every-minute';
  const event = scheduledEvent({ account: '111111111111', region: 'us-east-1', ruleArn, now: Date.parse('2024-06-11T08:34:00.012Z'), id: 's1' });
  assert.equal(JSON.stringify(event),
    '{"version":"0","id":"s1","detail-type":"Scheduled Event","source":"aws.events","account":"111111111111",' +
    `"time":"2024-06-11T08:34:00Z","region":"us-east-1","resources":["${ruleArn}"],"detail":{}}`);
});
