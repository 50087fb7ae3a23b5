/**
 * HTTP fuzzing of the restJson1 decoder (X-Ray: POST /TraceSegments and friends; Synthetics: PATCH, DELETE and names in the URI; the X-Ray Insights
 * operations still answer 501 NotImplemented), of gzip bodies (Content-Encoding: gzip: corrupt,
 * truncated, double-compressed, lying encodings, gzip of mutated JSON) and of garbage headers (random
 * content-type, target, encoding, smithy-protocol, unsigned and badly signed requests), plus raw
 * malformed HTTP on a socket. Contract: never 5xx (501 NotImplemented only), errors well-formed in
 * the protocol's format, answers within ANSWER_MS, the server alive afterwards.
 * Short mode ~300 requests per group; OSPREY_LONG=1 10×.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { fuzzHttp, mutatedBytes, reportHttp, runs, sample, type FuzzRequest, type WireProtocol } from './support.ts';
import { CW_INPUTS, jsonRequests, restJsonRequests, CBOR_PATH } from './requests.ts';
import { encode as cborEncode } from 'cbor-x';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});

after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('restJson1 (X-Ray, Synthetics): mutated, random and misrouted requests never yield a 5xx other than 501 NotImplemented', { timeout: 600_000 }, async () => {
  reportHttp('restJson1 X-Ray+Synthetics', await fuzzHttp(server.url, sample(restJsonRequests(), runs(300), 6)));
});

test('gzip bodies: corrupt, truncated, lying and nested compression never yield a 5xx or a hang', { timeout: 600_000 }, async () => {
  const base = fc.oneof(jsonRequests('logs'), jsonRequests('cloudwatch'));
  const gz = base.chain((r) =>
    fc.oneof(
      fc.constant<FuzzRequest>({ ...r, label: `gzip ${r.label}`, headers: { ...r.headers, 'content-encoding': 'gzip' }, body: gzipSync(r.body) }),
      mutatedBytes(gzipSync(r.body)).map((b): FuzzRequest => ({ ...r, label: `gzip-damaged ${r.label}`, headers: { ...r.headers, 'content-encoding': 'gzip' }, body: b })),
      fc.nat().map((n): FuzzRequest => {
        const z = gzipSync(r.body);
        return { ...r, label: `gzip-truncated ${r.label}`, headers: { ...r.headers, 'content-encoding': 'gzip' }, body: z.subarray(0, n % (z.length + 1)) };
      }),
      fc.constant<FuzzRequest>({ ...r, label: `gzip-twice ${r.label}`, headers: { ...r.headers, 'content-encoding': 'gzip' }, body: gzipSync(gzipSync(r.body)) }),
      fc.constant<FuzzRequest>({ ...r, label: `gzip-lying ${r.label}`, headers: { ...r.headers, 'content-encoding': 'gzip' }, body: r.body }),
      fc.constantFrom('GZIP', ' gzip ', 'gzip, gzip', 'deflate', 'br', 'x-gzip', 'identity', 'compress', '', 'gzip;q=1').map((enc): FuzzRequest => ({ ...r, label: `encoding '${enc}' ${r.label}`, headers: { ...r.headers, 'content-encoding': enc }, body: gzipSync(r.body) })),
      fc.constant<FuzzRequest>({ ...r, label: `gzip-empty-member ${r.label}`, headers: { ...r.headers, 'content-encoding': 'gzip' }, body: Buffer.concat([gzipSync(Buffer.alloc(0)), gzipSync(r.body)]) }),
    ),
  );
  const cborGz = fc.constantFrom(...Object.entries(CW_INPUTS)).map(([op, v]): FuzzRequest => ({
    label: `gzip cbor ${op}`, protocol: 'cbor', service: 'monitoring', path: CBOR_PATH(op),
    headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'content-encoding': 'gzip', 'x-amzn-query-mode': 'true' },
    body: gzipSync(Buffer.from(cborEncode(v))).subarray(0, 20),
  }));
  reportHttp('gzip', await fuzzHttp(server.url, sample(fc.oneof({ weight: 9, arbitrary: gz }, { weight: 1, arbitrary: cborGz }), runs(300), 7)));
});

test('garbage headers and signatures never yield a 5xx or a hang', { timeout: 600_000 }, async () => {
  const token = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
  const headerValue = fc.oneof(
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 }),
    fc.constantFrom('', ' ', 'application/x-amz-json-1.1', 'application/cbor', 'application/x-www-form-urlencoded', 'rpc-v2-cbor', 'gzip', 'Logs_20140328.', '.', 'Logs_20140328.CreateLogGroup.x', 'GraniteServiceVersion20100801.ListMetrics', 'x'.repeat(8000)),
    fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 10 }), // latin-1 bytes
  );
  const names = fc.constantFrom('content-type', 'x-amz-target', 'content-encoding', 'smithy-protocol', 'x-amzn-query-mode', 'accept', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'transfer-encoding-x', 'x-amz-user-agent');
  const base = fc.oneof(
    jsonRequests('logs'),
    jsonRequests('cloudwatch'),
    fc.constant<FuzzRequest>({ label: 'query', protocol: 'query', service: 'monitoring', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from('Action=ListMetrics&Version=2010-08-01') }),
    fc.constant<FuzzRequest>({ label: 'cbor', protocol: 'cbor', service: 'monitoring', path: CBOR_PATH('ListMetrics'), headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' }, body: Buffer.from([0xa0]) }),
  );
  const protocolFor = (h: Record<string, string>, fallback: WireProtocol): WireProtocol => {
    const ct = (h['content-type'] ?? '').toLowerCase();
    if (h['smithy-protocol'] === 'rpc-v2-cbor') return 'cbor';
    if (h['x-amz-target'] !== undefined) return 'json';
    if (ct.startsWith('application/x-www-form-urlencoded')) return 'query';
    return fallback;
  };
  const garbage = fc.tuple(base, fc.array(fc.tuple(names, headerValue), { minLength: 1, maxLength: 4 }), fc.array(fc.tuple(token, headerValue), { maxLength: 3 }), fc.constantFrom('signed', 'signed', 'signed', 'unsigned', 'wrong-service', 'bad-auth')).map(
    ([r, known, extra, mode]): FuzzRequest => {
      const headers = { ...r.headers };
      for (const [k, v] of known) headers[k] = v;
      for (const [k, v] of extra) if (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(k) && !['host', 'content-length', 'connection', 'transfer-encoding', 'upgrade', 'keep-alive', 'expect', 'te', 'trailer'].includes(k.toLowerCase())) headers[k] = v;
      if (mode === 'bad-auth') headers.authorization = 'AWS4-HMAC-SHA256 Credential=test/20990101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=00';
      return { ...r, label: `headers(${mode}) ${r.label}`, headers, protocol: protocolFor(headers, r.protocol), service: mode === 'wrong-service' ? 'sns' : r.service, sign: mode === 'signed' || mode === 'wrong-service' };
    },
  );
  const stats = await fuzzHttp(server.url, sample(garbage, runs(300), 8));
  // Headers can make a request look like another protocol (or none); a 4xx in any AWS error format is fine.
  stats.failures = stats.failures.filter((f) => !/is not a (json|query|cbor|rest-json) error/.test(f) || /status 5/.test(f));
  reportHttp('garbage headers', stats);
});

test('raw malformed HTTP on a socket gets a 4xx or a closed connection, never a crash', async () => {
  const { port } = server;
  const raw = [
    'GARBAGE\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n0123456789',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
    `POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: ${'A'.repeat(70_000)}\r\n\r\n`,
    'POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: Logs_20140328.CreateLogGroup\r\nContent-Type: application/x-amz-json-1.1\r\nAuthorization: AWS4-HMAC-SHA256 Credential=\u00ff\u00fe/x\r\nContent-Length: 2\r\n\r\n{}',
    'POST / HTTP/1.1\r\nHost: x\r\nBad\u0000Header: 1\r\n\r\n',
    // POST /service/%/operation/% (malformed percent-encoding) (fixed) is covered by test/fuzz/regressions.test.ts.
    'POST /service/%41/operation/x HTTP/1.1\r\nHost: x\r\nSmithy-Protocol: rpc-v2-cbor\r\nContent-Length: 1\r\n\r\n\u00a0',
    'GET /_osprey/health HTTP/1.1\r\nHost: x\r\n\r\n',
  ];
  for (const req of raw) {
    const answer = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      let out = '';
      s.setTimeout(10_000, () => { s.destroy(); resolve(`${out}<timeout>`); });
      s.on('data', (d) => { out += d.toString('latin1'); if (out.includes('\r\n\r\n')) { s.destroy(); resolve(out); } });
      s.on('error', () => resolve(out || '<error>'));
      s.on('close', () => resolve(out || '<closed>'));
      s.end(Buffer.from(req, 'latin1'));
    });
    const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1];
    assert.ok(status === undefined ? /<(closed|error)>/.test(answer) : Number(status) < 500, `${JSON.stringify(req.slice(0, 120))} → ${answer.slice(0, 200)}`);
  }
});

test('the server is still healthy', async () => {
  const res = await fetch(`${server.url}/_osprey/health`, { signal: AbortSignal.timeout(10_000) });
  assert.equal(res.status, 200);
  assert.equal(server.child.exitCode, null);
});
