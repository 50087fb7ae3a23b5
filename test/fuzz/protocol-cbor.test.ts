/**
 * HTTP fuzzing of the rpc-v2-cbor decoder against the real server (CloudWatch,
 * POST /service/GraniteServiceVersion20100801/operation/<Op>): mutated valid CBOR inputs (wrong
 * types, NaN/Infinity, bignums, invalid dates, byte strings, maps with non-string keys), byte damage,
 * hand-made hostile items (huge declared lengths, 100k-deep nesting, unterminated indefinite items,
 * value-sharing tags), random bytes and odd paths. Contract: never 5xx (501 NotImplemented only),
 * errors are CBOR maps with __type, answers within ANSWER_MS, the server alive afterwards.
 * Short mode ~400 requests; OSPREY_LONG=1 10×.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { fuzzHttp, reportHttp, runs, sample } from './support.ts';
import { cborRequests } from './requests.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('rpc-v2-cbor (CloudWatch): mutated, hostile and random bodies never yield a 5xx or a hang', { timeout: 600_000 }, async () => {
  reportHttp('rpc-v2-cbor CloudWatch', await fuzzHttp(server.url, sample(cborRequests(), runs(400), 5)));
});

test('the server is still healthy', async () => {
  const res = await fetch(`${server.url}/_osprey/health`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200);
  assert.equal(server.child.exitCode, null);
});
