import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DescribeLogGroupsResponse, GetLogEventsResponse, OutputLogEvent, PutLogEventsResponse } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, awsEnv, ROOT, type TestServer } from './helpers/server.ts';
import { makeEvents } from './helpers/logs.ts';

const run = promisify(execFile);
let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

/** The two CLIs of protocols.md: v1 on PATH (botocore 1.43) and Debian's v2.9.19. */
const CLIS = [
  { name: 'aws (CLI v1 on PATH)', bin: 'aws' },
  { name: '/usr/bin/aws (CLI v2.9.19)', bin: '/usr/bin/aws' },
];

/** Runs a CLI command and parses its JSON output, which has the operation's output shape. */
async function cli<T = unknown>(bin: string, args: string[]): Promise<T> {
  const { stdout } = await run(bin, [...args, '--endpoint-url', server.url, '--output', 'json'], {
    env: awsEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return (stdout.trim() ? JSON.parse(stdout) : {}) as T;
}

for (const { name, bin } of CLIS) {
  test(`${name}: put 10,000 events and read them back in order both ways`, { skip: bin.startsWith('/') && !existsSync(bin) ? `${bin} not installed` : false }, async () => {
    const group = `/cli/${bin.replace(/\W/g, '')}`;
    await cli(bin, ['logs', 'create-log-group', '--log-group-name', group]);
    await cli(bin, ['logs', 'create-log-stream', '--log-group-name', group, '--log-stream-name', 's1']);
    const events = makeEvents(10_000, Date.now() - 3_600_000, 'cli');
    const file = join(mkdtempSync(join(tmpdir(), 'osprey-cli-')), 'events.json');
    writeFileSync(file, JSON.stringify(events));
    const put = await cli<PutLogEventsResponse>(bin, ['logs', 'put-log-events', '--log-group-name', group, '--log-stream-name', 's1', '--log-events', `file://${file}`]);
    assert.equal(put.rejectedLogEventsInfo, undefined);

    const page = (extra: string[]) =>
      cli<GetLogEventsResponse>(bin, ['logs', 'get-log-events', '--log-group-name', group, '--log-stream-name', 's1', '--limit', '2500', ...extra]);
    const forward: OutputLogEvent[] = [];
    let token: string | undefined;
    for (;;) {
      const p = await page(['--start-from-head', ...(token ? ['--next-token', token] : [])]);
      forward.push(...p.events!);
      if (p.nextForwardToken === token) break;
      token = p.nextForwardToken;
    }
    assert.deepEqual(forward.map((e) => [e.timestamp, e.message]), events.map((e) => [e.timestamp, e.message]));

    const pages: OutputLogEvent[][] = [];
    token = undefined;
    for (;;) {
      const p = await page(['--no-start-from-head', ...(token ? ['--next-token', token] : [])]);
      pages.unshift(p.events!);
      if (p.nextBackwardToken === token) break;
      token = p.nextBackwardToken;
    }
    assert.deepEqual(pages.flat().map((e) => [e.timestamp, e.message]), events.map((e) => [e.timestamp, e.message]));

    const groups = await cli<DescribeLogGroupsResponse>(bin, ['logs', 'describe-log-groups', '--log-group-name-prefix', group]);
    assert.equal(groups.logGroups![0]!.logGroupName, group);
    await assert.rejects(cli(bin, ['logs', 'create-log-group', '--log-group-name', group]), /ResourceAlreadyExistsException/);
  });
}

const PYTHONS = [
  { name: 'boto3 1.43 (python3 on PATH)', bin: 'python3' },
  { name: 'boto3 1.26 (/usr/bin/python3)', bin: '/usr/bin/python3' },
];

for (const { name, bin } of PYTHONS) {
  test(`${name}: put 10,000 events and read them back in order both ways`, async () => {
    const group = `/boto/${bin.replace(/\W/g, '')}`;
    const { stdout } = await run(bin, [join(ROOT, 'test', 'clients', 'logs_roundtrip.py'), server.url, group], { env: awsEnv() });
    const summary = JSON.parse(stdout);
    assert.deepEqual(
      { forward: summary.forward_ok, backward: summary.backward_ok, count: summary.count, dup: summary.duplicate_error },
      { forward: true, backward: true, count: 10_000, dup: 'ResourceAlreadyExistsException' },
    );
  });
}
