import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesEntityFilter, matchesEventFilter } from './filter.ts';
import type { Incident } from './repo.ts';

const T = Date.UTC(2026, 0, 1);
const open: Incident = {
  arn: 'arn:aws:health:global::event/OSPREY/OSPREY_DISK_NEARLY_FULL/OSPREY_DISK_NEARLY_FULL_1', service: 'OSPREY', typeCode: 'OSPREY_DISK_NEARLY_FULL',
  category: 'issue', region: 'global', entity: '/data', description: 'd', startTime: T, lastUpdated: T,
};
const closed: Incident = { ...open, arn: open.arn.replace(/1$/, '2'), endTime: T + 60_000, lastUpdated: T + 60_000 };

test('event filters: members are ANDed, list values ORed, time ranges inclusive', () => {
  assert.ok(matchesEventFilter(open, { eventStatusCodes: ['open', 'upcoming'], services: ['OSPREY'], regions: ['global'] }));
  assert.ok(!matchesEventFilter(closed, { eventStatusCodes: ['open'] }));
  assert.ok(matchesEventFilter(open, { startTimes: [{ from: new Date(T - 1), to: new Date(T) }] }));
  assert.ok(!matchesEventFilter(open, { startTimes: [{ from: new Date(T + 1) }] }));
  assert.ok(!matchesEventFilter(open, { endTimes: [{ from: new Date(0) }] }), 'an open event has no end time to match');
  assert.ok(matchesEventFilter(closed, { endTimes: [{ to: new Date(T + 60_000) }], eventTypeCategories: ['issue'] }));
  assert.ok(!matchesEventFilter(open, { eventTypeCategories: ['scheduledChange'] }));
  assert.ok(!matchesEventFilter(open, { availabilityZones: ['us-east-1a'] }), 'Osprey events have no availability zone');
});

test('entity filters: status IMPAIRED while open, UNIMPAIRED once closed', () => {
  assert.ok(matchesEntityFilter(open, { eventArns: [open.arn], statusCodes: ['IMPAIRED'] }));
  assert.ok(!matchesEntityFilter(closed, { eventArns: [closed.arn], statusCodes: ['IMPAIRED'] }));
  assert.ok(matchesEntityFilter(closed, { eventArns: [closed.arn], entityValues: ['/data'], statusCodes: ['UNIMPAIRED'] }));
  assert.ok(!matchesEntityFilter(open, { eventArns: [closed.arn] }));
});
