/**
 * `osprey doctor` and the offline path of `osprey backup` (no server on the data directory): the
 * checklist passes on a good directory, fails with a clear line on a broken config or a full disk,
 * and names the server holding the directory.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { osprey } from './helpers/osprey-cli.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { throwawayPostgres } from '../src/store/meta/sql/throwaway-postgres.ts';

interface DoctorJson { ok: boolean; checks: { name: string; status: string; detail: string }[] }

const MODULES = ['logs'];
// `osprey backup` covers the embedded stores (PostgreSQL metadata is pg_dump's): these servers keep
// their metadata in SQLite even when the run is on PostgreSQL; the last test checks doctor on PostgreSQL.
const SQLITE = { OSPREY_METADATA_URL: '' };
const scratch = mkdtempSync(join(tmpdir(), 'osprey-doctor-'));
// Ports 0: the checks probe the configured ports, and fixed ones may be taken on a shared machine.
const PORTS = { OSPREY_PORT: '0', OSPREY_EMF_PORT: '0', OSPREY_XRAY_UDP_PORT: '0', OSPREY_XRAY_TCP_PORT: '0' };
let server: TestServer;
// Awaited before any test is declared: a top-level await between declarations let the runner finish
// the first tests' file before the last one was declared (seen with OSPREY_TEST_METADATA=postgres).
const pg = await throwawayPostgres();

before(async () => {
  server = await startTestServer({ modules: MODULES, env: SQLITE });
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'doc' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'doc', logStreamName: 's' }));
  await logs.send(new PutLogEventsCommand({ logGroupName: 'doc', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'hello' }] }));
});

after(async () => {
  await server.stop();
  server.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

test('doctor names the running server holding the data directory and passes', async () => {
  const r = await osprey(['doctor', '--data-dir', server.dataDir, '--json'], PORTS);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout) as DoctorJson;
  assert.equal(report.ok, true);
  assert.match(report.checks.find((c) => c.name === 'lock')!.detail, new RegExp(`in use by another Osprey process \\(pid ${server.child.pid}\\)`));
  assert.match(report.checks.find((c) => c.name === 'metadata schema')!.detail, /up to date with this build/);
});

test('doctor fails on a broken config and on too little free disk, with a clear line', async () => {
  const bad = join(scratch, 'bad.yaml');
  writeFileSync(bad, 'athenaConcurrency: 0\n');
  const config = await osprey(['doctor', '--config', bad, '--data-dir', join(scratch, 'none')], PORTS);
  assert.equal(config.code, 1);
  assert.match(config.stdout, /\[fail\] config: athenaConcurrency must be 1-64, got 0/);
  assert.match(config.stdout, /1 check failed/);

  const disk = await osprey(['doctor', '--data-dir', server.dataDir, '--min-free-mb', String(1024 * 1024 * 1024)], PORTS);
  assert.equal(disk.code, 1);
  assert.match(disk.stdout, /\[fail\] disk: \d+ MiB free on the filesystem of .* \(minimum 1073741824 MiB\): free space or move the data directory/);
});

test('with no server running, backup locks the data directory itself and the restore answers the same', async () => {
  const dataDir = join(scratch, 'offline');
  const s = await startTestServer({ modules: MODULES, dataDir, env: SQLITE });
  const logs = new CloudWatchLogsClient(sdkConfig(s.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'off' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'off', logStreamName: 's' }));
  const logEvents = Array.from({ length: 1000 }, (_, i) => ({ timestamp: Date.now(), message: `line ${i}` }));
  await logs.send(new PutLogEventsCommand({ logGroupName: 'off', logStreamName: 's', logEvents }));
  await s.kill(); // kill -9: the acknowledged events may still be only in the WAL

  const doctor = await osprey(['doctor', '--data-dir', dataDir], PORTS);
  assert.equal(doctor.code, 0, doctor.stdout);
  assert.match(doctor.stdout, /\[ {2}ok\] lock: no Osprey process holds the data directory/);
  assert.match(doctor.stdout, /\[ {2}ok\] telemetry schema: \d+ migrations applied, last \S+; up to date with this build/);

  const to = join(scratch, 'offline-backup');
  const backup = await osprey(['backup', '--data-dir', dataDir, '--to', to]);
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /by the offline \(data directory locked by this process\)/);
  const again = await osprey(['backup', '--data-dir', dataDir, '--to', to]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists and is not empty; choose a new directory/);

  const restoredDir = join(scratch, 'offline-restored');
  assert.equal((await osprey(['restore', '--from', to, '--data-dir', restoredDir])).code, 0);
  const r = await startTestServer({ modules: MODULES, dataDir: restoredDir, env: SQLITE });
  try {
    const out = await new CloudWatchLogsClient(sdkConfig(r.url)).send(new GetLogEventsCommand({ logGroupName: 'off', logStreamName: 's', startFromHead: true }));
    assert.equal(out.events?.length, 1000);
  } finally {
    await r.stop();
  }
});

test('with metadata on PostgreSQL, doctor reads that database\'s schema (and says so when it cannot)', { skip: !pg && 'PostgreSQL is not installed' }, async () => {
  const url = await pg!.createDatabase();
  const dataDir = join(scratch, 'on-postgres');
  const fresh = await osprey(['doctor', '--data-dir', dataDir], { ...PORTS, OSPREY_METADATA_URL: url });
  assert.match(fresh.stdout, /\[ {2}ok\] metadata schema: PostgreSQL at postgres:\/\/.*: no Osprey schema yet \(a new database\)/);
  const s = await startTestServer({ modules: MODULES, dataDir, env: { OSPREY_METADATA_URL: url } });
  await s.stop();
  const after = await osprey(['doctor', '--data-dir', dataDir], { ...PORTS, OSPREY_METADATA_URL: url });
  assert.equal(after.code, 0, after.stdout + after.stderr);
  assert.match(after.stdout, /\[ {2}ok\] metadata schema: PostgreSQL at .*: core at \d+(, modules: [^;]+)?; up to date with this build/);
  const gone = await osprey(['doctor', '--data-dir', dataDir], { ...PORTS, OSPREY_METADATA_URL: url.replace(/\/[^/]*$/, '/no_such_database') });
  assert.equal(gone.code, 1);
  assert.match(gone.stdout, /\[fail\] metadata schema: PostgreSQL at .* cannot be read: .*no_such_database/);
});
