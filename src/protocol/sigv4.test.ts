import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { ServiceError } from './errors.ts';
import {
  AuthFailure, authError, credentialScope, verifySigV4,
  type AuthFailureKind, type Credential, type SigV4Request,
} from './sigv4.ts';

const ACCOUNT = '000000000000';
const keyring = (secret: string) => (accessKeyId: string): Credential | undefined =>
  accessKeyId === 'AKIDEXAMPLE'
    ? { accessKeyId, secretAccessKey: secret, accountId: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root` }
    : undefined;

function expectFailure(fn: () => unknown, kind: AuthFailureKind, message?: string | RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AuthFailure, `expected an AuthFailure, got ${String(e)}`);
    assert.equal(e.kind, kind, e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// The worked example in protocols.md §5 (SDK v3 Logs PutLogEvents, secret `secret`).

const putLogEventsBody = '{"logGroupName":"/app/test","logStreamName":"s1","logEvents":[{"timestamp":1767323045000,"message":"hello world"}]}';
const putLogEvents = (body = putLogEventsBody): SigV4Request => ({
  method: 'POST',
  path: '/',
  rawQuery: '',
  headers: {
    'amz-sdk-invocation-id': 'ffa8df31-3022-4b61-b8e2-2bb45fe3cfe3',
    'amz-sdk-request': 'attempt=1; max=1',
    'content-length': '115',
    'content-type': 'application/x-amz-json-1.1',
    host: '127.0.0.1:42103',
    'x-amz-content-sha256': '8ab3eeba8b50b69f8f9b82b50e4796fcf465c2a15b0b88f8b6fb29d571bd5bdd',
    'x-amz-date': '20261122T033551Z',
    'x-amz-target': 'Logs_20140328.PutLogEvents',
    'x-amz-user-agent': 'aws-sdk-js/3.1168.0',
    authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/logs/aws4_request, ' +
      'SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target;x-amz-user-agent, ' +
      'Signature=2bc528991e09d6e78c4b7704a8701279b48385e8d67b9ad6128d98ff90e34d2f',
  },
  body: Buffer.from(body),
});
const putLogEventsNow = { now: new Date('2026-11-22T03:35:51Z') };

test('the protocols.md worked example (SDK v3 PutLogEvents) verifies and names the caller', () => {
  const id = verifySigV4(putLogEvents(), keyring('secret'), putLogEventsNow);
  assert.deepEqual(id, {
    accessKeyId: 'AKIDEXAMPLE', accountId: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root`,
    region: 'us-east-1', service: 'logs', signedAt: new Date('2026-11-22T03:35:51Z'),
  });
});

test('the worked example fails with a wrong secret', () => {
  expectFailure(() => verifySigV4(putLogEvents(), keyring('not-the-secret'), putLogEventsNow), 'bad-signature',
    /^The request signature we calculated does not match the signature you provided\./);
});

