import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdvancedEventSelector } from '@aws-sdk/client-cloudtrail';
import type { CloudTrailRecord } from '../record/types.ts';
import { trailSelects, wantsDataEvent } from './selectors.ts';
import type { Trail } from './types.ts';

const ACCOUNT = '123456789012';
const trail = (over: Partial<Trail> = {}): Trail => ({
  account: ACCOUNT, region: 'us-east-1', name: 't', arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/t`,
  includeGlobalServiceEvents: true, isMultiRegionTrail: false, logFileValidationEnabled: false, logging: true,
  insightSelectors: [], createdAt: 0, ...over,
});
const record = (over: Partial<CloudTrailRecord>): CloudTrailRecord => ({
  eventVersion: '1.09', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice` }, eventTime: '2026-12-05T00:00:00Z',
  eventSource: 'logs.amazonaws.com', eventName: 'DeleteLogGroup', awsRegion: 'us-east-1', sourceIPAddress: '127.0.0.1', userAgent: 'ua',
  requestParameters: null, responseElements: null, requestID: 'r', eventID: 'e', readOnly: false, eventType: 'AwsApiCall',
  managementEvent: true, recipientAccountId: ACCOUNT, eventCategory: 'Management', ...over,
});
const groupArn = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
const putLogEvents = (group: string) => record({
  eventName: 'PutLogEvents', eventCategory: 'Data', managementEvent: false, resources: [{ type: 'AWS::Logs::LogGroup', ARN: groupArn(group) }],
});
const getLogEvents = (group: string) => ({ ...putLogEvents(group), eventName: 'GetLogEvents', readOnly: true });
const putMetricData = record({
  eventSource: 'monitoring.amazonaws.com', eventName: 'PutMetricData', eventCategory: 'Data', managementEvent: false,
  resources: [{ type: 'AWS::CloudWatch::Metric', ARN: `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:metric/App` }],
});
const describe = record({ eventName: 'DescribeLogGroups', readOnly: true });

test('a trail without selectors logs every management event and no data event (AWS default)', () => {
  assert.equal(trailSelects(trail(), record({})), true);
  assert.equal(trailSelects(trail(), describe), true);
  assert.equal(trailSelects(trail(), putLogEvents('app')), false);
});

test('basic selectors: ReadWriteType and IncludeManagementEvents filter management events', () => {
  const writeOnly = trail({ eventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] });
  assert.equal(trailSelects(writeOnly, record({})), true);
  assert.equal(trailSelects(writeOnly, describe), false);
  const readOnly = trail({ eventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }] });
  assert.equal(trailSelects(readOnly, record({})), false);
  assert.equal(trailSelects(readOnly, describe), true);
  const none = trail({ eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false }] });
  assert.equal(trailSelects(none, record({})), false);
});

test('basic selectors: ExcludeManagementEventSources drops that source only', () => {
  const t = trail({ eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['logs.amazonaws.com'] }] });
  assert.equal(trailSelects(t, record({})), false);
  assert.equal(trailSelects(t, record({ eventSource: 'monitoring.amazonaws.com', eventName: 'DeleteAlarms' })), true);
});

