import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadModel } from './models/index.ts';
import { compileJavaPattern, validateInput, validationMessage, type Violation } from './validate.ts';

const LOGS = loadModel('logs');
const CW = loadModel('cloudwatch');
const SNS = loadModel('sns');

const invalidMessage = (model = LOGS, shape: string, input: unknown): string => {
  const { missing, invalid } = validateInput(model, shape, input);
  assert.deepEqual(missing, []);
  return validationMessage(invalid);
};

test('CreateLogGroup with a 513-character name: the length constraint, worded like AWS', () => {
  const name = 'a'.repeat(513);
  assert.equal(
    invalidMessage(LOGS, 'CreateLogGroupRequest', { logGroupName: name }),
    `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must have length less than or equal to 512`,
  );
});

test('CreateLogGroup with a name outside the pattern', () => {
  assert.equal(
    invalidMessage(LOGS, 'CreateLogGroupRequest', { logGroupName: 'my group!' }),
    "1 validation error detected: Value 'my group!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
  );
  assert.equal(invalidMessage(LOGS, 'CreateLogGroupRequest', { logGroupName: '/aws/lambda/fn-1_x.y#z' }), '0 validation errors detected: ');
});

test('an empty name breaks both min length and the `+` pattern: two errors, plural', () => {
  assert.equal(
    invalidMessage(LOGS, 'CreateLogGroupRequest', { logGroupName: '' }),
    "2 validation errors detected: Value '' at 'logGroupName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value '' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
  );
});

test('PutLogEvents without logEvents: a missing member, `Value null`', () => {
  const { missing, invalid } = validateInput(LOGS, 'PutLogEventsRequest', { logGroupName: 'g', logStreamName: 's' });
  assert.deepEqual(invalid, []);
  assert.deepEqual(missing, [{ path: 'logEvents', value: null, constraint: 'Member must not be null' }]);
  assert.equal(validationMessage(missing), "1 validation error detected: Value null at 'logEvents' failed to satisfy constraint: Member must not be null");
});

test('nested members are reported as <list>.<n>.member.<child>', () => {
  const { missing, invalid } = validateInput(LOGS, 'PutLogEventsRequest', {
    logGroupName: 'g',
    logStreamName: 's',
    logEvents: [{ timestamp: 1, message: 'ok' }, { timestamp: -1 }],
  });
  assert.deepEqual(missing, [{ path: 'logEvents.2.member.message', value: null, constraint: 'Member must not be null' }]);
  assert.deepEqual(invalid, [{ path: 'logEvents.2.member.timestamp', value: -1, constraint: 'Member must have value greater than or equal to 0' }]);
  assert.equal(
    validationMessage(invalid),
    "1 validation error detected: Value '-1' at 'logEvents.2.member.timestamp' failed to satisfy constraint: Member must have value greater than or equal to 0",
  );
});

