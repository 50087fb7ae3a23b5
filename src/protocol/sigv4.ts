/**
 * Server-side AWS Signature Version 4 verification (header-signed and presigned requests).
 *
 * The recipe is the one in shared/protocols.md §5, checked against every captured client request.
 * It recomputes the signature from the request exactly as it arrived: the raw path and query, the
 * headers the client says it signed, and the raw body bytes (still gzip-compressed, if they were).
 */
import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import { ServiceError } from './errors.ts';

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  principalArn: string;
}

export interface SigV4Request {
  method: string;
  /** Raw request path without query, as received (still percent-encoded). */
  path: string;
  /** Raw text after '?', '' if none. */
  rawQuery: string;
  /**
   * Lower-case header names. `req.headers` works for everything real clients send; pass
   * `req.headersDistinct` to get exact SigV4 joining of a repeated header (Node joins those with
   * ', ', SigV4 with ',').
   */
  headers: Record<string, string | string[] | undefined>;
  /** Raw body bytes exactly as received (still gzip-compressed if Content-Encoding: gzip). */
  body: Buffer;
}

export interface VerifiedIdentity {
  accessKeyId: string;
  accountId: string;
  principalArn: string;
  region: string;
  service: string;
  signedAt: Date;
}

export type AuthFailureKind = 'missing' | 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' | 'hash-mismatch';

