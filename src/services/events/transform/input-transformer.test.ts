// Rendering as AWS does it. "recorded" cases come from LocalStack's test_events_inputs.snapshot.json
// (bodies an SQS target received from real EventBridge); "doc" cases from the EventBridge user guide
// page eb-transform-target-input, "Input transform examples" table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileInputTransformer, type RuleContext } from './input-transformer.ts';

const rule: RuleContext = {
  ruleArn: 'arn:aws:events:us-east-1:111111111111:rule/my-bus/my-rule',
  ruleName: 'my-rule',
  ingestionTime: Date.parse('2024-06-11T08:33:13.456Z'),
};

const event = {
  version: '0', id: 'e1', 'detail-type': 'core.update-account-command', source: 'core.update-account-command',
  account: '111111111111', time: '2024-06-11T08:33:13Z', region: 'us-east-1', resources: [],
  detail: {
    command: 'update-account', payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
    listsingle: ['HIGH'], listmulti: ['ACTIVE', 'INACTIVE'], valid: true,
  },
};

const render = (template: string, paths: Record<string, string> = {}, e: Record<string, unknown> = event) =>
  compileInputTransformer({ InputTemplate: template, InputPathsMap: paths }, 't1').render(e, rule);

const basic = { 'detail-type': '$.detail-type', timestamp: '$.time', command: '$.detail.command' };
const nested = {
  userId: '$.detail.payload.acc_id', payload: '$.detail.payload', systemstring: '$.detail.awsAccountId',
  listsingle: '$.detail.listsingle', listmulti: '$.detail.listmulti', valid: '$.detail.valid',
};

test('recorded: a quoted string template is sent as is, values inserted unquoted', () => {
  const template = '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"';
  assert.equal(render(template, basic),
    '"Event of core.update-account-command type, at time 2024-06-11T08:33:13Z, info extracted from detail update-account"');
});

test('recorded: a missing value in a string template renders as nothing', () => {
  const template = '"Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>"';
  assert.equal(render(template, { ...basic, command: '$.detail.notinmessage' }),
    '"Event of core.update-account-command type, at time 2024-06-11T08:33:13Z, info extracted from detail "');
});

test('recorded: a string template starting with {[ after its quote is still a string template', () => {
  assert.equal(render('"{[/Check with special starting characters for event of <detail-type> type"', basic),
    '"{[/Check with special starting characters for event of core.update-account-command type"');
});

test('recorded: unquoted string placeholders in a JSON template gain quotes; a missing one becomes ""', () => {
  const template = '{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}';
  assert.equal(render(template, basic),
    '{"detailType": "core.update-account-command",  "time": "2024-06-11T08:33:13Z", "command": "update-account"}');
  assert.equal(render(template, { ...basic, command: '$.detail.notinmessage' }),
    '{"detailType": "core.update-account-command",  "time": "2024-06-11T08:33:13Z", "command": ""}');
});

test('recorded: objects and arrays go into JSON templates as JSON, strings inside quotes go in raw', () => {
  const cases: [string, unknown][] = [
    ['{"method": "PUT", "path": "users-service/users/<userId>", "bod": <payload>}',
      { method: 'PUT', path: 'users-service/users/0a787ecb-4015', bod: { acc_id: '0a787ecb-4015', sf_id: 'baz' } }],
    ['{"id" : <userId>}', { id: '0a787ecb-4015' }],
    ['{"id" : "<userId>"}', { id: '0a787ecb-4015' }],
    ['{"method": "PUT", "path": "users-service/users/<userId>", "id": <userId>, "body": <payload>}',
      { method: 'PUT', path: 'users-service/users/0a787ecb-4015', id: '0a787ecb-4015', body: { acc_id: '0a787ecb-4015', sf_id: 'baz' } }],
    ['{"method": "PUT", "path": "users-service/users/<userId>", "bod": [<userId>, "hardcoded"]}',
      { method: 'PUT', path: 'users-service/users/0a787ecb-4015', bod: ['0a787ecb-4015', 'hardcoded'] }],
    ['{"method": "PUT", "nested": {"level1": {"level2": {"level3": "users-service/users/<userId>"} } }, "bod": "<userId>"}',
      { method: 'PUT', nested: { level1: { level2: { level3: 'users-service/users/0a787ecb-4015' } } }, bod: '0a787ecb-4015' }],
    ['{"singlelistitem": <listsingle>}', { singlelistitem: ['HIGH'] }],
    ['{"multi_replacement": "users/<userId>/second/<userId>"}', { multi_replacement: 'users/0a787ecb-4015/second/0a787ecb-4015' }],
  ];
  for (const [template, expected] of cases) assert.deepEqual(JSON.parse(render(template, nested)!), expected, template);
});

test('recorded: in a string template objects and arrays lose their quotes, booleans print as JSON', () => {
  const cases: [string, string][] = [
    ['"Payload of <payload> with path users-service/users/<userId> and <userId>"',
      '"Payload of {acc_id:0a787ecb-4015,sf_id:baz} with path users-service/users/0a787ecb-4015 and 0a787ecb-4015"'],
    ['"<listsingle> single list item"', '"[HIGH] single list item"'],
    ['"<listmulti> multiple list items"', '"[ACTIVE,INACTIVE] multiple list items"'],
    ['"<listsingle> single list item <listmulti> multiple list items <systemstring> system account id <payload> payload <userId> user id"',
      '"[HIGH] single list item [ACTIVE,INACTIVE] multiple list items  system account id {acc_id:0a787ecb-4015,sf_id:baz} payload 0a787ecb-4015 user id"'],
    ['"<listsingle> single list item"\n"<listmulti> multiple list items"\n"<systemstring> system account id"\n"<payload> payload"\n"<userId> user id"',
      '"[HIGH] single list item"\n"[ACTIVE,INACTIVE] multiple list items"\n" system account id"\n"{acc_id:0a787ecb-4015,sf_id:baz} payload"\n"0a787ecb-4015 user id"'],
    ['"Command is <valid>!"', '"Command is true!"'],
  ];
  for (const [template, expected] of cases) assert.equal(render(template, nested), expected, template);
});

