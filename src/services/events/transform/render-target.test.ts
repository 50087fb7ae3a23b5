import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTargetInput } from './render-target.ts';

const target = { Id: 't1', Arn: 'arn:aws:sqs:us-east-1:111111111111:q' };
const ctx = { ruleArn: 'arn:aws:events:us-east-1:111111111111:rule/r', ruleName: 'r', ingestedAt: Date.parse('2024-06-11T08:33:13.456Z') };
// Deliberately spaced: pass-through cases must hand over these exact bytes.
const eventJson = '{"version":"0","id":"e1","detail-type":"t","source":"s","account":"111111111111","time":"2024-06-11T08:33:13Z",' +
  '"region":"us-east-1","resources":[],"detail":{"command": "update-account","payload":{"acc_id":"0a787ecb-4015","sf_id":"baz"}}}';

test('without input settings the target receives the event as built', () => {
  assert.equal(renderTargetInput(target, eventJson, ctx), eventJson);
});

test('Input is sent verbatim', () => {
  assert.equal(renderTargetInput({ ...target, Input: '{ "fixed" : true }' }, eventJson, ctx), '{ "fixed" : true }');
});

test('recorded: InputPath sends the selected part as JSON (LocalStack test_events_inputs, TestInputPath)', () => {
  assert.equal(renderTargetInput({ ...target, InputPath: '$.detail.payload' }, eventJson, ctx), '{"acc_id":"0a787ecb-4015","sf_id":"baz"}');
  assert.equal(renderTargetInput({ ...target, InputPath: '$.detail.payload.sf_id' }, eventJson, ctx), '"baz"');
  assert.equal(renderTargetInput({ ...target, InputPath: '$' }, eventJson, ctx), eventJson);
});

test('an InputPath that selects nothing is not delivered', () => {
  assert.throws(() => renderTargetInput({ ...target, InputPath: '$.detail.missing' }, eventJson, ctx), /selects nothing/);
});

test('InputTransformer renders its template with the rule and ingestion time', () => {
  const t = { ...target, InputTransformer: { InputPathsMap: { c: '$.detail.command' }, InputTemplate: '{"c": <c>, "rule": <aws.events.rule-name>, "at": <aws.events.event.ingestion-time>}' } };
  assert.equal(renderTargetInput(t, eventJson, ctx), '{"c": "update-account", "rule": "r", "at": "2024-06-11T08:33:13.456Z"}');
});

test('a transformer whose output is not JSON is not delivered', () => {
  const t = { ...target, InputTransformer: { InputPathsMap: { p: '$.detail.payload' }, InputTemplate: '{"p": "<p>"}' } };
  assert.throws(() => renderTargetInput(t, eventJson, ctx), /not valid JSON/);
});
