/**
 * HTTP fuzzing of the awsJson decoders against the real server: Logs (awsJson1_1,
 * X-Amz-Target Logs_20140328.*) and CloudWatch (awsJson1_0, GraniteServiceVersion20100801.*, with
 * x-amzn-query-mode). Mutated valid bodies of real operations, hostile JSON text, random bytes, any
 * operation with random input and odd targets, all signed with SigV4 so they reach the decoders.
 * Contract: never 5xx (501 NotImplemented only), errors well-formed JSON errors, every answer within
 * ANSWER_MS, the server alive afterwards. Short mode ~350 requests per protocol; OSPREY_LONG=1 10×.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { fuzzHttp, reportHttp, runs, sample, sendSigned } from './support.ts';
import { jsonRequests, LOGS_INPUTS } from './requests.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
  // Seeds for operations that need existing resources.
  for (const [op, body] of [['CreateLogGroup', { logGroupName: 'fuzz-g' }], ['CreateLogStream', { logGroupName: 'fuzz-g', logStreamName: 's' }], ['PutLogEvents', LOGS_INPUTS.PutLogEvents]] as const) {
    const r = await sendSigned(server.url, { label: 'setup', protocol: 'json', service: 'logs', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${op}` }, body: Buffer.from(JSON.stringify(body)) });
    assert.ok(r.status < 300, `${op}: ${r.status} ${r.body}`);
  }
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('awsJson1_1 (Logs): mutated, hostile and random requests never yield a 5xx or a hang', { timeout: 600_000 }, async () => {
  reportHttp('awsJson1_1 Logs', await fuzzHttp(server.url, sample(jsonRequests('logs'), runs(350), 1)));
});

test('awsJson1_0 (CloudWatch, x-amzn-query-mode): mutated, hostile and random requests never yield a 5xx or a hang', { timeout: 600_000 }, async () => {
  reportHttp('awsJson1_0 CloudWatch', await fuzzHttp(server.url, sample(jsonRequests('cloudwatch'), runs(350), 2)));
});

test('awsJson1_1 (Athena): mutated requests and hostile SQL never yield a 5xx or a hang', { timeout: 600_000 }, async () => {
  reportHttp('awsJson1_1 Athena', await fuzzHttp(server.url, sample(jsonRequests('athena'), runs(200), 3)));
});

test('the server is still healthy', async () => {
  const res = await fetch(`${server.url}/_osprey/health`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { status: string }).status, 'ok');
  assert.equal(server.child.exitCode, null);
});