test('recorded: an object or array placed inside quotes in a JSON template is not delivered', () => {
  // test_input_transformer_nested_keys_replacement_not_valid: AWS accepted the targets and sent nothing.
  for (const template of [
    '{"not_valid": "users-service/users/<payload>", "bod": <payload>}',
    '{"payload": "<payload>"}',
    '{"singlelistitem": "<listsingle>"}',
  ]) assert.equal(render(template, nested), undefined, template);
});

test('recorded: predefined variables in a string template', () => {
  const template = '"Message containing all pre defined variables <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"';
  assert.equal(compileInputTransformer({ InputTemplate: template }, 't1').render(event, rule),
    `"Message containing all pre defined variables ${rule.ruleArn} my-rule 2024-06-11T08:33:13.456Z"`);
});

test('recorded: aws.events.event is the envelope without detail; aws.events.event.json is the whole event', () => {
  const body = render('{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}')!;
  const parsed = JSON.parse(body) as { originalEvent: object; originalEventJson: object };
  // Key order and the camelCase detailType are as AWS sent them; time is the ingestion time.
  assert.deepEqual(Object.entries(parsed.originalEvent), Object.entries({
    id: 'e1', account: '111111111111', detailType: 'core.update-account-command', time: '2024-06-11T08:33:13.456Z',
    source: 'core.update-account-command', region: 'us-east-1', resources: [], version: '0',
  }));
  assert.deepEqual(parsed.originalEventJson, event);
});

// --- doc: eb-transform-target-input, "Input transform examples" -------------------------------------

const ec2 = {
  version: '0', id: '7bf73129-1428-4cd3-a780-95db273d1602', 'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2', account: '123456789012', time: '2015-11-11T21:29:54Z', region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const ec2Paths = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state', resource: '$.resources[0]' };
const docRule: RuleContext = { ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example', ruleName: 'example', ingestionTime: 0 };
const doc = (template: string) =>
  compileInputTransformer({ InputTemplate: template, InputPathsMap: ec2Paths }, 't1').render(ec2, docRule);

test('doc: simple string and string with escaped quotes', () => {
  assert.equal(doc('"instance <instance> is in <state>"'), '"instance i-0123456789 is in RUNNING"');
  assert.equal(doc('"instance \\"<instance>\\" is in <state>"'), '"instance \\"i-0123456789\\" is in RUNNING"');
});

test('doc: simple JSON keeps the template text and quotes the strings', () => {
  assert.equal(doc('{\n  "instance" : <instance>,\n  "state": <state>\n}'),
    '{\n  "instance" : "i-0123456789",\n  "state": "RUNNING"\n}');
});

test('doc: JSON with strings and variables, and with a mix of variables and static information', () => {
  assert.deepEqual(JSON.parse(doc('{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}')!),
    { instance: 'i-0123456789', state: 'RUNNING', instanceStatus: 'instance "i-0123456789" is in RUNNING' });
  assert.deepEqual(JSON.parse(doc('{\n  "instance" : <instance>,\n  "state": [ 9, <state>, true ],\n  "Transformed" : "Yes"\n}')!),
    { instance: 'i-0123456789', state: [9, 'RUNNING', true], Transformed: 'Yes' });
});

test('doc: reserved variables in JSON and in a string', () => {
  const body = doc('{\n  "instance" : <instance>,\n  "state": <state>,\n  "ruleArn" : <aws.events.rule-arn>,\n  "ruleName" : <aws.events.rule-name>,\n  "originalEvent" : <aws.events.event.json>\n}')!;
  assert.deepEqual(JSON.parse(body), { instance: 'i-0123456789', state: 'RUNNING', ruleArn: docRule.ruleArn, ruleName: 'example', originalEvent: ec2 });
  assert.equal(doc('"<aws.events.rule-name> triggered"'), '"example triggered"');
});

test('doc: an array index in InputPathsMap', () => {
  assert.equal(doc('"<resource>"'), '"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"');
});

test('a plain-text template (API reference example) is sent without quotes', () => {
  assert.equal(doc('<instance> is in state <state>'), 'i-0123456789 is in state RUNNING');
});

test('numbers, booleans and null go into JSON templates as JSON literals', () => {
  const e = { ...ec2, detail: { n: 42, b: false, z: null } };
  const body = compileInputTransformer({ InputTemplate: '{"n": <n>, "b": <b>, "z": <z>, "s": "<n>/<b>"}', InputPathsMap: { n: '$.detail.n', b: '$.detail.b', z: '$.detail.z' } }, 't1').render(e, docRule);
  assert.equal(body, '{"n": 42, "b": false, "z": null, "s": "42/false"}');
});

test('values are not escaped (eb-transform-target-input "Common issues"), so a quote inside a JSON string drops the event', () => {
  const e = { ...ec2, detail: { q: 'say "hi"' } };
  const t = compileInputTransformer({ InputTemplate: '{"q": <q>}', InputPathsMap: { q: '$.detail.q' } }, 't1');
  assert.equal(t.render(e, docRule), undefined);
  const s = compileInputTransformer({ InputTemplate: '"<q>"', InputPathsMap: { q: '$.detail.q' } }, 't1');
  assert.equal(s.render(e, docRule), '"say "hi""');
});

test('a "<" that opens no placeholder is literal text', () => {
  assert.equal(doc('"a < b and <state>"'), '"a < b and RUNNING"');
});
