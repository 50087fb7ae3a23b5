/**
 * HTTP fuzzing of the awsQuery decoder against the real server: CloudWatch (Version=2010-08-01) and
 * SNS (Version=2010-03-31) form bodies — mutated values and keys (wrong types, huge and negative list
 * indexes, duplicate keys, bad percent-encoding), byte damage, random bytes, any action with random
 * fields. Contract: never 5xx (501 NotImplemented only), errors are <ErrorResponse> XML, answers
 * within ANSWER_MS, the server alive afterwards. Short mode ~350 per service; OSPREY_LONG=1 10×.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { fuzzHttp, reportHttp, runs, sample, sendSigned } from './support.ts';
import { queryRequests } from './requests.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
  const r = await sendSigned(server.url, { label: 'setup', protocol: 'query', service: 'sns', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from('Action=CreateTopic&Version=2010-03-31&Name=fuzz-topic') });
  assert.equal(r.status, 200, r.body.toString());
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('awsQuery (CloudWatch): mutated, hostile and random form bodies never yield a 5xx or a hang', { timeout: 600_000 }, async () => {
  reportHttp('awsQuery CloudWatch', await fuzzHttp(server.url, sample(queryRequests('cloudwatch'), runs(350), 3)));
});

test('awsQuery (SNS): mutated, hostile and random form bodies never yield a 5xx or a hang', { timeout: 600_000 }, async () => {
  reportHttp('awsQuery SNS', await fuzzHttp(server.url, sample(queryRequests('sns'), runs(350), 4)));
});

test('the server is still healthy', async () => {
  const res = await fetch(`${server.url}/_osprey/health`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200);
  assert.equal(server.child.exitCode, null);
});
