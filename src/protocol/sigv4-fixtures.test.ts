/**
 * Replays every request captured from the real clients (shared/protocol-captures/raw/*.jsonl): each
 * signed one must verify with the secret the captures were made with and fail with any other.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AuthFailure, verifySigV4, type Credential, type SigV4Request } from './sigv4.ts';

const RAW_DIR = fileURLToPath(new URL('../../../shared/protocol-captures/raw/', import.meta.url));

interface CapturedRequest {
  method?: string;
  url?: string;
  rawHeaders?: string[];
  headers?: Record<string, string | string[]>;
  body?: string;
  bodyHex?: string;
}

const keyring = (secret: string) => (accessKeyId: string): Credential | undefined =>
  accessKeyId === 'AKIDEXAMPLE'
    ? { accessKeyId, secretAccessKey: secret, accountId: '000000000000', principalArn: 'arn:aws:iam::000000000000:root' }
    : undefined;

/** What Node's `req.headersDistinct` would give for these raw headers. */
function headersDistinct(rawHeaders: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) (out[rawHeaders[i]!.toLowerCase()] ??= []).push(rawHeaders[i + 1]!);
  return out;
}

function toRequest(r: Required<Pick<CapturedRequest, 'method' | 'url'>> & CapturedRequest, headers: SigV4Request['headers']): SigV4Request {
  const q = r.url.indexOf('?');
  return {
    method: r.method,
    path: q < 0 ? r.url : r.url.slice(0, q),
    rawQuery: q < 0 ? '' : r.url.slice(q + 1),
    headers,
    body: r.bodyHex !== undefined ? Buffer.from(r.bodyHex, 'hex') : Buffer.from(r.body ?? '', 'utf8'),
  };
}

/** The captures were made on 2026-11-22, so "now" is the moment each request says it was signed. */
function signingTime(headers: Record<string, string[]>): Date {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(headers['x-amz-date']?.[0] ?? '');
  assert.ok(m, 'captured request has an X-Amz-Date');
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

const files = existsSync(RAW_DIR) ? readdirSync(RAW_DIR).filter((f) => f.endsWith('.jsonl')).sort() : [];
if (files.length === 0) test('captured client requests replay', { skip: `no captures at ${RAW_DIR}` }, () => {});

let signedCount = 0;
for (const file of files) {
  const lines = readFileSync(RAW_DIR + file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const r = JSON.parse(line) as CapturedRequest;
    if (r.method === undefined || r.url === undefined || r.rawHeaders === undefined) return; // UDP datagrams
    const rec = { ...r, method: r.method, url: r.url };
    const distinct = headersDistinct(r.rawHeaders);
    const what = `${file}:${i + 1} ${r.method} ${r.url} ${distinct['x-amz-target']?.[0] ?? ''}`.trim();

    if (distinct.authorization === undefined) {
      test(`unsigned capture ${what} is missing authentication`, () => {
        assert.throws(() => verifySigV4(toRequest(rec, distinct), keyring('secret'), { now: new Date() }),
          (e: unknown) => e instanceof AuthFailure && e.kind === 'missing');
      });
      return;
    }

    signedCount++;
    test(`captured ${what} verifies with the right secret and fails with a wrong one`, () => {
      const now = signingTime(distinct);
      // Both header shapes a Node server can hand over: headersDistinct and the plain req.headers.
      for (const headers of [distinct, r.headers ?? {}]) {
        const id = verifySigV4(toRequest(rec, headers), keyring('secret'), { now });
        assert.equal(id.accessKeyId, 'AKIDEXAMPLE');
        assert.equal(id.region, 'us-east-1');
        assert.throws(() => verifySigV4(toRequest(rec, headers), keyring('secret2'), { now }),
          (e: unknown) => e instanceof AuthFailure && e.kind === 'bad-signature');
      }
    });
  });
}

if (files.length > 0) {
  test('the captures hold signed requests to replay', () => {
    assert.ok(signedCount > 0, 'no signed requests found in the captures');
  });
}
