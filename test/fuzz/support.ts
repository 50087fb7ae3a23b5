/**
 * Shared by the property/fuzz tests (test/fuzz/*.test.ts and src/**\/*.fuzz.test.ts).
 *
 *  - Short mode (CI) by default, with a fixed seed; OSPREY_LONG=1 runs 10× the cases with a fresh
 *    random seed. OSPREY_FUZZ_SEED=<n> replays a run (every test prints the seed it used).
 *  - `guard()` runs synchronous parser code under a watchdog thread: an input that hangs (an endless
 *    loop, a catastrophic regex) cannot be interrupted from the same thread, so the watchdog prints the
 *    input with fs.writeSync and kills the process, which fails the test file. Inputs that finish but
 *    take longer than `slowMs` fail the property directly (and are shrunk by fast-check).
 *  - `sendSigned()` / `checkResponse()` for the HTTP fuzzers: SigV4-signed requests with any method,
 *    path, headers and body, an answer deadline, and the per-protocol error-format checks.
 */
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { decode as cborDecode } from 'cbor-x';
import { XMLParser } from 'fast-xml-parser';
import fc from 'fast-check';
import { RpcStatus } from '../../src/protocol/otlp/proto.ts';

export const LONG = process.env.OSPREY_LONG === '1';
/** Number of cases: `short` in CI, 10× with OSPREY_LONG=1. */
export const runs = (short: number): number => (LONG ? short * 10 : short);
// Short mode (npm test, CI) uses one fixed seed, so a red CI is always reproducible and never a
// dice roll; long mode explores with a new seed every run (print it, replay with OSPREY_FUZZ_SEED).
export const SEED = process.env.OSPREY_FUZZ_SEED !== undefined ? Number(process.env.OSPREY_FUZZ_SEED)
  : process.env.OSPREY_LONG ? (Date.now() ^ (process.pid << 8)) | 0 : 20261122;
/** fast-check parameters for one property; the seed is printed on failure by fast-check too. */
export const fcParams = (shortRuns: number): fc.Parameters<unknown> => ({ numRuns: runs(shortRuns), seed: SEED, endOnFailure: false });

// ------------------------------------------------------------------------------------------------
// Watchdog for synchronous code

const MAX_INPUT_CHARS = 8192;
let watchdog: { state: Float64Array; len: Int32Array; text: Uint16Array; worker: Worker } | undefined;

/** How long one input may block before the watchdog kills the process (a hang). */
export const HANG_MS = Number(process.env.OSPREY_FUZZ_HANG_MS ?? 10_000);

function startWatchdog(): NonNullable<typeof watchdog> {
  // state[0] = start time of the running input (0 = idle); len[0] = input length; text = the input.
  const sab = new SharedArrayBuffer(16 + 8 + MAX_INPUT_CHARS * 2);
  const state = new Float64Array(sab, 0, 2);
  const len = new Int32Array(sab, 16, 2);
  const text = new Uint16Array(sab, 24, MAX_INPUT_CHARS);
  const worker = new Worker(
    `
    const { workerData } = require('node:worker_threads');
    const { writeSync } = require('node:fs');
    const sab = workerData.sab;
    const state = new Float64Array(sab, 0, 2);
    const len = new Int32Array(sab, 16, 2);
    const text = new Uint16Array(sab, 24, ${MAX_INPUT_CHARS});
    setInterval(() => {
      const started = state[0];
      if (started === 0 || Date.now() - started < workerData.hangMs) return;
      let s = '';
      for (let i = 0; i < Math.min(len[0], ${MAX_INPUT_CHARS}); i++) s += String.fromCharCode(text[i]);
      writeSync(2, '\\n\\n*** FUZZ HANG: ' + workerData.hangMs + ' ms without returning on input (JSON): ' + JSON.stringify(s) + '\\n' +
        '*** label: ' + workerData.label + '; killing the test process\\n\\n');
      process.kill(process.pid, 'SIGKILL');
    }, 100);
    `,
    { eval: true, workerData: { sab, hangMs: HANG_MS, label: process.argv[1] ?? '' } },
  );
  worker.unref();
  return { state, len, text, worker };
}

