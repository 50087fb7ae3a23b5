import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decimalOfHex, evenRanges, hashKeyOf, hexOfDecimal, MAX_HASH_KEY, rangeIndexFor } from './hash-keys.ts';

test('a partition key hashes to MD5 read as a 128-bit unsigned integer', () => {
  const md5 = createHash('md5').update('user-42').digest();
  const asInt = md5.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
  assert.equal(decimalOfHex(hashKeyOf('user-42')), asInt.toString());
  // UTF-8, as AWS hashes the key's bytes.
  assert.equal(hashKeyOf('é'), createHash('md5').update(Buffer.from('é', 'utf8')).digest('hex'));
});

test('even ranges split 0..2^128-1 without gaps or overlaps, the last taking the remainder', () => {
  for (const n of [1, 2, 3, 7, 500]) {
    const r = evenRanges(n);
    assert.equal(r.length, n);
    assert.equal(BigInt(`0x${r[0]!.start}`), 0n);
    assert.equal(BigInt(`0x${r.at(-1)!.end}`), MAX_HASH_KEY);
    for (let i = 1; i < n; i++) assert.equal(BigInt(`0x${r[i]!.start}`), BigInt(`0x${r[i - 1]!.end}`) + 1n);
  }
  assert.deepEqual(evenRanges(2).map((x) => decimalOfHex(x.end)), ['170141183460469231731687303715884105727', MAX_HASH_KEY.toString()]);
});

test('a hash key routes to the range holding it; string order of keys is numeric order', () => {
  const ranges = evenRanges(4);
  assert.equal(rangeIndexFor(ranges, hexOfDecimal('0')!), 0);
  assert.equal(rangeIndexFor(ranges, hexOfDecimal(MAX_HASH_KEY.toString())!), 3);
  const quarter = (MAX_HASH_KEY + 1n) / 4n;
  assert.equal(rangeIndexFor(ranges, hexOfDecimal(String(quarter - 1n))!), 0);
  assert.equal(rangeIndexFor(ranges, hexOfDecimal(String(quarter))!), 1);
  for (let i = 0; i < 200; i++) {
    const key = hashKeyOf(`k${i}`);
    const want = Number(BigInt(`0x${key}`) / quarter);
    assert.equal(rangeIndexFor(ranges, key), want);
  }
});

test('ExplicitHashKey: decimals 0..2^128-1 only', () => {
  assert.equal(hexOfDecimal((MAX_HASH_KEY + 1n).toString()), undefined);
  assert.equal(hexOfDecimal('-1'), undefined);
  assert.equal(hexOfDecimal('01'), undefined);
  assert.equal(hexOfDecimal('12'), '0000000000000000000000000000000c');
});
