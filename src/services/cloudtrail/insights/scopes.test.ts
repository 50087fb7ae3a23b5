import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Trail } from '../trails/types.ts';
import { scopesOf } from './scopes.ts';

const trail = (p: Partial<Trail>): Trail => ({
  account: '000000000000', region: 'us-east-1', name: 't', arn: 'arn', includeGlobalServiceEvents: true, isMultiRegionTrail: false,
  logFileValidationEnabled: false, logging: true, insightSelectors: [], createdAt: 0, ...p,
});

test('logging trails with insight selectors make one scope per account, category and type; regions merge', () => {
  const scopes = scopesOf([
    trail({ insightSelectors: [{ InsightType: 'ApiErrorRateInsight' }, { InsightType: 'ApiCallRateInsight', EventCategories: ['Management', 'Data'] }] }),
    trail({ region: 'eu-west-1', insightSelectors: [{ InsightType: 'ApiErrorRateInsight' }] }),
    trail({ account: '111111111111', logging: false, insightSelectors: [{ InsightType: 'ApiErrorRateInsight' }] }),
    trail({ account: '222222222222' }),
  ], []);
  const summary = scopes.map((s) => `${s.account} ${s.category} ${s.insightType} ${s.allRegions ? '*' : s.regions.join(',')}`).sort();
  assert.deepEqual(summary, [
    '000000000000 Data ApiCallRateInsight us-east-1',
    '000000000000 Management ApiCallRateInsight us-east-1',
    '000000000000 Management ApiErrorRateInsight eu-west-1,us-east-1',
  ]);
});

test('a multi-region trail covers every region; an open insight keeps its region evaluated without opening new ones', () => {
  const [multi] = scopesOf([trail({ isMultiRegionTrail: true, insightSelectors: [{ InsightType: 'ApiCallRateInsight' }] })], []);
  assert.ok(multi!.allRegions && multi!.opens('ap-south-1'));
  const [orphan] = scopesOf([], [{ account: '0', region: 'us-west-2', category: 'Management', insightType: 'ApiErrorRateInsight', eventSource: 's', eventName: 'n', errorCode: 'E' }]);
  assert.deepEqual(orphan!.regions, ['us-west-2']);
  assert.ok(!orphan!.opens('us-west-2'));
});