/** Hands `input` to the watchdog and starts its clock; returns the start time. */
function arm(input: string): number {
  watchdog ??= startWatchdog();
  const n = Math.min(input.length, MAX_INPUT_CHARS);
  for (let i = 0; i < n; i++) watchdog.text[i] = input.charCodeAt(i);
  watchdog.len[0] = input.length;
  const t0 = performance.now();
  watchdog.state[0] = Date.now();
  return t0;
}

function disarm(): void {
  watchdog!.state[0] = 0;
}

type Guarded<T> = { ok: true; value: T; ms: number } | { ok: false; error: unknown; ms: number };

/**
 * Runs `fn(input)` under the watchdog and returns its result or the error it threw, with its duration.
 * Never throws itself.
 */
export function guard<T>(input: string, fn: () => T): Guarded<T> {
  const t0 = arm(input);
  try {
    const value = fn();
    return { ok: true, value, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  } finally {
    disarm();
  }
}

/** Async variant (for evaluate()): the watchdog still catches a synchronous hang inside it. */
export async function guardAsync<T>(input: string, fn: () => Promise<T>): Promise<Guarded<T>> {
  const t0 = arm(input);
  try {
    const value = await fn();
    return { ok: true, value, ms: performance.now() - t0 };
  } catch (error) {
    return { ok: false, error, ms: performance.now() - t0 };
  } finally {
    disarm();
  }
}

/** Per-input budget for finite but pathological slowness (generous: CI machines are slow). */
export const SLOW_MS = Number(process.env.OSPREY_FUZZ_SLOW_MS ?? 2_000);

/**
 * The parser contract: it returns, or throws one of the `allowed` error classes — never a TypeError,
 * a RangeError (stack overflow), a plain Error — and it answers within SLOW_MS.
 */
export function expectOnly<T>(
  input: string,
  fn: () => T,
  allowed: (e: unknown) => boolean,
  what: string,
): { ok: true; value: T } | { ok: false; error: unknown } {
  const r = guard(input, fn);
  if (!r.ok && !allowed(r.error)) {
    const e = r.error as Error;
    assert.fail(`${what} threw ${e?.constructor?.name ?? typeof e} (not the documented error type) for ${show(input)}: ${e?.stack ?? String(e)}`);
  }
  assert.ok(r.ms < SLOW_MS, `${what} took ${Math.round(r.ms)} ms (> ${SLOW_MS}) for ${show(input)}`);
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
}

/** An input for a failure message: JSON, cut to 600 characters. */
export const show = (s: string): string => (s.length > 600 ? `${JSON.stringify(s.slice(0, 600))}… (${s.length} chars)` : JSON.stringify(s));

export async function expectOnlyAsync<T>(
  input: string,
  fn: () => Promise<T>,
  allowed: (e: unknown) => boolean,
  what: string,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  const r = await guardAsync(input, fn);
  if (!r.ok && !allowed(r.error)) {
    const e = r.error as Error;
    assert.fail(`${what} threw ${e?.constructor?.name ?? typeof e} (not the documented error type) for ${show(input)}: ${e?.stack ?? String(e)}`);
  }
  assert.ok(r.ms < SLOW_MS, `${what} took ${Math.round(r.ms)} ms (> ${SLOW_MS}) for ${show(input)}`);
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
}

// ------------------------------------------------------------------------------------------------
// Grammar-aware string arbitraries

/** Junk that breaks lexers: quotes, escapes, brackets, control chars, lone surrogates, odd spaces. */
export const JUNK = [
  '"', "'", '`', '\\', '\\"', '\\\\', '(', ')', '[', ']', '{', '}', ',', '.', ':', ';', '|', '%', '$', '#', '@', '*', '?',
  '+', '-', '/', '^', '=', '!', '<', '>', '~', '&', ' ', '\t', '\n', '\r', '\u0000', '\u00a0', '\u2028', '\ud800', '\udfff',
  '😀', 'é', 'İ', 'ß', '\ufeff', '0', '1', '-1', '1e308', '1e999', '0x1F', '.5', '5.', 'NaN', 'Infinity', '-0', '9007199254740993',
  '99999999999999999999999', '1.7976931348623157e309', '$.', '$[', '[*]', '.*', '(?', '(?<', '{0,', '{2,1}', '{1001}', '\\p{', '\\Q',
];

/** A string made of the language's `tokens` mixed with junk and random characters. */
export function tokenSoup(tokens: readonly string[], maxTokens = 25): fc.Arbitrary<string> {
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...tokens) },
    { weight: 2, arbitrary: fc.constantFrom(...JUNK) },
    { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.double().map(String) },
  );
  const sep = fc.constantFrom(' ', ' ', ' ', '', '\n', '\t', ',');
  return fc.array(fc.tuple(piece, sep), { maxLength: maxTokens }).map((parts) => parts.map(([p, s]) => p + s).join(''));
}

