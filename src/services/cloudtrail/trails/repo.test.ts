import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { migrateModule } from '../../../store/meta/sqlite.ts';
import { SqliteTrailRepo } from './repo.ts';
import { TRAIL_MIGRATIONS } from './schema.ts';
import type { Trail } from './types.ts';

function repo(): SqliteTrailRepo {
  const db = new Database(':memory:');
  migrateModule(db, 'cloudtrail', TRAIL_MIGRATIONS);
  return new SqliteTrailRepo(db);
}
const trail = (account: string, region: string, name: string, over: Partial<Trail> = {}): Trail => ({
  account, region, name, arn: `arn:aws:cloudtrail:${region}:${account}:trail/${name}`, includeGlobalServiceEvents: true,
  isMultiRegionTrail: false, logFileValidationEnabled: false, logging: false, insightSelectors: [], createdAt: 1, ...over,
});

test('trailsFor: the scope\'s own trails plus the account\'s multi-region trails, refreshed after every write', () => {
  const r = repo();
  r.create(trail('111111111111', 'us-east-1', 'home'), {});
  r.create(trail('111111111111', 'eu-west-1', 'everywhere', { isMultiRegionTrail: true }), { team: 'ops' });
  r.create(trail('222222222222', 'us-east-1', 'other'), {});
  assert.deepEqual(r.trailsFor('111111111111', 'us-east-1').map((t) => t.name).sort(), ['everywhere', 'home']);
  assert.deepEqual(r.trailsFor('111111111111', 'ap-south-1').map((t) => t.name), ['everywhere']);
  assert.equal(r.trailsFor('111111111111', 'us-east-1'), r.trailsFor('111111111111', 'us-east-1'), 'cached between writes');
  const home = r.trailsFor('111111111111', 'us-east-1').find((t) => t.name === 'home')!;
  r.save({ ...home, logging: true });
  assert.equal(r.trailsFor('111111111111', 'us-east-1').find((t) => t.name === 'home')!.logging, true);
  assert.deepEqual(r.tags(`arn:aws:cloudtrail:eu-west-1:111111111111:trail/everywhere`), { team: 'ops' });
  assert.equal(r.remove(home.arn), true);
  assert.deepEqual(r.trailsFor('111111111111', 'us-east-1').map((t) => t.name), ['everywhere']);
  assert.equal(r.all().length, 2);
});

test('cursor and delivery status are kept per trail and dropped with it', () => {
  const r = repo();
  const t = trail('111111111111', 'us-east-1', 'cursor');
  r.create(t, {});
  assert.equal(r.cursor(t.arn), 0);
  r.setCursor(t.arn, 42);
  r.updateStatus(t.arn, { latestDeliveryTime: 5 });
  r.updateStatus(t.arn, { latestCloudWatchLogsDeliveryError: 'boom' });
  assert.equal(r.cursor(t.arn), 42);
  assert.deepEqual(r.status(t.arn), { latestDeliveryTime: 5, latestCloudWatchLogsDeliveryError: 'boom' });
  r.remove(t.arn);
  r.create(t, {});
  assert.equal(r.cursor(t.arn), 0);
  assert.deepEqual(r.status(t.arn), {});
});
