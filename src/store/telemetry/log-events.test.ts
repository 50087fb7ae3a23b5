// chDB binds one data directory per process, and node --test runs each file in its own process:
// every test here shares one directory and keeps to its own account so the data cannot collide.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { openTelemetry, type Telemetry } from './index.ts';
import type { LogEventRow } from './log-events.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-log-events-'));
let tel: Telemetry;

before(async () => {
  tel = await openTelemetry({ kind: 'chdb', path: dir });
});

after(async () => {
  await tel.close();
  rmSync(dir, { recursive: true, force: true });
});

let accounts = 100000000000;
/** A fresh account per test, so tests never see each other's rows. */
const freshKey = (logGroup = '/app/web', logStream = 'i-1') =>
  ({ account: String(accounts++), region: 'us-east-1', logGroup, logStream });

type Key = ReturnType<typeof freshKey>;
const ev = (k: Key, ts: number, seq: bigint, message = `m${seq}`): LogEventRow =>
  ({ ...k, ts, ingestTs: 1_700_000_000_000, seq, message });

/** What a JS string is once stored as UTF-8 (String.prototype.toWellFormed, which ES2022 typings lack). */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

async function readAll(k: Key, forward: boolean, pageSize: number, bounds: { startTime?: number; endTime?: number } = {}) {
  const out: LogEventRow[] = [];
  let cursor: { ts: number; seq: bigint } | undefined;
  for (;;) {
    const page = await tel.logEvents.readStream({
      ...k, ...bounds, limit: pageSize, forward, ...(forward ? { after: cursor } : { before: cursor }),
    });
    out.push(...page);
    if (page.length < pageSize) return out;
    const last = page.at(-1)!;
    cursor = { ts: last.ts, seq: last.seq };
  }
}

test('readStream pages forward and backward with cursors through runs of identical timestamps', async () => {
  const k = freshKey();
  // 30 events over 4 distinct timestamps, seq values up to UInt64 max, appended out of order.
  const events: LogEventRow[] = [];
  const top = (1n << 64n) - 1n;
  for (let i = 0; i < 30; i++) events.push(ev(k, 1_700_000_000_000 + Math.floor(i / 8) * 1000, top - 100n + BigInt(i)));
  const shuffled = [...events].reverse();
  await tel.logEvents.append(shuffled.slice(0, 13));
  await tel.logEvents.append(shuffled.slice(13));

  for (const pageSize of [1, 3, 7, 8, 30, 31]) {
    const fwd = await readAll(k, true, pageSize);
    assert.deepEqual(fwd, events, `forward, page ${pageSize}`);
    const back = await readAll(k, false, pageSize);
    assert.deepEqual(back, [...events].reverse(), `backward, page ${pageSize}`);
  }
});

test('readStream treats startTime as inclusive and endTime as exclusive', async () => {
  const k = freshKey();
  const events = [1000, 2000, 2000, 3000, 4000].map((ts, i) => ev(k, ts, BigInt(i)));
  await tel.logEvents.append(events);
  const ts = (rows: LogEventRow[]) => rows.map((r) => r.ts);
  assert.deepEqual(ts(await readAll(k, true, 2, { startTime: 2000, endTime: 4000 })), [2000, 2000, 3000]);
  assert.deepEqual(ts(await readAll(k, false, 2, { startTime: 2000, endTime: 4000 })), [3000, 2000, 2000]);
  assert.deepEqual(ts(await readAll(k, true, 10, { startTime: 4001 })), []);
  assert.deepEqual(await tel.logEvents.readStream({ ...k, limit: 0, forward: true }), []);
});

test('readStream refuses a cursor for the other direction', async () => {
  const k = freshKey();
  await assert.rejects(tel.logEvents.readStream({ ...k, limit: 1, forward: true, before: { ts: 1, seq: 1n } }), RangeError);
  await assert.rejects(tel.logEvents.readStream({ ...k, limit: 1, forward: false, after: { ts: 1, seq: 1n } }), RangeError);
});

