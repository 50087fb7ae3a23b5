import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseInputPath, selectInputPath } from './input-path.ts';

const event = {
  version: '0', 'detail-type': 'core.update-account-command', time: '2024-06-11T08:33:13Z',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111', 'arn:b'],
  detail: { command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' }, 'a/b': 1, list: [{ n: 1 }, { n: 2 }] },
};

test('InputPath selections recorded on AWS (LocalStack test_events_inputs, TestInputPath)', () => {
  assert.deepEqual(selectInputPath(event, '$.detail'), event.detail);
  assert.deepEqual(selectInputPath(event, '$.detail.payload'), { acc_id: '0a787ecb-4015', sf_id: 'baz' });
  assert.equal(selectInputPath(event, '$.detail.payload.sf_id'), 'baz');
});

test('$ is the whole event', () => {
  assert.equal(selectInputPath(event, '$'), event);
});

test('dashes, slashes and array indices (eb-transform-target-input: "$.resources[0]")', () => {
  assert.equal(selectInputPath(event, '$.detail-type'), 'core.update-account-command');
  assert.equal(selectInputPath(event, '$.detail.a/b'), 1);
  assert.equal(selectInputPath(event, '$.resources[0]'), 'arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111');
  assert.equal(selectInputPath(event, '$.detail.list[1].n'), 2);
});

test('wildcards select every match as a list', () => {
  assert.deepEqual(selectInputPath(event, '$.detail.list[*].n'), [1, 2]);
  assert.deepEqual(selectInputPath(event, '$.detail.payload.*'), ['0a787ecb-4015', 'baz']);
});

test('a path the event does not have selects nothing', () => {
  assert.equal(selectInputPath(event, '$.detail.notinmessage'), undefined);
  assert.equal(selectInputPath(event, '$.resources[5]'), undefined);
  assert.equal(selectInputPath(event, '$.detail.command.length'), undefined);
  assert.equal(selectInputPath(event, '$.detail.list[*].missing'), undefined);
});

test('inherited properties are not part of the event', () => {
  assert.equal(selectInputPath(event, '$.detail.constructor'), undefined);
});

test('bracket notation for names and paths not rooted at $ are outside the subset', () => {
  for (const bad of ["$['detail']", 'detail', '$.', '$..detail', '$.detail[a]', '$.de tail', '']) {
    assert.equal(parseInputPath(bad), undefined, bad);
  }
  assert.throws(() => selectInputPath(event, 'detail'));
});
