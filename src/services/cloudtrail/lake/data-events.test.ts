import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestMetaDb } from '../../../store/meta/test-support.ts';
import type { CloudTrailRecord } from '../record/types.ts';
import { lakeDataEvents } from './data-events.ts';
import { LakeRepo, type EventDataStore } from './repo.ts';
import { LAKE_MIGRATIONS } from './schema.ts';

const store = (name: string, over: Partial<EventDataStore> = {}): EventDataStore => ({
  arn: `arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore/${name}`, id: name, account: '000000000000', region: 'us-east-1', name,
  status: 'ENABLED', multiRegionEnabled: false, retentionPeriod: 7, terminationProtectionEnabled: false, billingMode: 'EXTENDABLE_RETENTION_PRICING',
  created: 0, updated: 0, startSeq: 0,
  advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Logs::LogGroup'] }] }],
  ...over,
});

const putLogEvents = { eventCategory: 'Data', eventName: 'PutLogEvents', eventSource: 'logs.amazonaws.com', readOnly: false,
  resources: [{ type: 'AWS::Logs::LogGroup', ARN: 'arn:aws:logs:us-east-1:000000000000:log-group:g' }], userIdentity: { type: 'IAMUser' } } as unknown as CloudTrailRecord;

test('stores selecting data events ask the recorder for them; management-only and pending stores do not', async () => {
  const db = await openTestMetaDb({ name: 'cloudtrail', migrations: LAKE_MIGRATIONS });
  const repo = await LakeRepo.open(db);
  const interest = lakeDataEvents(repo);
  assert.deepEqual(interest.storesFor('000000000000', 'us-east-1'), []);
  await repo.put(store('mgmt', { advancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] }));
  await repo.put(store('data'));
  await repo.put(store('pending', { status: 'PENDING_DELETION' }));
  const found = interest.storesFor('000000000000', 'us-east-1');
  assert.deepEqual(found.map((s) => s.name), ['data']);
  assert.equal(interest.selects(found[0]!, putLogEvents), true);
  assert.equal(interest.selects(found[0]!, { ...putLogEvents, resources: [{ type: 'AWS::CloudWatch::Metric' }] }), false);
  assert.deepEqual(interest.storesFor('000000000000', 'eu-west-1'), []);
  assert.deepEqual(interest.storesFor('111111111111', 'us-east-1'), []);
});