export class AuthFailure extends Error {
  readonly kind: AuthFailureKind;
  constructor(kind: AuthFailureKind, message: string) {
    super(message);
    this.name = 'AuthFailure';
    this.kind = kind;
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const DEFAULT_MAX_SKEW_MS = 15 * 60_000;
const MAX_PRESIGN_EXPIRES_S = 7 * 24 * 3600; // AWS refuses presigned URLs valid for more than a week
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** What the client claims about its signature, from the Authorization header or the presigned query. */
interface SignatureClaim {
  presigned: boolean;
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  /** Exactly as sent: the client hashed this string, not a re-serialised list. */
  signedHeaders: string;
  signature: string;
  amzDate: string;
  /** Presigned only: how long the URL stays valid. */
  expiresS?: number;
  /** X-Amz-Content-Sha256 when the presigner put it in the query instead of a header. */
  queryPayloadHash?: string;
}

/** Parses only the credential scope (no crypto) so the router can learn the signing service/region cheaply; undefined when unsigned/unparseable. */
export function credentialScope(
  req: Pick<SigV4Request, 'headers' | 'rawQuery'>,
): { accessKeyId: string; date: string; region: string; service: string } | undefined {
  // Deliberately lenient: the router wants the service even from a request verifySigV4 will reject.
  const authorization = header(req.headers, 'authorization');
  const credential = authorization !== undefined
    ? /(?:^|[\s,])Credential=([^,\s]+)/.exec(authorization)?.[1]
    : parseQuery(req.rawQuery).find(([k]) => k === 'X-Amz-Credential')?.[1];
  if (credential === undefined) return undefined;
  try {
    return parseCredential(credential);
  } catch {
    return undefined;
  }
}

/** Verifies header-signed (Authorization: AWS4-HMAC-SHA256 ...) and presigned (X-Amz-* query) requests. Throws AuthFailure. */
export function verifySigV4(
  req: SigV4Request,
  lookup: (accessKeyId: string) => Credential | undefined,
  opts: { now: Date; maxSkewMs?: number },
): VerifiedIdentity {
  const claim = readClaim(req);
  if (!claim) throw new AuthFailure('missing', 'Request is missing Authentication Token');

  const signedAt = parseAmzDate(claim.amzDate);
  if (claim.amzDate.slice(0, 8) !== claim.date) {
    throw new AuthFailure('malformed',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ` +
      `'${claim.date}' != '${claim.amzDate.slice(0, 8)}', from '${claim.amzDate}'.`);
  }
  checkTime(claim, signedAt, opts.now, opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);

  const cred = lookup(claim.accessKeyId);
  if (!cred) throw new AuthFailure('unknown-key', 'The security token included in the request is invalid.');

  const bodyHash = sha256Hex(req.body);
  // The client signs whatever it declared as the payload hash, so the canonical request must use the
  // declared value; whether that value is honest is checked after the signature.
  const declared = header(req.headers, 'x-amz-content-sha256') ?? claim.queryPayloadHash;
  const payloadHash = declared ?? bodyHash;

  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(req.path),
    canonicalQuery(req.rawQuery, claim.presigned),
    canonicalHeaders(req.headers, claim.signedHeaders),
    claim.signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${claim.date}/${claim.region}/${claim.service}/aws4_request`;
  const stringToSign = [ALGORITHM, claim.amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = signingKey(cred.secretAccessKey, claim.date, claim.region, claim.service);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  if (!constantTimeEqual(expected, claim.signature)) throw new AuthFailure('bad-signature', SIGNATURE_MISMATCH);

  // UNSIGNED-PAYLOAD is an opt-out only presigned URLs may take (the URL is handed to someone else,
  // who chooses the body). A header-signed request must vouch for its body.
  const unsignedAllowed = claim.presigned && declared === UNSIGNED_PAYLOAD;
  if (declared !== undefined && declared !== bodyHash && !unsignedAllowed) {
    throw new AuthFailure('hash-mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed. " +
      `Declared '${declared}', but the SHA-256 of the request body is '${bodyHash}'.`);
  }

  return {
    accessKeyId: cred.accessKeyId,
    accountId: cred.accountId,
    principalArn: cred.principalArn,
    region: claim.region,
    service: claim.service,
    signedAt,
  };
}

const ERROR_CODES: Record<AuthFailureKind, { json: string; query: string; status: number }> = {
  missing: { json: 'MissingAuthenticationTokenException', query: 'MissingAuthenticationToken', status: 403 },
  malformed: { json: 'IncompleteSignatureException', query: 'IncompleteSignature', status: 400 },
  'unknown-key': { json: 'UnrecognizedClientException', query: 'InvalidClientTokenId', status: 403 },
  'bad-signature': { json: 'InvalidSignatureException', query: 'SignatureDoesNotMatch', status: 403 },
  expired: { json: 'InvalidSignatureException', query: 'SignatureDoesNotMatch', status: 403 },
  'hash-mismatch': { json: 'InvalidSignatureException', query: 'SignatureDoesNotMatch', status: 403 },
};

/**
 * Maps an AuthFailure to the ServiceError AWS uses for the protocol family. For CloudWatch's
 * awsJson (awsQueryCompatible), `authError(f, 'query').code` is the code for `x-amzn-query-error`.
 */
export function authError(f: AuthFailure, family: 'json' | 'query' | 'rest'): ServiceError {
  const codes = ERROR_CODES[f.kind];
  const code = family === 'query' ? codes.query : codes.json;
  // The one message AWS words differently per protocol family.
  const message = f.kind !== 'missing' ? f.message
    : family === 'query' ? 'Request is missing Authentication Token' : 'Missing Authentication Token';
  return new ServiceError(code, message, { status: codes.status });
}

// ---------------------------------------------------------------------------------------------
// Reading the claim

/** undefined = the request carries no SigV4 at all; throws 'malformed' when it tries and fails. */
function readClaim(req: Pick<SigV4Request, 'headers' | 'rawQuery'>): SignatureClaim | undefined {
  const authorization = singleHeader(req.headers, 'authorization');
  const query = parseQuery(req.rawQuery);
  const isPresigned = query.some(([k]) => k === 'X-Amz-Algorithm' || k === 'X-Amz-Credential' || k === 'X-Amz-Signature');

  if (authorization !== undefined && isPresigned) {
    throw new AuthFailure('malformed',
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.');
  }
  if (authorization !== undefined) return claimFromHeader(authorization, header(req.headers, 'x-amz-date'));
  if (isPresigned) return claimFromQuery(query);
  return undefined;
}

function claimFromHeader(authorization: string, amzDate: string | undefined): SignatureClaim {
  const space = authorization.indexOf(' ');
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  const params = new Map<string, string>();
  for (const part of (space < 0 ? '' : authorization.slice(space + 1)).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signature = params.get('Signature');

  // AWS lists every missing piece at once and echoes the header, so a misconfigured client (e.g. a
  // Bearer token sent to an AWS endpoint) sees what it actually sent.
  const missing: string[] = [];
  if (!credential) missing.push("Authorization header requires 'Credential' parameter.");
  if (!signature) missing.push("Authorization header requires 'Signature' parameter.");
  if (!signedHeaders) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (amzDate === undefined) missing.push("Authorization header requires existence of a 'X-Amz-Date' header.");
  if (missing.length > 0 || !credential || !signedHeaders || !signature || amzDate === undefined) {
    throw new AuthFailure('malformed', `${missing.join(' ')} Authorization=${authorization}`);
  }
  if (algorithm !== ALGORITHM) {
    throw new AuthFailure('malformed', `Unsupported AWS 'algorithm': '${algorithm}'; only '${ALGORITHM}' is accepted.`);
  }
  return { presigned: false, ...parseCredential(credential), signedHeaders: checkSignedHeaders(signedHeaders), signature, amzDate };
}

function claimFromQuery(query: Array<[string, string]>): SignatureClaim {
  const get = (name: string) => query.find(([k]) => k === name)?.[1];
  const algorithm = get('X-Amz-Algorithm');
  const credential = get('X-Amz-Credential');
  const signedHeaders = get('X-Amz-SignedHeaders');
  const signature = get('X-Amz-Signature');
  const amzDate = get('X-Amz-Date');
  const expires = get('X-Amz-Expires');
  if (!algorithm || !credential || !signedHeaders || !signature || !amzDate || !expires) {
    throw new AuthFailure('malformed',
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, ' +
      'X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  if (algorithm !== ALGORITHM) {
    throw new AuthFailure('malformed', `Unsupported AWS 'algorithm': '${algorithm}'; only '${ALGORITHM}' is accepted.`);
  }
  const expiresS = /^\d+$/.test(expires) ? Number(expires) : NaN;
  if (!(expiresS >= 1 && expiresS <= MAX_PRESIGN_EXPIRES_S)) {
    throw new AuthFailure('malformed', `X-Amz-Expires must be a whole number of seconds from 1 to ${MAX_PRESIGN_EXPIRES_S}, got '${expires}'.`);
  }
  // smithy's presign() hoists every x-amz-* header into the query under its original spelling.
  const queryPayloadHash = query.find(([k]) => k.toLowerCase() === 'x-amz-content-sha256')?.[1];
  return {
    presigned: true, ...parseCredential(credential), signedHeaders: checkSignedHeaders(signedHeaders),
    signature, amzDate, expiresS, queryPayloadHash,
  };
}

function parseCredential(credential: string) {
  const parts = credential.split('/');
  if (parts.length !== 5) {
    throw new AuthFailure('malformed',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`);
  }
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  if (terminator !== 'aws4_request') {
    throw new AuthFailure('malformed', `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`);
  }
  if (!accessKeyId || !region || !service) {
    throw new AuthFailure('malformed', `Credential must name an access key, a region and a service, got '${credential}'`);
  }
  return { accessKeyId, date, region, service };
}

// An unsigned Host would let a captured signature be replayed against another endpoint.
function checkSignedHeaders(signedHeaders: string): string {
  // HTTP/2 clients (SDK v3's Kinesis client) sign the Host as the :authority pseudo-header.
  const names = signedHeaders.split(';');
  if (!names.includes('host') && !names.includes(':authority')) {
    throw new AuthFailure('malformed', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return signedHeaders;
}

/** Requests signed in the same second share their X-Amz-Date: the last one parsed is kept. */
let lastAmzDate: { text: string; at: Date } | undefined;

function parseAmzDate(amzDate: string): Date {
  if (lastAmzDate?.text === amzDate) return new Date(lastAmzDate.at.getTime());
  const at = parseAmzDateText(amzDate);
  lastAmzDate = { text: amzDate, at };
  return new Date(at.getTime());
}

function parseAmzDateText(amzDate: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  const t = m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
  // Date.UTC happily rolls 20261332 over into next year; a round trip catches that.
  if (!t || formatAmzDate(t) !== amzDate) {
    throw new AuthFailure('malformed',
      `Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  }
  return t;
}

const formatAmzDate = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function checkTime(claim: SignatureClaim, signedAt: Date, now: Date, maxSkewMs: number): void {
  const skew = `${maxSkewMs / 60_000} min.`;
  // AWS's wording, so clients and people searching the error recognise it.
  if (signedAt.getTime() > now.getTime() + maxSkewMs) {
    throw new AuthFailure('expired',
      `Signature not yet current: ${claim.amzDate} is still later than ` +
      `${formatAmzDate(new Date(now.getTime() + maxSkewMs))} (${formatAmzDate(now)} + ${skew})`);
  }
  if (claim.presigned) {
    // A presigned URL is valid for exactly its own lifetime, however long ago it was made.
    if (now.getTime() > signedAt.getTime() + (claim.expiresS ?? 0) * 1000) throw new AuthFailure('expired', 'Request has expired');
  } else if (signedAt.getTime() < now.getTime() - maxSkewMs) {
    throw new AuthFailure('expired',
      `Signature expired: ${claim.amzDate} is now earlier than ` +
      `${formatAmzDate(new Date(now.getTime() - maxSkewMs))} (${formatAmzDate(now)} - ${skew})`);
  }
}

// ---------------------------------------------------------------------------------------------
// Canonical request pieces

/** RFC 3986 percent-encoding: only A-Z a-z 0-9 - _ . ~ stay literal, hex is upper-case. */
const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Non-S3 services sign the path encoded once more than it is sent: both smithy and botocore run
 * their URI encoder over the already-encoded path, so '%20' is signed as '%2520'. Encoding the raw
 * text (rather than decoding and encoding twice) also matches a client that left a reserved
 * character such as ':' unescaped. Like both signers, drop empty and dot segments first.
 */
function canonicalUri(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailingSlash = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailingSlash}`;
}

/** A malformed escape can't be what the client meant to sign; keeping it raw just fails the signature. */
function decodeQueryComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

function parseQuery(rawQuery: string): Array<[string, string]> {
  if (!rawQuery) return [];
  return rawQuery.split('&').filter(Boolean).map((pair): [string, string] => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [decodeQueryComponent(pair), ''] : [decodeQueryComponent(pair.slice(0, eq)), decodeQueryComponent(pair.slice(eq + 1))];
  });
}

/** Clients sign decoded pairs re-encoded in one canonical way, so the wire spelling must not matter. */
function canonicalQuery(rawQuery: string, presigned: boolean): string {
  return parseQuery(rawQuery)
    .filter(([k]) => !(presigned && k === 'X-Amz-Signature'))
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Header values are trimmed and inner whitespace runs collapsed; a repeated header's values join with ','. */
function canonicalHeaders(headers: SigV4Request['headers'], signedHeaders: string): string {
  let out = '';
  for (const name of signedHeaders.split(';')) {
    const raw = headers[name.toLowerCase()];
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    out += `${name}:${values.map(canonicalValue).join(',')}\n`;
  }
  return out;
}

/** Most values have no whitespace to fold: tested once, rewritten only when needed. */
const FOLDABLE = /\s\s|[^\S ]|^\s|\s$/;
const canonicalValue = (v: string): string => (FOLDABLE.test(v) ? v.replace(/\s+/g, ' ').trim() : v);

// ---------------------------------------------------------------------------------------------
// Small helpers

function header(headers: SigV4Request['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** Two Authorization headers would make it ambiguous which one was verified. */
function singleHeader(headers: SigV4Request['headers'], name: string): string | undefined {
  const v = headers[name];
  if (Array.isArray(v) && v.length > 1) throw new AuthFailure('malformed', `Request has more than one '${name}' header.`);
  return Array.isArray(v) ? v[0] : v;
}

/** One-shot (crypto.hash): no Hash object per request. */
const sha256Hex = (data: Buffer | string) => hash('sha256', data, 'hex');

/**
 * Signing keys depend on the secret, day, region and service only, so a client's requests of one
 * day share one: deriving it costs four HMACs (about a third of verifying a small request).
 */
const signingKeys = new Map<string, Buffer>();
const SIGNING_KEYS_MAX = 1024;

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${secret}\u0000${date}\u0000${region}\u0000${service}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    const hmac = (k: string | Buffer, data: string) => createHmac('sha256', k).update(data, 'utf8').digest();
    key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
    if (signingKeys.size >= SIGNING_KEYS_MAX) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

function constantTimeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // The length of a valid signature is public (64 hex chars), so checking it first leaks nothing.
  return a.length === b.length && timingSafeEqual(a, b);
}
