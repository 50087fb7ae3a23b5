import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdvancedFieldSelector } from '@aws-sdk/client-cloudtrail';
import { checkAdvancedEventSelectors, checkEventSelectors } from './validate-selectors.ts';

const rejects = (fn: () => void, re: RegExp) => assert.throws(fn, (e: Error & { code?: string }) => e.code === 'InvalidEventSelectorsException' && re.test(e.message));

test('basic selectors: at most 5, 250 data resource values, known resource types, ARN values', () => {
  checkEventSelectors([{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::Logs::LogGroup', Values: ['arn:aws:logs'] }] }]);
  rejects(() => checkEventSelectors(Array.from({ length: 6 }, () => ({ ReadWriteType: 'All' as const }))), /at most 5/);
  const values = Array.from({ length: 251 }, (_, i) => `arn:aws:logs:us-east-1:123456789012:log-group:g${i}`);
  rejects(() => checkEventSelectors([{ DataResources: [{ Type: 'AWS::Logs::LogGroup', Values: values }] }]), /at most 250/);
  rejects(() => checkEventSelectors([{ DataResources: [{ Type: 'AWS::SQS::Queue', Values: ['arn:aws:sqs'] }] }]), /DataResources.Type/);
  rejects(() => checkEventSelectors([{ DataResources: [{ Type: 'AWS::Logs::LogGroup', Values: ['my-group'] }] }]), /must be an ARN/);
  rejects(() => checkEventSelectors([{ ExcludeManagementEventSources: ['kms'] }]), /event source/);
});

const data = (...extra: AdvancedFieldSelector[]): AdvancedFieldSelector[] =>
  [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Logs::LogGroup'] }, ...extra];

test('advanced selectors: eventCategory required, data selectors need one resources.type, management ones take few fields', () => {
  checkAdvancedEventSelectors([{ FieldSelectors: data({ Field: 'resources.ARN', StartsWith: ['arn:aws:logs:us-east-1:123456789012:log-group:prod'] }) }]);
  checkAdvancedEventSelectors([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['true'] }] }]);
  rejects(() => checkAdvancedEventSelectors([{ FieldSelectors: [{ Field: 'eventName', Equals: ['PutLogEvents'] }] }]), /eventCategory/);
  rejects(() => checkAdvancedEventSelectors([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }]), /resources\.type/);
  rejects(() => checkAdvancedEventSelectors([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Insight'] }] }]), /Valid values/);
  rejects(() => checkAdvancedEventSelectors([{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventName', Equals: ['X'] }] }]), /not valid for management/);
  rejects(() => checkAdvancedEventSelectors([{ FieldSelectors: data({ Field: 'color', Equals: ['red'] }) }]), /not valid in an advanced/);
  rejects(() => checkAdvancedEventSelectors([{ FieldSelectors: data({ Field: 'readOnly', Equals: ['yes'] }) }]), /readOnly/);
  rejects(() => checkAdvancedEventSelectors([{ FieldSelectors: data({ Field: 'eventName', Equals: ['a'] }, { Field: 'eventName', Equals: ['b'] }) }]), /more than once/);
});

test('advanced selectors: at most 500 condition values across all selectors', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `Op${i}`);
  checkAdvancedEventSelectors([{ FieldSelectors: data({ Field: 'eventName', Equals: names(498) }) }]);
  rejects(() => checkAdvancedEventSelectors([
    { FieldSelectors: data({ Field: 'eventName', Equals: names(300) }) },
    { FieldSelectors: data({ Field: 'eventName', NotEquals: names(200) }) },
  ]), /at most 500/);
});
