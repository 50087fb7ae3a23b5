import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newExecutionId, renderInput, scheduledTimeText } from './input.ts';

const ctx = { scheduleArn: 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/s', scheduledAt: Date.parse('2022-03-22T18:59:43.512Z'), executionId: 'd32c5kddcf5bb8c3', attempt: 2 };

test('context attributes are replaced wherever they appear in Input', () => {
  const input = '{"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","id":"<aws.scheduler.execution-id>","n":<aws.scheduler.attempt-number>,"again":"<aws.scheduler.attempt-number>"}';
  assert.deepEqual(JSON.parse(renderInput(input, ctx)), { arn: ctx.scheduleArn, at: '2022-03-22T18:59:43Z', id: 'd32c5kddcf5bb8c3', n: 2, again: '2' });
});

test('a schedule without Input sends {}', () => {
  assert.equal(renderInput(undefined, ctx), '{}');
});

test('text inputs are sent as they are', () => {
  assert.equal(renderInput('hello <aws.scheduler.unknown>', ctx), 'hello <aws.scheduler.unknown>');
});

test('scheduled times are whole seconds in UTC and execution ids look like AWS ones', () => {
  assert.equal(scheduledTimeText(Date.parse('2026-07-01T08:00:00.999Z')), '2026-07-01T08:00:00Z');
  const ids = new Set(Array.from({ length: 100 }, newExecutionId));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^[0-9a-z]{16}$/);
});
