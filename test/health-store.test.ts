/**
 * The metadata store made unusable for real: another process holds SQLite's write lock, so Osprey's
 * probe write fails (SQLITE_BUSY after the busy timeout). The monitor keeps the incident in memory
 * while it cannot store it, and once the lock is gone writes it whole — opened and closed — so the
 * outage is in the AWS Health history afterwards.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { DescribeAffectedEntitiesCommand, DescribeEventsCommand, HealthClient } from '@aws-sdk/client-health';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;

before(async () => {
  // SQLite's write lock is the fault here, so this server is on SQLite even when the run is on PostgreSQL.
  server = await startTestServer({ modules: ['health'], env: { OSPREY_HEALTH_INTERVAL_MS: '200', OSPREY_METADATA_URL: '' } });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('a metadata store another process keeps locked is an incident, recorded with its start and end once the lock is released', { timeout: 90_000 }, async () => {
  const health = new HealthClient(sdkConfig(server.url));
  const lockedAt = Date.now();
  const other = new Database(join(server.dataDir, 'meta.sqlite'));
  other.exec('BEGIN EXCLUSIVE');
  // Osprey's writes wait out SQLite's 5 s busy timeout, then fail: the probe, then the incident's own write.
  await until('the probe to fail', () => (server.logs.some((l) => l.includes('cannot store incidents yet')) ? true : undefined), 30_000);
  other.exec('ROLLBACK');
  other.close();
  const released = Date.now();
  const closed = await until('the stored incident', async () => {
    const r = await health.send(new DescribeEventsCommand({ filter: { eventTypeCodes: ['OSPREY_STORE_UNAVAILABLE'] } }));
    return r.events!.find((e) => e.statusCode === 'closed');
  }, 30_000);
  // The incident starts when the failing probe started: a pass (every 200 ms) may have begun just
  // before the lock was taken and then waited on it.
  assert.ok(closed.startTime!.getTime() >= lockedAt - 1000 && closed.startTime!.getTime() <= released, 'started while the lock was held');
  assert.ok(closed.endTime!.getTime() >= closed.startTime!.getTime());
  const [entity] = (await health.send(new DescribeAffectedEntitiesCommand({ filter: { eventArns: [closed.arn!] } }))).entities!;
  assert.equal(entity!.entityValue, 'metadata-store');
  assert.equal(entity!.statusCode, 'UNIMPAIRED');
});