/** Random strings of every kind fast-check has (ASCII, full unicode, lone surrogates). */
export const anyString = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: fc.constantFrom(...JUNK), maxLength: 40 }),
  );

/** `depth` levels of `open` … `close` around `inner`: stack-depth probes. */
export const nested = (open: string, close: string, inner: string, depth: number): string => open.repeat(depth) + inner + close.repeat(depth);

/** Small edits of a valid input: insert/delete/replace/duplicate a span, or splice junk in. */
export function mutatedText(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.oneof(fc.constantFrom(...JUNK), fc.string({ maxLength: 4 })), fc.nat({ max: 3 }));
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([s, edits]) => {
    for (const [pos, len, junk, kind] of edits) {
      const p = s.length === 0 ? 0 : pos % (s.length + 1);
      if (kind === 0) s = s.slice(0, p) + junk + s.slice(p);
      else if (kind === 1) s = s.slice(0, p) + s.slice(p + len);
      else if (kind === 2) s = s.slice(0, p) + junk + s.slice(p + len);
      else s = s.slice(0, p) + s.slice(p, p + len) + s.slice(p);
    }
    return s;
  });
}

// ------------------------------------------------------------------------------------------------
// HTTP

/** 'otlp': OTLP/HTTP export (errors are a google.rpc.Status in the request's encoding, or 415 text). */
export type WireProtocol = 'json' | 'query' | 'cbor' | 'rest-json' | 'otlp';

export interface FuzzRequest {
  /** Short description for failure messages (operation, mutation kind). */
  label: string;
  protocol: WireProtocol;
  service: string;
  method?: string;
  path?: string;
  headers: Record<string, string>;
  body: Buffer;
  /** false = send unsigned. */
  sign?: boolean;
}

export interface FuzzResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  ms: number;
}

/** Each request must be answered within this (no hang). */
export const ANSWER_MS = Number(process.env.OSPREY_FUZZ_ANSWER_MS ?? 15_000);

const signers = new Map<string, SignatureV4>();
const signer = (service: string): SignatureV4 => {
  let s = signers.get(service);
  if (!s) {
    s = new SignatureV4({ service, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
    signers.set(service, s);
  }
  return s;
};

export async function sendSigned(baseUrl: string, r: FuzzRequest): Promise<FuzzResponse> {
  const u = new URL(baseUrl);
  const method = r.method ?? 'POST';
  const path = r.path ?? '/';
  let headers: Record<string, string> = { host: u.host, 'content-length': String(r.body.length), ...r.headers };
  if (r.sign !== false) {
    const signed = await signer(r.service).sign({ method, protocol: 'http:', hostname: u.hostname, port: Number(u.port), path, headers, body: r.body });
    headers = signed.headers as Record<string, string>;
  }
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' ? undefined : new Uint8Array(r.body),
    signal: AbortSignal.timeout(ANSWER_MS),
  });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, body, ms: performance.now() - t0 };
}

