import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditRecord } from '../../../protocol/audit.ts';
import { buildRecord } from './build.ts';

const call = (over: Partial<AuditRecord>): AuditRecord => ({
  eventTime: Date.UTC(2026, 11, 5, 2, 17, 12, 345), requestId: 'req-1', service: 'logs', eventSource: 'logs.amazonaws.com',
  operation: 'CreateLogGroup', account: '123456789012', region: 'eu-west-1', principalArn: 'arn:aws:iam::123456789012:user/ops/bob',
  accessKeyId: 'AKIAEXAMPLE', sourceIp: '::ffff:10.0.0.7', userAgent: 'ua', host: 'localhost:4566', consoleLogin: false, status: 200,
  durationMs: 3, ...over,
});

test('a management call: AWS member names in camelCase, IAM user identity, second-precision time, IPv4 source', () => {
  const r = buildRecord(call({ service: 'cloudwatch', eventSource: 'monitoring.amazonaws.com', operation: 'DeleteAlarms', input: { AlarmNames: ['a', 'b'] }, output: {} }))!;
  assert.deepEqual(r.requestParameters, { alarmNames: ['a', 'b'] });
  assert.equal(r.responseElements, null);
  assert.equal(r.eventTime, '2026-12-05T02:17:12Z');
  assert.equal(r.sourceIPAddress, '10.0.0.7');
  assert.deepEqual({ ...r.userIdentity, principalId: undefined }, { type: 'IAMUser', principalId: undefined, arn: 'arn:aws:iam::123456789012:user/ops/bob', accountId: '123456789012', accessKeyId: 'AKIAEXAMPLE', userName: 'bob' });
  assert.deepEqual(r.resources?.map((x) => [x.type, x.name]), [['AWS::CloudWatch::Alarm', 'a'], ['AWS::CloudWatch::Alarm', 'b']]);
  assert.equal(r.eventCategory, 'Management');
});

test('data events leave their payloads out; secrets are hidden; reads record no response', () => {
  const put = buildRecord(call({ operation: 'PutLogEvents', input: { logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 1, message: 'x' }] }, output: { nextSequenceToken: 't' } }))!;
  assert.deepEqual(put.requestParameters, { logGroupName: 'g', logStreamName: 's' });
  assert.equal(put.eventCategory, 'Data');
  assert.equal(put.managementEvent, false);
  const conn = buildRecord(call({ service: 'events', eventSource: 'events.amazonaws.com', operation: 'CreateConnection',
    input: { Name: 'c', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } } }))!;
  assert.deepEqual(conn.requestParameters?.authParameters, { basicAuthParameters: { username: 'u', password: 'HIDDEN_DUE_TO_SECURITY_REASONS' } });
  const secure = buildRecord(call({ service: 'ssm', eventSource: 'ssm.amazonaws.com', operation: 'PutParameter', input: { Name: '/p', Value: 's3cret', Type: 'SecureString' } }))!;
  assert.equal(secure.requestParameters?.value, 'HIDDEN_DUE_TO_SECURITY_REASONS');
  const read = buildRecord(call({ operation: 'DescribeLogGroups', input: {}, output: { logGroups: [{ logGroupName: 'g' }] } }))!;
  assert.equal(read.readOnly, true);
  assert.equal(read.responseElements, null);
});

test('a failed call keeps its error; a keyless call has no account to be recorded in; a console sign-in is ConsoleLogin', () => {
  const failed = buildRecord(call({ status: 400, errorCode: 'ResourceNotFoundException', errorMessage: 'The specified log group does not exist.', input: { logGroupName: 'g' } }))!;
  assert.equal(failed.errorCode, 'ResourceNotFoundException');
  assert.equal(buildRecord(call({ account: '' })), undefined);
  const login = buildRecord(call({ consoleLogin: true, operation: 'DescribeLogGroups' }))!;
  assert.equal(login.eventName, 'ConsoleLogin');
  assert.equal(login.eventType, 'AwsConsoleSignIn');
  assert.equal(login.eventSource, 'signin.amazonaws.com');
  assert.deepEqual(login.responseElements, { ConsoleLogin: 'Success' });
});
