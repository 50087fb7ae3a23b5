import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServiceError } from '../../../protocol/errors.ts';
import { checkTargetInput } from './check-target.ts';
import { TransformerError } from './errors.ts';

const target = { Id: 'target-1', Arn: 'arn:aws:sqs:us-east-1:111111111111:q' };
const refusal = (message: string) => (e: unknown) =>
  e instanceof TransformerError && e instanceof ServiceError && e.code === 'ValidationException' && e.status === 400 && e.message === message;

test('a target with no input settings, or exactly one, is accepted', () => {
  checkTargetInput(target);
  checkTargetInput({ ...target, Input: '{"a":1}' });
  checkTargetInput({ ...target, InputPath: '$.detail' });
  checkTargetInput({ ...target, InputTransformer: { InputPathsMap: { a: '$.detail.a' }, InputTemplate: '{"a": <a>}' } });
});

test('recorded: more than one of Input, InputPath and InputTransformer is refused', () => {
  // LocalStack test_events_inputs snapshot (test_put_event_input_path_and_input_transformer), recorded on AWS.
  const both = {
    ...target, InputPath: '$.detail',
    InputTransformer: { InputPathsMap: { command: '$.detail.command' }, InputTemplate: '{"command": <command>}' },
  };
  assert.throws(() => checkTargetInput(both),
    refusal('Only one of Input, InputPath, or InputTransformer must be provided for target target-1.'));
  assert.throws(() => checkTargetInput({ ...target, Input: '{}', InputPath: '$' }), TransformerError);
});

test('recorded: a placeholder neither in InputPathsMap nor predefined is refused', () => {
  // LocalStack test_events_inputs snapshot (test_put_events_with_input_transformer_missing_keys), recorded on AWS.
  const t = {
    ...target,
    InputTransformer: {
      InputPathsMap: { 'detail-type': '$.detail-type', timestamp: '$.time', command: '$.detail.command' },
      InputTemplate: '"Event of <detail-type> type, with not defined key <notdefinedkey>"',
    },
  };
  assert.throws(() => checkTargetInput(t), refusal('InputTemplate for target target-1 contains invalid placeholder notdefinedkey.'));
});

test('predefined variables need no InputPathsMap', () => {
  checkTargetInput({ ...target, InputTransformer: { InputTemplate: '{"e": <aws.events.event>, "j": <aws.events.event.json>, "t": <aws.events.event.ingestion-time>}' } });
});

test('InputPathsMap keys may not claim the aws. prefix of the predefined variables', () => {
  for (const key of ['aws.events.rule-arn', 'AWS.mine']) {
    const t = { ...target, InputTransformer: { InputPathsMap: { [key]: '$.detail' }, InputTemplate: '"x"' } };
    assert.throws(() => checkTargetInput(t), refusal(`InputPathsMap for target target-1 contains reserved key ${key}.`));
  }
});

test('InputPathsMap keys follow the model pattern [A-Za-z0-9_-]+', () => {
  const t = { ...target, InputTransformer: { InputPathsMap: { 'a.b': '$.detail' }, InputTemplate: '"x"' } };
  assert.throws(() => checkTargetInput(t), refusal('InputPathsMap for target target-1 contains invalid key a.b.'));
});

test('at most 100 InputPathsMap entries', () => {
  const paths = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, '$.detail']));
  checkTargetInput({ ...target, InputTransformer: { InputPathsMap: paths(100), InputTemplate: '"x"' } });
  assert.throws(() => checkTargetInput({ ...target, InputTransformer: { InputPathsMap: paths(101), InputTemplate: '"x"' } }), TransformerError);
});

test('InputPathsMap values and InputPath must be in the JSONPath subset EventBridge evaluates', () => {
  const t = { ...target, InputTransformer: { InputPathsMap: { a: "$['detail']" }, InputTemplate: '"<a>"' } };
  assert.throws(() => checkTargetInput(t), refusal("InputPathsMap for target target-1 contains invalid JSON path $['detail'] for key a."));
  assert.throws(() => checkTargetInput({ ...target, InputPath: 'detail' }), refusal('InputPath for target target-1 is not a valid JSON path: detail.'));
});

test('a JSON template that cannot become JSON is refused; placeholders in strings or as values are fine', () => {
  const paths = { a: '$.detail.a' };
  checkTargetInput({ ...target, InputTransformer: { InputPathsMap: paths, InputTemplate: '{"x": "<a>", "y": [<a>, 1]}' } });
  for (const bad of ['{"x": <a>', '{<a>: 1}', '{"x": <a> <a>}']) {
    assert.throws(() => checkTargetInput({ ...target, InputTransformer: { InputPathsMap: paths, InputTemplate: bad } }),
      refusal('InputTemplate for target target-1 is not a valid JSON text.'), bad);
  }
});

test('Input must be JSON text', () => {
  assert.throws(() => checkTargetInput({ ...target, Input: 'not json' }), refusal('Input for target target-1 is not a valid JSON text.'));
  checkTargetInput({ ...target, Input: '"a JSON string"' });
});