const xml = new XMLParser();

/**
 * The wire contract: no 5xx except 501 NotImplemented, and every error (≥ 400) is a well-formed error
 * of the protocol the request spoke. Returns a failure description, or undefined when it holds.
 */
export function checkResponse(req: FuzzRequest, res: FuzzResponse): string | undefined {
  const text = res.body.toString('utf8');
  const errorCode = errorCodeOf(req.protocol, res, text);
  if (res.status >= 500) {
    if (res.status === 501 && errorCode !== undefined && /NotImplemented/.test(errorCode)) return undefined;
    return `status ${res.status} (${errorCode ?? 'unparsable body'}): ${text.slice(0, 500)}`;
  }
  if (res.status >= 400 && errorCode === undefined) {
    return `status ${res.status} but the body is not a ${req.protocol} error (content-type ${res.headers.get('content-type')}): ${text.slice(0, 300)}`;
  }
  return undefined;
}

/** The error code of an error response in the format of `protocol`, undefined when it is not one. */
function errorCodeOf(protocol: WireProtocol, res: FuzzResponse, text: string): string | undefined {
  const ct = res.headers.get('content-type') ?? '';
  if (protocol === 'otlp') return otlpErrorOf(res, ct, text);
  try {
    if (ct.startsWith('text/xml')) {
      // awsQuery (and the Query-shaped auth errors).
      const doc = xml.parse(text) as { ErrorResponse?: { Error?: { Code?: unknown; Message?: unknown } } };
      const code = doc.ErrorResponse?.Error?.Code;
      return typeof code === 'string' ? code : undefined;
    }
    if (ct.startsWith('application/cbor')) {
      const doc = cborDecode(res.body) as { __type?: unknown };
      return typeof doc?.__type === 'string' ? doc.__type : undefined;
    }
    if (ct.startsWith('application/x-amz-json') || ct.startsWith('application/json')) {
      const doc = JSON.parse(text) as { __type?: unknown; message?: unknown; Message?: unknown };
      if (typeof doc?.__type !== 'string') return undefined;
      if (typeof (doc.message ?? doc.Message) !== 'string') return undefined;
      if (protocol === 'rest-json' && ct.startsWith('application/json') && res.headers.get('x-amzn-errortype') === null && res.status !== 404) return undefined;
      return doc.__type;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** An OTLP/HTTP error: a google.rpc.Status (protobuf or JSON) with a message, or 415's plain text. */
function otlpErrorOf(res: FuzzResponse, ct: string, text: string): string | undefined {
  try {
    if (ct.startsWith('text/plain') && res.status === 415 && text.length > 0) return 'UnsupportedMediaType';
    const status = ct.startsWith('application/json')
      ? JSON.parse(text) as { code?: unknown; message?: unknown }
      : ct.startsWith('application/x-protobuf') ? RpcStatus.toObject(RpcStatus.decode(res.body)) as { code?: unknown; message?: unknown } : undefined;
    return typeof status?.code === 'number' && typeof status.message === 'string' && status.message !== '' ? `rpc.Status ${status.code}` : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `fn` over `items` with at most `concurrency` at once. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  });
  await Promise.all(workers);
}

export interface FuzzStats {
  sent: number;
  byStatus: Record<number, number>;
  failures: string[];
  maxMs: number;
}

/**
 * Sends every request and records each contract violation (5xx, malformed error, no answer in time)
 * with enough to replay it: label, headers and the body in base64.
 */
export async function fuzzHttp(baseUrl: string, requests: readonly FuzzRequest[], concurrency = 6): Promise<FuzzStats> {
  const stats: FuzzStats = { sent: 0, byStatus: {}, failures: [], maxMs: 0 };
  await pool(requests, concurrency, async (req) => {
    let problem: string | undefined;
    try {
      const res = await sendSigned(baseUrl, req);
      stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
      stats.maxMs = Math.max(stats.maxMs, res.ms);
      problem = checkResponse(req, res);
    } catch (e) {
      problem = `no answer: ${(e as Error).name === 'TimeoutError' ? `timed out after ${ANSWER_MS} ms` : String((e as Error).cause ?? e)}`;
    }
    stats.sent++;
    if (problem) {
      stats.failures.push(
        `[${req.label}] ${problem}\n    ${req.method ?? 'POST'} ${req.path ?? '/'} headers=${JSON.stringify(req.headers)}\n    body(base64)=${req.body.toString('base64').slice(0, 4000)}`,
      );
    }
  });
  return stats;
}

/** Fails the test with the first few violations; logs the counts either way. */
export function reportHttp(name: string, stats: FuzzStats): void {
  console.log(`# fuzz ${name}: ${stats.sent} requests, statuses ${JSON.stringify(stats.byStatus)}, slowest ${Math.round(stats.maxMs)} ms, seed ${SEED}${LONG ? ' (long mode)' : ''}`);
  assert.equal(stats.failures.length, 0, `${stats.failures.length} of ${stats.sent} ${name} requests broke the contract (seed ${SEED}):\n${stats.failures.slice(0, 8).join('\n')}`);
}

/** fast-check sample with the run's seed (HTTP fuzzing sends samples in parallel instead of fc.assert). */
export const sample = <T>(arb: fc.Arbitrary<T>, n: number, salt = 0): T[] => fc.sample(arb, { numRuns: n, seed: SEED + salt });

// ------------------------------------------------------------------------------------------------
// Structured mutations (JSON / CBOR values, bytes, forms)

/** Values that stress decoders once placed where a string, number, list or structure belongs. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    null, true, false, 0, -0, -1, 1.5, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, 5e-324, 'NaN', 'Infinity', '-Infinity', '1e400',
    '', ' ', '\u0000', '\ud800', '😀'.repeat(50), 'x'.repeat(70_000), 'é'.repeat(3000), '2024-13-45T99:99:99Z', '1970-01-01T00:00:00Z',
    '-1', '999999999999999999999999', [], {}, [null], [[]], { '': '' }, { __proto__: 'x' }, ['a', 1, null, {}],
    { constructor: { prototype: 1 } },
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.double(),
  fc.integer(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 5 }),
  fc.integer({ min: 100, max: 3000 }).map((d) => nestedValue(d)),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)),
  fc.jsonValue({ maxDepth: 3 }),
);

function nestedValue(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { a: v };
  return v;
}

type Path = (string | number)[];

function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (prefix.length >= 12) return out; // do not walk into the deep-nesting probes
  if (Array.isArray(v)) v.slice(0, 50).forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v) && !(v instanceof Uint8Array)) {
    for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  }
  return out;
}

/** Shallow copies along `path` only (the values may be deep-nesting probes structuredClone cannot copy). */
function updateAt(root: unknown, path: Path, f: (container: Record<string | number, unknown>, key: string | number) => void): unknown {
  if (path.length === 0) return root;
  const copy = (x: unknown): Record<string | number, unknown> =>
    (Array.isArray(x) ? [...x] : { ...(x as object) }) as Record<string | number, unknown>;
  const top = copy(root);
  let cur = top;
  for (const k of path.slice(0, -1)) {
    const next = copy(cur[k]);
    cur[k] = next;
    cur = next;
  }
  f(cur, path[path.length - 1]);
  return top;
}

const setAt = (root: unknown, path: Path, value: unknown): unknown =>
  path.length === 0 ? value : updateAt(root, path, (c, k) => void (c[k] = value));

const deleteAt = (root: unknown, path: Path): unknown =>
  updateAt(root, path, (c, k) => {
    if (Array.isArray(c)) c.splice(Number(k), 1);
    else delete c[k];
  });

/** A valid input with 1–3 members replaced by nasty values, removed, or renamed. */
export function mutatedValue(valid: unknown): fc.Arbitrary<unknown> {
  const all = paths(valid);
  const op = fc.tuple(fc.nat({ max: all.length - 1 }), fc.nat({ max: 9 }), nastyValue, fc.string({ maxLength: 12 }));
  return fc.array(op, { minLength: 1, maxLength: 3 }).map((ops) => {
    let v: unknown = valid;
    for (const [i, kind, nasty, name] of ops) {
      const live = paths(v);
      const p = live[i % live.length];
      if (kind <= 6) v = setAt(v, p, nasty);
      else if (kind === 7) v = deleteAt(v, p);
      else if (p.length > 0) {
        // Add an unknown (or oddly named) member next to it.
        const parent = p.slice(0, -1);
        let target: unknown = v;
        for (const k of parent) target = (target as Record<string | number, unknown>)[k];
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) v = setAt(v, [...parent, name], nasty);
      }
    }
    return v;
  });
}

/** Byte-level damage: flips, inserts, deletes, truncation, duplication. */
export function mutatedBytes(valid: Buffer): fc.Arbitrary<Buffer> {
  const op = fc.tuple(fc.nat({ max: 4 }), fc.nat(), fc.nat({ max: 16 }), fc.uint8Array({ minLength: 1, maxLength: 8 }));
  return fc.array(op, { minLength: 1, maxLength: 6 }).map((ops) => {
    let b = Buffer.from(valid);
    for (const [kind, pos, len, bytes] of ops) {
      const p = b.length === 0 ? 0 : pos % b.length;
      if (kind === 0 && b.length > 0) b[p] ^= 1 << (len % 8);
      else if (kind === 1) b = Buffer.concat([b.subarray(0, p), Buffer.from(bytes), b.subarray(p)]);
      else if (kind === 2) b = Buffer.concat([b.subarray(0, p), b.subarray(p + len)]);
      else if (kind === 3) b = b.subarray(0, p);
      else b = Buffer.concat([b.subarray(0, p + len), b.subarray(p)]);
    }
    return b;
  });
}

/**
 * JSON text that JSON.stringify cannot produce: duplicate keys, huge literals, deep nesting, NaN,
 * comments, trailing commas, BOM, a top-level non-object.
 */
export function hostileJsonText(valid: Record<string, unknown>): fc.Arbitrary<string> {
  const base = JSON.stringify(valid);
  const inner = base.slice(1, -1);
  const keys = Object.keys(valid);
  const key = keys[0] ?? 'x';
  return fc.oneof(
    fc.constantFrom(
      `{${inner},${inner}}`,
      `{"${key}": 1e400${inner ? ',' + inner : ''}}`,
      `{"${key}": -1e400}`,
      `{"${key}": 123456789012345678901234567890123456789}`,
      `{"${key}": NaN}`,
      `{"${key}": Infinity}`,
      `{"${key}": 0x10}`,
      `{${inner},}`,
      `{/*c*/${inner}}`,
      `\ufeff${base}`,
      `${base}${base}`,
      `${base} trailing`,
      `[${base}]`,
      '"a string"',
      '12',
      'null',
      'true',
      '',
      ' ',
      `{"${key}": "\\ud800"}`,
      `{"${key}": "\\u0000"}`,
      `{"${key}": "\\x41"}`,
      `{"__proto__": {"polluted": 1}, ${inner}}`,
      `{"constructor": {"prototype": {"polluted": 1}}, ${inner}}`,
    ),
    fc.integer({ min: 1, max: 200_000 }).map((d) => `{"${key}": ${nested('[', ']', '1', d)}}`),
    fc.integer({ min: 1, max: 200_000 }).map((d) => `{"${key}": ${nested('{"a":', '}', '1', d)}}`),
    fc.integer({ min: 1, max: 2000 }).map((n) => `{${Array.from({ length: n }, (_, i) => `"${key}":${i}`).join(',')}}`),
    fc.integer({ min: 0, max: base.length }).map((n) => base.slice(0, n)),
  );
}
