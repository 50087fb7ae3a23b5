/**
 * The benchmarks' lean signer (bench/lib/sigv4-signer.ts) must sign exactly as the SDK does: its
 * numbers are only comparable with an SDK client's if the server does the same verification work.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { BenchSigner } from '../bench/lib/sigv4-signer.ts';
import { SignedJsonClient } from '../bench/lib/signed-client.ts';
import { signedRestClient } from '../bench/lib/signed-rest-client.ts';
import { startTestServer } from './helpers/server.ts';

const cases: Array<{ service: string; path: string; headers: Record<string, string>; body: string }> = [
  { service: 'sqs', path: '/', headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch' }, body: '{"QueueUrl":"q"}' },
  { service: 'xray', path: '/TraceSegments', headers: { host: 'localhost:9', 'content-type': 'application/json', 'x-extra': '  spaced value ' }, body: '{}' },
];

test('signs the bytes @smithy/signature-v4 signs, across a day boundary', async () => {
  for (const at of [Date.UTC(2026, 11, 7, 15, 4, 5, 678), Date.UTC(2026, 11, 8, 0, 0, 1)]) {
    for (const c of cases) {
      const sha256 = hash('sha256', c.body);
      const headers = { ...c.headers, 'content-length': String(c.body.length), 'x-amz-content-sha256': sha256 };
      const ours = new BenchSigner(c.service, 'us-east-1', 'AKID', 'secret', () => at).sign('POST', c.path, headers, sha256);
      const sdk = await new SignatureV4({ service: c.service, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' }, sha256: Hash.bind(null, 'sha256') })
        .sign({ method: 'POST', protocol: 'http:', hostname: 'h', path: c.path, headers, body: c.body }, { signingDate: new Date(at) });
      assert.equal(ours['x-amz-date'], sdk.headers['x-amz-date']);
      assert.equal(ours.authorization, sdk.headers.authorization);
    }
  }
});

test('the server accepts the lean clients\' signatures (JSON and REST)', async (t) => {
  const server = await startTestServer({ modules: ['sqs', 'xray'] });
  t.after(() => server.stop());
  const sqs = new SignedJsonClient(server.url, 'sqs', 'AmazonSQS', '1.0');
  t.after(() => sqs.close());
  const created = await sqs.call('CreateQueue', JSON.stringify({ QueueName: 'signed' }), false);
  assert.equal(created.status, 200, created.body);
  const rest = signedRestClient(server.url, 'xray');
  const res = await rest.post('/TraceSegments', JSON.stringify({ TraceSegmentDocuments: [] }));
  assert.equal(res.status, 200, res.body);
});
