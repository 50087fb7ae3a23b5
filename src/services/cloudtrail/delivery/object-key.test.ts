import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logFileKey, logFileKindOf, uniqueString } from './object-key.ts';

const AT = Date.UTC(2015, 7, 1, 2, 10, 59, 999);

test('a log file key follows AWS layout: AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz', () => {
  assert.equal(
    logFileKey({ account: '111122223333', region: 'us-east-2', kind: 'CloudTrail', deliveredAt: AT, unique: 'Mu0KsOhtH1ar15ZZ' }),
    'AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz',
  );
});

test('the S3KeyPrefix comes first; Insights events get their own CloudTrail-Insight folder and name', () => {
  assert.equal(
    logFileKey({ prefix: 'audit/prod', account: '000000000000', region: 'eu-west-1', kind: logFileKindOf('Insight'), deliveredAt: Date.UTC(2026, 11, 31, 23, 5), unique: 'x'.repeat(16) }),
    `audit/prod/AWSLogs/000000000000/CloudTrail-Insight/eu-west-1/2026/12/31/000000000000_CloudTrail-Insight_eu-west-1_20261231T2305Z_${'x'.repeat(16)}.json.gz`,
  );
  assert.equal(logFileKindOf('Management'), 'CloudTrail');
  assert.equal(logFileKindOf('Data'), 'CloudTrail');
});

test('the unique string is 16 alphanumerics and differs between files', () => {
  const a = uniqueString();
  assert.match(a, /^[A-Za-z0-9]{16}$/);
  assert.notEqual(a, uniqueString());
});
