/**
 * Signed calls to AWS services Osprey does not serve (S3, DynamoDB, STS, Lambda…) get a 501
 * NotImplemented naming the service, in the client's protocol, so every client stops at once with a
 * readable message instead of parsing the console's HTML and retrying into "(500) reached max
 * retries". Unsigned browser GETs still get the console.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { startTestServer, awsEnv, ROOT, TEST_CREDENTIALS, type TestServer } from './helpers/server.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const CLIS = [
  { name: 'aws (CLI v1 on PATH)', bin: 'aws' },
  { name: '/usr/bin/aws (CLI v2.9.19)', bin: '/usr/bin/aws' },
];

/** Runs a CLI command expected to fail; resolves with its exit code and stderr. */
function cliFailure(bin: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, [...args, '--endpoint-url', server.url], { env: awsEnv(), timeout: 120_000 }, (err, _stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stderr });
    });
  });
}

const COMMANDS = [
  { args: ['s3', 'ls'], service: 's3', operation: 'ListBuckets' },
  { args: ['dynamodb', 'list-tables'], service: 'dynamodb', operation: 'ListTables' },
  { args: ['sts', 'get-caller-identity'], service: 'sts', operation: 'GetCallerIdentity' },
  { args: ['lambda', 'list-functions'], service: 'lambda', operation: 'ListFunctions' },
];

for (const { name, bin } of CLIS) {
  for (const c of COMMANDS) {
    test(`${name}: \`${c.args.join(' ')}\` fails at once with an error naming '${c.service}'`, {
      skip: bin.startsWith('/') && !existsSync(bin) ? `${bin} not installed` : false,
      timeout: 180_000,
    }, async () => {
      const r = await cliFailure(bin, c.args);
      assert.notEqual(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`\\(NotImplemented\\) when calling the ${c.operation} operation: Osprey does not serve the AWS service '${c.service}'`));
      // Retried answers carry "(reached max retries: N)"; a retried 5xx also took seconds of backoff.
      assert.doesNotMatch(r.stderr, /max retries|\(500\)/);
    });
  }
}

test('SDK v3 S3 ListBuckets: NotImplemented naming s3 after one attempt (not retried)', async () => {
  const s3 = new S3Client({ endpoint: server.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, forcePathStyle: true });
  const err = await s3.send(new ListBucketsCommand({})).then(() => undefined, (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode?: number; attempts?: number } });
  assert.ok(err, 'ListBuckets must fail');
  assert.equal(err.name, 'NotImplemented');
  assert.match(err.message, /does not serve the AWS service 's3'/);
  assert.equal(err.$metadata.httpStatusCode, 501);
  assert.equal(err.$metadata.attempts, 1);
  s3.destroy();
});

test('unsigned browser GETs still get the console, not an AWS error', async () => {
  const res = await fetch(`${server.url}/`, { headers: { Accept: 'text/html' } });
  const body = await res.text();
  assert.notEqual(res.status, 501, body);
  if (existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(body, /<html/i);
  }
});

test('the served services still answer through the same endpoint', async () => {
  const r = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile('aws', ['logs', 'describe-log-groups', '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() }, (err, stdout) =>
      resolve({ code: err ? 1 : 0, stdout }));
  });
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout), { logGroups: [] });
});
