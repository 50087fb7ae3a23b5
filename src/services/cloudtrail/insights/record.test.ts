import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toRow } from '../record/row.ts';
import { trailSelects } from '../trails/selectors.ts';
import type { Trail } from '../trails/types.ts';
import { insightRecord, type InsightEvent } from './record.ts';

const event: InsightEvent = {
  key: { account: '000000000000', region: 'us-east-1', category: 'Management', insightType: 'ApiErrorRateInsight', eventSource: 'logs.amazonaws.com', eventName: 'DeleteLogGroup', errorCode: 'ResourceNotFoundException' },
  state: 'Start',
  sharedEventID: 'shared-1',
  eventID: 'event-1',
  time: Date.UTC(2026, 11, 5, 2, 17, 0, 400),
  baselineAverage: 1 / 3,
  insightAverage: 3000,
  insightDuration: 1,
  baselineDuration: 10080,
  attributions: [{ attribute: 'errorCode', insight: [{ value: 'ResourceNotFoundException', average: 3000 }], baseline: [] }],
};

test('an Insights record has exactly the members AWS writes for trails, in its order', () => {
  const r = insightRecord(event) as unknown as Record<string, unknown>;
  assert.deepEqual(Object.keys(r), ['eventVersion', 'eventTime', 'awsRegion', 'eventID', 'eventType', 'recipientAccountId', 'sharedEventID', 'insightDetails', 'eventCategory']);
  assert.equal(r.eventTime, '2026-12-05T02:17:00Z');
  assert.equal(r.eventType, 'AwsCloudTrailInsight');
  assert.equal(r.eventCategory, 'Insight');
  assert.deepEqual(r.insightDetails, {
    state: 'Start', eventSource: 'logs.amazonaws.com', eventName: 'DeleteLogGroup', insightType: 'ApiErrorRateInsight', errorCode: 'ResourceNotFoundException',
    insightContext: {
      statistics: { baseline: { average: 0.333333 }, insight: { average: 3000 }, insightDuration: 1, baselineDuration: 10080 },
      attributions: [{ attribute: 'errorCode', insight: [{ value: 'ResourceNotFoundException', average: 3000 }], baseline: [] }],
    },
  });
});

test('a call-rate record has no errorCode; a data-event insight names its source category', () => {
  const call = insightRecord({ ...event, key: { ...event.key, insightType: 'ApiCallRateInsight', errorCode: '' } });
  assert.ok(!('errorCode' in call.insightDetails!));
  const data = insightRecord({ ...event, key: { ...event.key, category: 'Data' } });
  assert.equal(data.insightDetails!.sourceEventCategory, 'Data');
});

test('the stored row files the record under its API, and trails with a selector of its type take it', () => {
  const record = insightRecord(event);
  const row = toRow({ account: '000000000000', region: 'us-east-1', eventTime: event.time, seq: 1, record });
  assert.equal(row.eventCategory, 'Insight');
  assert.equal(row.eventName, 'DeleteLogGroup');
  assert.equal(row.eventSource, 'logs.amazonaws.com');
  const trail = (types: string[]) => ({ insightSelectors: types.map((InsightType) => ({ InsightType })) }) as unknown as Trail;
  assert.ok(trailSelects(trail(['ApiErrorRateInsight']), record));
  assert.ok(!trailSelects(trail(['ApiCallRateInsight']), record));
  assert.ok(!trailSelects(trail([]), record));
});