test('an empty list breaks its minimum count', () => {
  const { invalid } = validateInput(LOGS, 'PutLogEventsRequest', { logGroupName: 'g', logStreamName: 's', logEvents: [] });
  assert.equal(
    validationMessage(invalid),
    "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
});

test('DescribeLogStreams: an orderBy outside the enum, a limit out of range', () => {
  assert.equal(
    invalidMessage(LOGS, 'DescribeLogStreamsRequest', { orderBy: 'Name' }),
    "1 validation error detected: Value 'Name' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]",
  );
  assert.equal(
    invalidMessage(LOGS, 'DescribeLogStreamsRequest', { limit: 0 }),
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  assert.equal(
    invalidMessage(LOGS, 'DescribeLogStreamsRequest', { limit: 51 }),
    "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
  );
});

test('CloudWatch paths lower-case the first letter of every member', () => {
  const { missing, invalid } = validateInput(CW, 'PutMetricDataInput', {
    Namespace: 'App',
    MetricData: [{ MetricName: 'x'.repeat(256), Dimensions: [{ Name: 'Host' }], Unit: 'Parsecs' }],
  });
  assert.deepEqual(missing.map((v) => v.path), ['metricData.1.member.dimensions.1.member.value']);
  assert.deepEqual(invalid.map((v) => [v.path, v.constraint]), [
    ['metricData.1.member.metricName', 'Member must have length less than or equal to 255'],
    ['metricData.1.member.unit', `Member must satisfy enum value set: [${(CW.shapes.StandardUnit as { enum: string[] }).enum.join(', ')}]`],
  ]);
});

test('a list of scalars is checked element by element but reported once, at the list', () => {
  const names = ['ok', '', 'x'.repeat(256)];
  const { invalid } = validateInput(CW, 'DescribeAlarmsInput', { AlarmNames: names });
  assert.equal(
    validationMessage(invalid),
    `1 validation error detected: Value '[ok, , ${'x'.repeat(256)}]' at 'alarmNames' failed to satisfy constraint: ` +
      'Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]',
  );
});

test('maps report key and value constraints at the map, Coral style', () => {
  const { invalid } = validateInput(LOGS, 'CreateLogGroupRequest', { logGroupName: 'g', tags: { 'bad key!': 'v', ok: 'x'.repeat(257) } });
  assert.deepEqual(
    invalid.map((v) => [v.path, v.constraint]),
    [
      ['tags', 'Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]'],
      ['tags', 'Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]'],
    ],
  );
  assert.match(validationMessage(invalid.slice(0, 1)), /^1 validation error detected: Value '\{bad key!=v, ok=x+\}' at 'tags'/);
  // Unicode letters are letters (`\p{L}` needs the u flag).
  assert.deepEqual(validateInput(LOGS, 'CreateLogGroupRequest', { logGroupName: 'g', tags: { 'Größe': 'ü 1' } }).invalid, []);
  const tooMany = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
  assert.deepEqual(validateInput(LOGS, 'CreateLogGroupRequest', { logGroupName: 'g', tags: tooMany }).invalid.map((v) => v.constraint), [
    'Member must have length less than or equal to 50',
  ]);
});

test('SNS (awsQuery) shapes validate the same way', () => {
  const { missing } = validateInput(SNS, 'PublishInput', {});
  assert.deepEqual(missing.map((v) => v.path), ['message']);
});

test('messages list at most 10 violations but count them all; long values are cut', () => {
  const violations: Violation[] = Array.from({ length: 12 }, (_, i) => ({ path: `p${i}`, value: i, constraint: 'c' }));
  const message = validationMessage(violations);
  assert.match(message, /^12 validation errors detected: /);
  assert.equal(message.split('; ').length, 10);
  const long = validationMessage([{ path: 'p', value: 'y'.repeat(5000), constraint: 'c' }]);
  assert.ok(long.length < 1200, String(long.length));
});

test('Java patterns compile to anchored JS RegExps; what cannot compile is skipped, never thrown', () => {
  assert.equal(compileJavaPattern('[a-z]+')!.test('abc'), true);
  assert.equal(compileJavaPattern('[a-z]+')!.test('abc1'), false, 'full match, not search');
  assert.equal(compileJavaPattern('a|b')!.test('ab'), false, 'alternation stays inside the anchors');
  assert.equal(compileJavaPattern('(?s).*')!.test('line1\nline2'), true);
  assert.equal(compileJavaPattern('\\p{Alnum}+')!.test('aZ9'), true);
  assert.equal(compileJavaPattern('\\p{Alnum}+')!.test('a-'), false);
  assert.equal(compileJavaPattern('[\\w-_]*')!.test('a-b_c'), true);
  assert.equal(compileJavaPattern('\\Qa.b\\E')!.test('a.b'), true);
  assert.equal(compileJavaPattern('\\Qa.b\\E')!.test('axb'), false);
  assert.equal(compileJavaPattern('\\A[0-9]++\\z')!.test('123'), true);
  assert.equal(compileJavaPattern('[\\_\\#]+')!.test('_#'), true);
  assert.equal(compileJavaPattern('[a-z&&[^b]]'), null);
  assert.equal(compileJavaPattern('(unclosed'), null);
  const shapes = { S: { type: 'structure' as const, members: { v: { shape: 'P' } } }, P: { type: 'string' as const, pattern: '(unclosed' } };
  const model = { metadata: LOGS.metadata, operations: {}, shapes };
  assert.deepEqual(validateInput(model, 'S', { v: 'anything' }), { missing: [], invalid: [] });
});

test('every pattern in the six models compiles', () => {
  for (const name of ['cloudwatch', 'logs', 'events', 'cloudtrail', 'xray', 'sns'] as const) {
    for (const [shapeName, shape] of Object.entries(loadModel(name).shapes)) {
      if (shape.type === 'string' && shape.pattern !== undefined) {
        assert.ok(compileJavaPattern(shape.pattern), `${name} ${shapeName}: ${shape.pattern}`);
      }
    }
  }
});