test('readStream only returns the requested stream', async () => {
  const k = freshKey('/g', 'a');
  const other = { ...k, logStream: 'a2' };
  const otherGroup = { ...k, logGroup: '/g2' };
  await tel.logEvents.append([ev(k, 1, 1n), ev(other, 1, 2n), ev(otherGroup, 1, 3n)]);
  assert.deepEqual((await readAll(k, true, 10)).map((r) => r.seq), [1n]);
});

const NASTY = [
  '', ' ', 'tab\there', 'line\nbreak', 'crlf\r\n', 'cr\r', 'back\\slash', 'ends with backslash\\',
  '\\N', '\\t is not a tab', '\\\\', '"double" \'single\' `back`', 'nul\0byte', '\0',
  Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join(''), '\x7f\x80\x9f',
  '\ufeffBOM first', 'emoji 😀👩‍👩‍👧 flags 🇫🇷', 'CJK 日本語 한국어', 'e\u0301 vs \u00e9', '\u2028\u2029',
  '\uffff\ufffe', '{"json":"line","n":1,"esc":"\\"q\\" \\n"}', 'x'.repeat(300_000),
  'lone high \ud800 end', 'lone low \udc00', '\udbff\udfff max pair', '\ud83d', 'pair then lone 😀\ud800',
];

test('messages with control characters, escapes and any Unicode come back byte-identical', async () => {
  const k = freshKey();
  const events = NASTY.map((m, i) => ev(k, 1000 + i, BigInt(i), m));
  await tel.logEvents.append(events);
  const back = await readAll(k, true, 100);
  assert.equal(back.length, NASTY.length);
  for (let i = 0; i < NASTY.length; i++) {
    assert.equal(back[i]!.message, wellFormed(NASTY[i]!), `message ${i}: ${JSON.stringify(NASTY[i]!.slice(0, 40))}`);
  }
  // Byte-level check on what the engine stored, independent of the read path's decoding.
  const stored = await tel.engine.query<{ seq: string; h: string }>(
    'SELECT seq, hex(message) AS h FROM log_events WHERE account = {a:String} ORDER BY seq', { a: k.account });
  for (const r of stored) {
    assert.equal(r.h, Buffer.from(NASTY[Number(r.seq)]!, 'utf8').toString('hex').toUpperCase(), `stored bytes of ${r.seq}`);
  }
});

test('group and stream names with tabs, backslashes and Unicode round-trip and are matched exactly', async () => {
  const k = freshKey('grp\\with\ttab', 'stream\\N\n/ü');
  const lookalike = { ...k, logStream: 'stream\\\\N\n/ü' };
  await tel.logEvents.append([ev(k, 1, 1n, 'one'), ev(lookalike, 1, 2n, 'two')]);
  const back = await readAll(k, true, 10);
  assert.deepEqual(back.map((r) => [r.logGroup, r.logStream, r.message]), [[k.logGroup, k.logStream, 'one']]);
});

test('arbitrary UTF-16 strings round-trip as their well-formed form (property)', async () => {
  const k = freshKey();
  const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
  const messages = fc.sample(fc.string({ unit, maxLength: 40 }), { numRuns: 500, seed: 42 });
  await tel.logEvents.append(messages.map((m, i) => ev(k, 1, BigInt(i), m)));
  const back = await tel.logEvents.readStream({ ...k, limit: 1000, forward: true });
  assert.deepEqual(back.map((r) => r.message), messages.map(wellFormed));
});

test('rejects a malformed row without failing other requests in the same batch', async () => {
  const k = freshKey();
  const good = tel.logEvents.append([ev(k, 1, 1n)]);
  await assert.rejects(tel.logEvents.append([ev(k, 2, 2n), { ...ev(k, 3, 3n), ts: 1.5 }]), RangeError);
  await assert.rejects(tel.logEvents.append([{ ...ev(k, 3, 3n), seq: -1n }]), RangeError);
  await assert.rejects(tel.logEvents.append([{ ...ev(k, 3, 3n), message: undefined as unknown as string }]), TypeError);
  await good;
  assert.deepEqual((await readAll(k, true, 10)).map((r) => r.seq), [1n]);
});