test('basic selectors: data events need a DataResources entry of the type whose value prefixes the ARN', () => {
  const t = trail({ eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::Logs::LogGroup', Values: [groupArn('app')] }] }] });
  assert.equal(trailSelects(t, putLogEvents('app')), true);
  assert.equal(trailSelects(t, putLogEvents('app-2')), true, 'a value is a prefix, as S3 object prefixes are');
  assert.equal(trailSelects(t, putLogEvents('other')), false);
  assert.equal(trailSelects(t, putMetricData), false, 'another resource type');
  assert.equal(trailSelects(t, record({})), false, 'management events are off');
  const all = trail({ eventSelectors: [{ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::Logs::LogGroup', Values: ['arn:aws:logs'] }] }] });
  assert.equal(trailSelects(all, putLogEvents('anything')), true, 'arn:aws:logs = every log group');
  assert.equal(trailSelects(all, getLogEvents('anything')), false, 'WriteOnly leaves reads out');
  assert.equal(trailSelects(all, record({})), true, 'IncludeManagementEvents defaults to true');
});

test('basic selectors: any selector may take the record', () => {
  const t = trail({ eventSelectors: [
    { ReadWriteType: 'All', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::CloudWatch::Metric', Values: ['arn:aws:cloudwatch'] }] },
    { ReadWriteType: 'ReadOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::Logs::LogGroup', Values: ['arn:aws:logs'] }] },
  ] });
  assert.equal(trailSelects(t, putMetricData), true);
  assert.equal(trailSelects(t, getLogEvents('g')), true);
  assert.equal(trailSelects(t, putLogEvents('g')), false);
});

const adv = (...fields: AdvancedEventSelector['FieldSelectors'][]): AdvancedEventSelector[] => fields.map((FieldSelectors) => ({ FieldSelectors }));

test('advanced selectors: every condition of one selector must hold', () => {
  const t = trail({ advancedEventSelectors: adv([
    { Field: 'eventCategory', Equals: ['Data'] },
    { Field: 'resources.type', Equals: ['AWS::Logs::LogGroup'] },
    { Field: 'eventName', Equals: ['PutLogEvents'] },
    { Field: 'resources.ARN', StartsWith: [groupArn('prod-')] },
  ]) });
  assert.equal(trailSelects(t, putLogEvents('prod-api')), true);
  assert.equal(trailSelects(t, putLogEvents('dev-api')), false);
  assert.equal(trailSelects(t, getLogEvents('prod-api')), false);
  assert.equal(trailSelects(t, record({})), false, 'no management selector: no management events');
});

test('advanced selectors: any selector may take the record; negative operators exclude', () => {
  const t = trail({ advancedEventSelectors: adv(
    [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }],
    [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Logs::LogGroup'] },
      { Field: 'resources.ARN', NotEndsWith: [':log-group:noisy'] }, { Field: 'eventName', NotStartsWith: ['Get'] }],
  ) });
  assert.equal(trailSelects(t, record({})), true);
  assert.equal(trailSelects(t, describe), false);
  assert.equal(trailSelects(t, putLogEvents('quiet')), true);
  assert.equal(trailSelects(t, putLogEvents('noisy')), false);
  assert.equal(trailSelects(t, getLogEvents('quiet')), false);
  const notEquals = trail({ advancedEventSelectors: adv([{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: ['logs.amazonaws.com', 'kms.amazonaws.com'] }]) });
  assert.equal(trailSelects(notEquals, record({})), false);
  assert.equal(trailSelects(notEquals, record({ eventSource: 'events.amazonaws.com' })), true);
  const ends = trail({ advancedEventSelectors: adv([{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::CloudWatch::Metric'] }, { Field: 'resources.ARN', EndsWith: ['/App'] }]) });
  assert.equal(trailSelects(ends, putMetricData), true);
  const errors = trail({ advancedEventSelectors: adv([{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'errorCode', StartsWith: ['AccessDenied'] }]) });
  assert.equal(trailSelects(errors, record({ errorCode: 'AccessDeniedException' })), true);
  assert.equal(trailSelects(errors, record({})), false, 'an absent field fails a positive condition');
});

test('Insights records go to trails with an insight selector of their type', () => {
  const insight = (type: string) => record({ eventCategory: 'Insight', eventType: 'AwsCloudTrailInsight', insightDetails: { insightType: type } });
  const t = trail({ insightSelectors: [{ InsightType: 'ApiErrorRateInsight' }] });
  assert.equal(trailSelects(t, insight('ApiErrorRateInsight')), true);
  assert.equal(trailSelects(t, insight('ApiCallRateInsight')), false);
  assert.equal(trailSelects(trail(), insight('ApiErrorRateInsight')), false);
});

test('wantsDataEvent: only a logging trail of the scope that selects the record', () => {
  const selecting = trail({ eventSelectors: [{ DataResources: [{ Type: 'AWS::Logs::LogGroup', Values: ['arn:aws:logs'] }] }] });
  const repo = (trails: Trail[]) => ({ trailsFor: (a: string, r: string) => trails.filter((t) => t.account === a && (t.region === r || t.isMultiRegionTrail)) });
  assert.equal(wantsDataEvent(repo([selecting]), ACCOUNT, 'us-east-1', putLogEvents('g')), true);
  assert.equal(wantsDataEvent(repo([{ ...selecting, logging: false }]), ACCOUNT, 'us-east-1', putLogEvents('g')), false);
  assert.equal(wantsDataEvent(repo([trail()]), ACCOUNT, 'us-east-1', putLogEvents('g')), false);
  assert.equal(wantsDataEvent(repo([selecting]), ACCOUNT, 'eu-west-1', putLogEvents('g')), false);
  assert.equal(wantsDataEvent(repo([{ ...selecting, isMultiRegionTrail: true }]), ACCOUNT, 'eu-west-1', putLogEvents('g')), true);
});
