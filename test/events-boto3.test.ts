/**
 * boto3 1.26 (Debian /usr/bin/python3) drives the EventBridge, Scheduler and Schemas operations it
 * knows (test/clients/eventbridge_boto3.py): what a Python user's scripts see, parsed by botocore.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { awsEnv, ROOT, startTestServer, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
let server: TestServer;

before(async () => {
  server = await startTestServer({ modules: ['events', 'scheduler', 'schemas'] });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('boto3 1.26: EventBridge buses, rules, targets, events, archives, replays, connections, API destinations; Scheduler; Schemas', async () => {
  const { stdout } = await run('/usr/bin/python3', [join(ROOT, 'test', 'clients', 'eventbridge_boto3.py'), server.url], { env: awsEnv(), timeout: 120_000 });
  const out = JSON.parse(stdout) as Record<string, unknown>;
  assert.deepEqual(out, {
    bus: true, buses: ['py-bus'], policy: 'partner', disabled: 'DISABLED', targets: ['t1'], by_target: ['py-rule'], rules: ['py-rule'],
    tags: [{ Key: 'env', Value: 'dev' }], put: [1, 'NotAuthorizedForSourceException'],
    archive: true, archives: ['py-archive'], replay: 'py-replay', replays: ['py-replay'], cancel: out.cancel,
    conn: { ApiKeyAuthParameters: { ApiKeyName: 'x-key' } }, conns: ['py-conn'], dest: true, dests: ['py-dest'],
    pattern: true, bad_pattern: 'InvalidEventPatternException', gone: 'ResourceNotFoundException',
    group: 'py-group', schedule: 'Europe/Paris', schedules: ['py-s'], groups: ['default', 'py-group'], sch_tags: [{ Key: 'k', Value: 'v' }],
    bad_cron: 'ValidationException',
    schema: '1', search: ['py-schema'], versions: ['1'], registries: true, no_registry: 'NotFoundException',
  });
  // A replay either completed before CancelReplay (AWS refuses to cancel it) or was cancelled.
  assert.ok(out.cancel === null || out.cancel === 'IllegalStatusException', String(out.cancel));
});