test('concurrent appends all resolve, share inserts, and are all readable', async () => {
  const k = freshKey();
  const before = tel.logEvents.stats().flushes;
  const requests = 200;
  const perRequest = 50;
  await Promise.all(Array.from({ length: requests }, (_, r) =>
    tel.logEvents.append(Array.from({ length: perRequest }, (_, i) =>
      ev(k, 1_700_000_000_000 + r, BigInt(r * perRequest + i), `request ${r} event ${i}`)))));
  const all = await tel.logEvents.readStream({ ...k, limit: 20_000, forward: true });
  const inserts = tel.logEvents.stats().flushes - before;
  assert.ok(inserts < requests / 4, `the head should batch requests, made ${inserts} inserts for ${requests} requests`);
  assert.equal(all.length, requests * perRequest);
  assert.deepEqual(all.map((r) => r.seq), Array.from({ length: requests * perRequest }, (_, i) => BigInt(i)));
});

test('rows are readable as soon as their append resolved (read-your-writes)', async () => {
  const k = freshKey();
  for (let i = 0; i < 20; i++) {
    await tel.logEvents.append([ev(k, i, BigInt(i))]);
    const rows = await tel.logEvents.readStream({ ...k, limit: 100, forward: false });
    assert.equal(rows.length, i + 1);
  }
});

test('deleteStream removes one stream; deleteGroup removes the rest of the group only', async () => {
  const s1 = freshKey('/del', 's1');
  const s2 = { ...s1, logStream: 's2' };
  const g2 = { ...s1, logGroup: '/del2' };
  const otherRegion = { ...s1, region: 'eu-west-1' };
  await tel.logEvents.append([ev(s1, 1, 1n), ev(s2, 1, 2n), ev(g2, 1, 3n), ev(otherRegion, 1, 4n)]);

  await tel.logEvents.deleteStream(s1.account, s1.region, s1.logGroup, s1.logStream);
  assert.equal((await readAll(s1, true, 10)).length, 0);
  assert.equal((await readAll(s2, true, 10)).length, 1);

  await tel.logEvents.deleteGroup(s1.account, s1.region, s1.logGroup);
  assert.equal((await readAll(s2, true, 10)).length, 0);
  assert.equal((await readAll(g2, true, 10)).length, 1);
  assert.equal((await readAll(otherRegion, true, 10)).length, 1);

  // A stream recreated under the same name starts empty and takes new events.
  await tel.logEvents.append([ev(s1, 2, 5n)]);
  assert.deepEqual((await readAll(s1, true, 10)).map((r) => r.seq), [5n]);
});

test('deleteGroup also removes rows that were still buffered when it was called', async () => {
  const k = freshKey('/del-pending');
  const pending = tel.logEvents.append([ev(k, 1, 1n)]);
  await tel.logEvents.deleteGroup(k.account, k.region, k.logGroup);
  await pending;
  assert.equal((await readAll(k, true, 10)).length, 0);
});

test('acknowledged events survive closing and reopening the store', async () => {
  const k = freshKey();
  // A second store on the same directory (same-path sessions coexist in one process).
  const writer = await openTelemetry({ kind: 'chdb', path: dir });
  await writer.logEvents.append([ev(k, 1, 1n, 'before close'), ev(k, 2, 2n, 'also')]);
  await writer.close();

  const reader = await openTelemetry({ kind: 'chdb', path: dir });
  try {
    assert.deepEqual((await reader.logEvents.readStream({ ...k, limit: 10, forward: true })).map((r) => r.message),
      ['before close', 'also']);
  } finally {
    await reader.close();
  }
});

test('close waits for pending appends and then refuses new ones', async () => {
  const k = freshKey();
  const t2 = await openTelemetry({ kind: 'chdb', path: dir });
  const p = t2.logEvents.append([ev(k, 1, 1n)]);
  await t2.close();
  await p;
  await assert.rejects(t2.logEvents.append([ev(k, 2, 2n)]), /closed/);
  assert.equal((await readAll(k, true, 10)).length, 1);
});