test('a body that no longer matches the signed x-amz-content-sha256 is a hash mismatch', () => {
  const tampered = putLogEventsBody.replace('hello world', 'HELLO WORLD');
  expectFailure(() => verifySigV4(putLogEvents(tampered), keyring('secret'), putLogEventsNow), 'hash-mismatch',
    /x-amz-content-sha256' header does not match what was computed/);
});

// ---------------------------------------------------------------------------------------------
// The AWS SigV4 test suite (aws-sig-v4-test-suite / aws-c-auth v4): published signatures for
// secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, signed 20150830T123600Z for us-east-1/service.

interface SuiteCase {
  name: string;
  method?: string;
  rawQuery?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  signedHeaders?: string;
  signature: string;
}
const suiteCases: SuiteCase[] = [
  { name: 'get-vanilla', signature: '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31' },
  { name: 'get-vanilla-query-order-key-case', rawQuery: 'Param2=value2&Param1=value1',
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500' },
  { name: 'get-vanilla-query-order-encoded', rawQuery: 'Param-3=Value3&Param=Value2&%E1%88%B4=Value1',
    signature: '371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac' },
  { name: 'get-vanilla-utf8-query', rawQuery: '%E1%88%B4=bar',
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04' },
  { name: 'get-vanilla-query-unreserved',
    rawQuery: '-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
    signature: '9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197' },
  { name: 'get-vanilla-with-session-token',
    headers: { 'x-amz-security-token': '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267' },
    signedHeaders: 'host;x-amz-date;x-amz-security-token',
    signature: '07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8' },
  { name: 'get-header-key-duplicate', headers: { 'my-header1': ['value2', 'value2', 'value1'] },
    signedHeaders: 'host;my-header1;x-amz-date', signature: 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea' },
  { name: 'get-header-value-order', headers: { 'my-header1': ['value4', 'value1', 'value3', 'value2'] },
    signedHeaders: 'host;my-header1;x-amz-date', signature: '08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01' },
  { name: 'get-header-value-trim', headers: { 'my-header1': ' value1', 'my-header2': ' "a   b   c"' },
    signedHeaders: 'host;my-header1;my-header2;x-amz-date', signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736' },
  { name: 'post-vanilla', method: 'POST', signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b' },
  { name: 'post-vanilla-query', method: 'POST', rawQuery: 'Param1=value1',
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11' },
  { name: 'post-header-value-case', method: 'POST', headers: { 'my-header1': 'VALUE1' },
    signedHeaders: 'host;my-header1;x-amz-date', signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d' },
  // botocore's shape: no x-amz-content-sha256, so the server hashes the body itself.
  { name: 'post-x-www-form-urlencoded (2015 suite)', method: 'POST', body: 'Param1=value1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    signedHeaders: 'content-type;host;x-amz-date', signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a' },
  { name: 'post-x-www-form-urlencoded (v4 suite)', method: 'POST', body: 'Param1=value1',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '13',
      'x-amz-content-sha256': '9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e' },
    signedHeaders: 'content-length;content-type;host;x-amz-content-sha256;x-amz-date',
    signature: 'd3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b' },
];
const SUITE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SUITE_TIME = new Date('2015-08-30T12:36:00Z');

function suiteRequest(c: SuiteCase, authorization?: string): SigV4Request {
  return {
    method: c.method ?? 'GET',
    path: '/',
    rawQuery: c.rawQuery ?? '',
    headers: {
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      ...c.headers,
      authorization: authorization ?? 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ' +
        `SignedHeaders=${c.signedHeaders ?? 'host;x-amz-date'}, Signature=${c.signature}`,
    },
    body: Buffer.from(c.body ?? ''),
  };
}
const getVanilla = suiteCases[0]!;

for (const c of suiteCases) {
  test(`AWS test-suite vector ${c.name} verifies, and fails with a wrong secret`, () => {
    const id = verifySigV4(suiteRequest(c), keyring(SUITE_SECRET), { now: SUITE_TIME });
    assert.equal(id.service, 'service');
    assert.equal(id.region, 'us-east-1');
    expectFailure(() => verifySigV4(suiteRequest(c), keyring('wrong'), { now: SUITE_TIME }), 'bad-signature');
  });
}

test('a signature differing in one character, in case or in length is rejected', () => {
  const sig = getVanilla.signature;
  for (const bad of [`${sig.slice(0, -1)}0`, sig.toUpperCase(), sig.slice(0, 63), `${sig}0`, '']) {
    const req = suiteRequest(getVanilla, `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${bad || 'x'}`);
    expectFailure(() => verifySigV4(req, keyring(SUITE_SECRET), { now: SUITE_TIME }), 'bad-signature');
  }
});

test('a signed header value changed in transit is a bad signature', () => {
  const req = suiteRequest(suiteCases.find((c) => c.name === 'post-header-value-case')!);
  req.headers['my-header1'] = 'value1';
  expectFailure(() => verifySigV4(req, keyring(SUITE_SECRET), { now: SUITE_TIME }), 'bad-signature');
});

test('the region and service come from the credential scope (any region is accepted)', () => {
  const req = suiteRequest(getVanilla, 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + getVanilla.signature);
  // Same signature, different scope: the scope is part of what is signed.
  expectFailure(() => verifySigV4(req, keyring(SUITE_SECRET), { now: SUITE_TIME }), 'bad-signature');
});

// ---------------------------------------------------------------------------------------------
// Clock skew

test('a request signed exactly 15 minutes ago is still accepted', () => {
  verifySigV4(suiteRequest(getVanilla), keyring(SUITE_SECRET), { now: new Date('2015-08-30T12:51:00Z') });
  verifySigV4(suiteRequest(getVanilla), keyring(SUITE_SECRET), { now: new Date('2015-08-30T12:21:00Z') });
});

test('a request signed more than 15 minutes ago has an expired signature, in AWS wording', () => {
  expectFailure(() => verifySigV4(suiteRequest(getVanilla), keyring(SUITE_SECRET), { now: new Date('2015-08-30T12:51:01Z') }),
    'expired', 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)');
});

test('a request signed more than 15 minutes in the future is not yet current, in AWS wording', () => {
  expectFailure(() => verifySigV4(suiteRequest(getVanilla), keyring(SUITE_SECRET), { now: new Date('2015-08-30T12:20:59Z') }),
    'expired', 'Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T122059Z + 15 min.)');
});

test('maxSkewMs narrows the window and shows in the message', () => {
  expectFailure(() => verifySigV4(suiteRequest(getVanilla), keyring(SUITE_SECRET), { now: new Date('2015-08-30T12:41:01Z'), maxSkewMs: 5 * 60_000 }),
    'expired', 'Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T124101Z - 5 min.)');
});

// ---------------------------------------------------------------------------------------------
// Missing, unknown and malformed credentials

test('a request with no Authorization header and no X-Amz-* query is missing authentication', () => {
  expectFailure(() => verifySigV4({ method: 'POST', path: '/', rawQuery: 'Action=ListTopics', headers: { host: 'h' }, body: Buffer.alloc(0) },
    keyring('secret'), { now: SUITE_TIME }), 'missing');
});

test('an unknown access key is rejected before any signature maths', () => {
  expectFailure(() => verifySigV4(suiteRequest(getVanilla), () => undefined, { now: SUITE_TIME }),
    'unknown-key', 'The security token included in the request is invalid.');
});

const cred = 'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request';
const sig = `Signature=${getVanilla.signature}`;
const malformedHeaders: Array<[string, Record<string, string | string[]>, RegExp]> = [
  ['a Bearer token', { authorization: 'Bearer abc' },
    /^Authorization header requires 'Credential' parameter\. Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\. .*Authorization=Bearer abc$/],
  ['no SignedHeaders or Signature', { authorization: `AWS4-HMAC-SHA256 ${cred}` },
    /requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\./],
  ['no X-Amz-Date header', { authorization: `AWS4-HMAC-SHA256 ${cred}, SignedHeaders=host, ${sig}`, 'x-amz-date': [] },
    /requires existence of a 'X-Amz-Date' header/],
  ['a credential with four elements', { authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/aws4_request, SignedHeaders=host;x-amz-date, ${sig}` },
    /^Credential must have exactly 5 slash-delimited elements, e\.g\. keyid\/date\/region\/service\/term, got 'AKIDEXAMPLE\/20150830\/us-east-1\/aws4_request'$/],
  ['a wrong scope terminator', { authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws5_request, SignedHeaders=host;x-amz-date, ${sig}` },
    /valid terminator: 'aws4_request', not 'aws5_request'/],
  ['a credential date other than the X-Amz-Date day', { authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150829/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ${sig}` },
    /^Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20150829' != '20150830', from '20150830T123600Z'\.$/],
  ['an unsigned Host', { authorization: `AWS4-HMAC-SHA256 ${cred}, SignedHeaders=x-amz-date, ${sig}` },
    /'Host' or ':authority' must be a 'SignedHeader'/],
  ['an extended-format X-Amz-Date', { 'x-amz-date': '2015-08-30T12:36:00Z' }, /^Date must be in ISO-8601 'basic format'\. Got '2015-08-30T12:36:00Z'/],
  ['an impossible X-Amz-Date', { 'x-amz-date': '20150832T123600Z' }, /basic format/],
  ['SigV4a', { authorization: `AWS4-ECDSA-P256-SHA256 ${cred}, SignedHeaders=host;x-amz-date, ${sig}` },
    /Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'/],
  ['two Authorization headers', { authorization: [suiteRequest(getVanilla).headers.authorization as string, 'AWS4-HMAC-SHA256 x'] },
    /more than one 'authorization' header/],
];
for (const [what, headers, message] of malformedHeaders) {
  test(`an Authorization header with ${what} is an incomplete signature`, () => {
    const req = suiteRequest(getVanilla);
    for (const [k, v] of Object.entries(headers)) req.headers[k] = Array.isArray(v) && v.length === 0 ? undefined : v;
    expectFailure(() => verifySigV4(req, keyring(SUITE_SECRET), { now: SUITE_TIME }), 'malformed', message);
  });
}

test('a request carrying both an Authorization header and a presigned query is malformed', () => {
  const req = { ...suiteRequest(getVanilla), rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' };
  expectFailure(() => verifySigV4(req, keyring(SUITE_SECRET), { now: SUITE_TIME }), 'malformed', /Only one auth mechanism/);
});

// ---------------------------------------------------------------------------------------------
// Requests signed by @smithy/signature-v4, the signer inside SDK v3

/** smithy's hash constructor contract, backed by node:crypto. */
class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const s = this.secret;
    const key = typeof s === 'string' ? s : ArrayBuffer.isView(s) ? Buffer.from(s.buffer, s.byteOffset, s.byteLength) : Buffer.from(s);
    return createHmac('sha256', key);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

const signer = new SignatureV4({
  service: 'sns', region: 'eu-west-1', sha256: NodeSha256,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const signedAt = new Date('2026-11-22T03:40:00Z');
const later = (seconds: number) => ({ now: new Date(signedAt.getTime() + seconds * 1000) });

/** The query string the SDK's HTTP handler puts on the wire (smithy's buildQueryString). */
function wireQuery(query: Record<string, string | string[] | null>): string {
  const esc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return Object.entries(query)
    .flatMap(([k, v]) => (v === null ? [esc(k)] : [v].flat().map((x) => `${esc(k)}=${esc(x)}`)))
    .join('&');
}

interface SmithyRequest {
  method: string; path: string; query: Record<string, string | string[] | null>; headers: Record<string, string>; body?: string;
}
const smithyRequest = (over: Partial<SmithyRequest> = {}) => ({
  method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 4566, path: '/a%20b/c',
  query: { Action: 'ListTopics', Version: '2010-03-31', 'x y': 'p+q/r' } as SmithyRequest['query'],
  headers: { host: '127.0.0.1:4566' } as Record<string, string>, ...over,
});
const toVerifiable = (r: SmithyRequest, body = r.body ?? ''): SigV4Request => ({
  method: r.method, path: r.path, rawQuery: wireQuery(r.query), headers: { ...r.headers }, body: Buffer.from(body),
});

test('a URL presigned by @smithy/signature-v4 verifies within its lifetime', async () => {
  const p = await signer.presign(smithyRequest(), { expiresIn: 300, signingDate: signedAt });
  const id = verifySigV4(toVerifiable(p as SmithyRequest), keyring('secret'), later(60));
  assert.equal(id.service, 'sns');
  assert.equal(id.region, 'eu-west-1');
  assert.deepEqual(id.signedAt, signedAt);
  expectFailure(() => verifySigV4(toVerifiable(p as SmithyRequest), keyring('wrong'), later(60)), 'bad-signature');
});

test('a presigned URL past X-Amz-Expires has expired', async () => {
  const p = await signer.presign(smithyRequest(), { expiresIn: 300, signingDate: signedAt });
  verifySigV4(toVerifiable(p as SmithyRequest), keyring('secret'), later(300));
  expectFailure(() => verifySigV4(toVerifiable(p as SmithyRequest), keyring('secret'), later(301)), 'expired', 'Request has expired');
});

test('a presigned URL used long before it was signed is not yet current', async () => {
  const p = await signer.presign(smithyRequest(), { expiresIn: 300, signingDate: signedAt });
  expectFailure(() => verifySigV4(toVerifiable(p as SmithyRequest), keyring('secret'), later(-16 * 60)), 'expired', /^Signature not yet current/);
});

test('a presigned URL with an edited parameter fails', async () => {
  const p = (await signer.presign(smithyRequest(), { expiresIn: 300, signingDate: signedAt })) as SmithyRequest;
  const edited = { ...p, query: { ...p.query, Action: 'DeleteTopic' } };
  expectFailure(() => verifySigV4(toVerifiable(edited), keyring('secret'), later(1)), 'bad-signature');
});

test('a presigned URL without X-Amz-Expires, or with more than a week, is malformed', async () => {
  const p = (await signer.presign(smithyRequest(), { expiresIn: 300, signingDate: signedAt })) as SmithyRequest;
  const { 'X-Amz-Expires': _drop, ...withoutExpires } = p.query;
  expectFailure(() => verifySigV4(toVerifiable({ ...p, query: withoutExpires }), keyring('secret'), later(1)), 'malformed', /X-Amz-Expires/);
  expectFailure(() => verifySigV4(toVerifiable({ ...p, query: { ...p.query, 'X-Amz-Expires': '604801' } }), keyring('secret'), later(1)),
    'malformed', /X-Amz-Expires must be/);
});

test('a presigned URL may leave its payload unsigned; a header-signed request may not', async () => {
  const unsigned = { headers: { host: '127.0.0.1:4566', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } };
  const p = (await signer.presign(smithyRequest(unsigned), { expiresIn: 300, signingDate: signedAt })) as SmithyRequest;
  verifySigV4(toVerifiable(p, 'any body at all'), keyring('secret'), later(1));

  const s = (await signer.sign(smithyRequest({ ...unsigned, method: 'POST', body: 'x' }), { signingDate: signedAt })) as SmithyRequest;
  expectFailure(() => verifySigV4(toVerifiable(s), keyring('secret'), later(1)), 'hash-mismatch', /'UNSIGNED-PAYLOAD'/);
});

test('a smithy-signed request with an escaped, unnormalised path, a repeated query key and oddly spaced headers verifies', async () => {
  const s = (await signer.sign(smithyRequest({
    method: 'POST', path: '/a%20b/./c//d/../e:f',
    query: { 'x y': 'p+q/r', a: ['2', '1'], empty: '' },
    headers: { host: '127.0.0.1:4566', 'content-type': 'application/json', 'x-custom': '  two   spaces ' },
    body: '{"k":1}',
  }), { signingDate: signedAt })) as SmithyRequest;
  const id = verifySigV4(toVerifiable(s), keyring('secret'), later(1));
  assert.equal(id.service, 'sns');
  // Dot segments and doubled slashes are normalised away on both sides; any other path change is not.
  verifySigV4({ ...toVerifiable(s), path: '/a%20b/c/e:f' }, keyring('secret'), later(1));
  expectFailure(() => verifySigV4({ ...toVerifiable(s), path: '/a%20b/c/d/e:f' }, keyring('secret'), later(1)), 'bad-signature');
  expectFailure(() => verifySigV4({ ...toVerifiable(s), path: '/a%2520b/c/e:f' }, keyring('secret'), later(1)), 'bad-signature');
});

// ---------------------------------------------------------------------------------------------
// credentialScope

test('credentialScope reads the scope from the Authorization header without checking anything else', () => {
  assert.deepEqual(credentialScope({ headers: { authorization: `AWS4-HMAC-SHA256 ${cred}` }, rawQuery: '' }),
    { accessKeyId: 'AKIDEXAMPLE', date: '20150830', region: 'us-east-1', service: 'service' });
});

test('credentialScope reads the scope from a presigned query', () => {
  assert.deepEqual(credentialScope({ headers: {}, rawQuery: 'Action=X&X-Amz-Credential=AKID%2F20261122%2Feu-west-1%2Fsns%2Faws4_request' }),
    { accessKeyId: 'AKID', date: '20261122', region: 'eu-west-1', service: 'sns' });
});

test('credentialScope is undefined for unsigned or unparseable requests', () => {
  assert.equal(credentialScope({ headers: {}, rawQuery: '' }), undefined);
  assert.equal(credentialScope({ headers: { authorization: 'Bearer x' }, rawQuery: '' }), undefined);
  assert.equal(credentialScope({ headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1' }, rawQuery: '' }), undefined);
});

// ---------------------------------------------------------------------------------------------
// authError

const SIGNATURE_MESSAGE = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const mappings: Array<[AuthFailure, 'json' | 'query' | 'rest', string, number, string]> = [
  [new AuthFailure('missing', 'x'), 'json', 'MissingAuthenticationTokenException', 403, 'Missing Authentication Token'],
  [new AuthFailure('missing', 'x'), 'rest', 'MissingAuthenticationTokenException', 403, 'Missing Authentication Token'],
  [new AuthFailure('missing', 'x'), 'query', 'MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
  [new AuthFailure('malformed', 'm'), 'json', 'IncompleteSignatureException', 400, 'm'],
  [new AuthFailure('malformed', 'm'), 'rest', 'IncompleteSignatureException', 400, 'm'],
  [new AuthFailure('malformed', 'm'), 'query', 'IncompleteSignature', 400, 'm'],
  [new AuthFailure('unknown-key', 'k'), 'json', 'UnrecognizedClientException', 403, 'k'],
  [new AuthFailure('unknown-key', 'k'), 'rest', 'UnrecognizedClientException', 403, 'k'],
  [new AuthFailure('unknown-key', 'k'), 'query', 'InvalidClientTokenId', 403, 'k'],
  [new AuthFailure('bad-signature', SIGNATURE_MESSAGE), 'json', 'InvalidSignatureException', 403, SIGNATURE_MESSAGE],
  [new AuthFailure('bad-signature', SIGNATURE_MESSAGE), 'rest', 'InvalidSignatureException', 403, SIGNATURE_MESSAGE],
  [new AuthFailure('bad-signature', SIGNATURE_MESSAGE), 'query', 'SignatureDoesNotMatch', 403, SIGNATURE_MESSAGE],
  [new AuthFailure('expired', 'e'), 'json', 'InvalidSignatureException', 403, 'e'],
  [new AuthFailure('expired', 'e'), 'rest', 'InvalidSignatureException', 403, 'e'],
  [new AuthFailure('expired', 'e'), 'query', 'SignatureDoesNotMatch', 403, 'e'],
  [new AuthFailure('hash-mismatch', 'h'), 'json', 'InvalidSignatureException', 403, 'h'],
  [new AuthFailure('hash-mismatch', 'h'), 'rest', 'InvalidSignatureException', 403, 'h'],
  [new AuthFailure('hash-mismatch', 'h'), 'query', 'SignatureDoesNotMatch', 403, 'h'],
];
for (const [failure, family, code, status, message] of mappings) {
  test(`authError maps ${failure.kind} to ${code} ${status} for ${family} clients`, () => {
    const e = authError(failure, family);
    assert.ok(e instanceof ServiceError);
    assert.deepEqual({ code: e.code, status: e.status, sender: e.sender, message: e.message }, { code, status, sender: true, message });
  });
}

test('the failures verifySigV4 raises carry the AWS messages through authError', () => {
  const unknown = (() => { try { verifySigV4(suiteRequest(getVanilla), () => undefined, { now: SUITE_TIME }); } catch (e) { return e; } })();
  assert.ok(unknown instanceof AuthFailure);
  assert.equal(authError(unknown, 'query').message, 'The security token included in the request is invalid.');
  const bad = (() => { try { verifySigV4(suiteRequest(getVanilla), keyring('x'), { now: SUITE_TIME }); } catch (e) { return e; } })();
  assert.ok(bad instanceof AuthFailure);
  assert.equal(authError(bad, 'json').message, SIGNATURE_MESSAGE);
});
