import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LogWalCodec } from './log-wal-codec.ts';
import type { LogEventRow } from './log-events.ts';

/** What a JS string is once stored as UTF-8 (an unpaired surrogate becomes U+FFFD). */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

const row = (over: Partial<LogEventRow> = {}): LogEventRow => ({
  account: '123456789012', region: 'us-east-1', logGroup: '/app', logStream: 's', ts: 1_700_000_000_000,
  ingestTs: 1_700_000_000_001, seq: 7n, message: 'hello', ...over,
});

const arbRow: fc.Arbitrary<LogEventRow> = fc.record({
  account: fc.string({ unit: 'binary', maxLength: 20 }),
  region: fc.string({ maxLength: 12 }),
  logGroup: fc.string({ unit: 'grapheme', maxLength: 30 }),
  logStream: fc.string({ unit: 'binary', maxLength: 200 }),
  ts: fc.maxSafeInteger().map((v) => v * (v % 2 === 0 ? 1 : -1)),
  ingestTs: fc.maxSafeNat(),
  seq: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  // Newlines, NULs, lone surrogates and long (multi-byte length prefix) messages.
  message: fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ minLength: 128, maxLength: 20_000 }),
    fc.constantFrom('', '\n\n', 'a\n\nb\0c', '\ud800x')),
  keyId: fc.option(fc.string({ minLength: 1, maxLength: 80 }), { nil: undefined }),
});

test('records round-trip every row exactly (strings as their UTF-8)', () => {
  fc.assert(fc.property(fc.array(arbRow, { maxLength: 30 }), (rows) => {
    const codec = new LogWalCodec();
    const back = new LogWalCodec().decode(codec.encode(rows));
    assert.deepEqual(back, rows.map((r) => ({
      account: wellFormed(r.account), region: wellFormed(r.region), logGroup: wellFormed(r.logGroup),
      logStream: wellFormed(r.logStream), ts: r.ts, ingestTs: r.ingestTs, seq: r.seq, message: wellFormed(r.message),
      ...(r.keyId ? { keyId: wellFormed(r.keyId) } : {}),
    })));
  }), { numRuns: 300, seed: 17 });
});

test('the head gets the bytes of the encoded (or decoded) array once, else a fresh equal encoding', () => {
  const codec = new LogWalCodec();
  const rows = [row(), row({ seq: 8n, message: 'two\n\nlines', keyId: 'arn:aws:kms:us-east-1:1:key/k' })];
  const record = codec.encode(rows);
  const body = codec.encodedBody(rows);
  const sameBytes = (a: Buffer, b: Buffer) => a.buffer === b.buffer && a.byteOffset === b.byteOffset;
  assert.ok(sameBytes(body, record.subarray(1)), 'the record bytes are reused, not copied');
  const again = codec.encodedBody(rows);
  assert.ok(!sameBytes(again, body));
  assert.deepEqual(again, body);
  // Replay: decode()'s rows map to the record they came from.
  const replayed = codec.decode(record);
  assert.deepEqual(codec.encodedBody(replayed), body);
  // A record holding several requests' rows is encoded afresh for an array it never saw.
  assert.deepEqual(codec.encodedBody([...rows]), body);
});

test('a bad row fails the encode before anything is written; other records are unaffected', () => {
  const codec = new LogWalCodec();
  assert.throws(() => codec.encode([row(), row({ ts: 1.5 })]), RangeError);
  assert.throws(() => codec.encode([row({ ingestTs: Number.MAX_SAFE_INTEGER + 2 })]), RangeError);
  assert.throws(() => codec.encode([row({ seq: -1n })]), RangeError);
  assert.throws(() => codec.encode([row({ seq: 1n << 64n })]), RangeError);
  assert.throws(() => codec.encode([row({ seq: 1 as unknown as bigint })]), RangeError);
  assert.throws(() => codec.encode([row({ message: undefined as unknown as string })]), TypeError);
  assert.throws(() => codec.encode([row({ keyId: 5 as unknown as string })]), TypeError);
  assert.deepEqual(codec.decode(codec.encode([row()])), [row()]);
});

test('decode refuses unknown versions and truncated records', () => {
  const codec = new LogWalCodec();
  const record = codec.encode([row(), row({ seq: 9n })]);
  assert.throws(() => codec.decode(Buffer.alloc(0)), /version/);
  assert.throws(() => codec.decode(Buffer.concat([Buffer.from([2]), record.subarray(1)])), /version 2/);
  for (const cut of [2, 20, record.length - 1]) {
    assert.throws(() => codec.decode(record.subarray(0, cut)), /truncated/);
  }
  assert.deepEqual(codec.decode(record.subarray(0, 1)), []);
});
