import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSequence, parseSequence, SEQUENCE_DIGITS, SequenceClock, streamTagOf } from './sequence.ts';

test('sequence numbers are 56 digits whose string order is their order', () => {
  assert.equal(SEQUENCE_DIGITS, 56);
  const clock = new SequenceClock();
  const tag = streamTagOf('abcdefghij0123456789-abc');
  let prev = '';
  for (const now of [1_000, 1_000, 1_000, 999, 5_000, 5_000, 1_765_000_000_000]) {
    const s = formatSequence(clock.next(now), 3, tag);
    assert.match(s, /^49\d{54}$/);
    assert.ok(s > prev, `${s} after ${prev}`);
    prev = s;
  }
});

test('positions increase strictly even when the clock stands still or steps back; a floor carries them across restarts', () => {
  const clock = new SequenceClock({ ms: 10_000, sub: 7 });
  assert.deepEqual(clock.next(9_000), { ms: 10_000, sub: 8 });
  assert.deepEqual(clock.next(10_000), { ms: 10_000, sub: 9 });
  assert.deepEqual(clock.next(10_001), { ms: 10_001, sub: 0 });
  assert.deepEqual(clock.last(), { ms: 10_001, sub: 0 });
});

test('parse returns the position, stream tag and shard; foreign numbers are refused', () => {
  const tag = streamTagOf('s1');
  const s = formatSequence({ ms: 1_765_000_000_123, sub: 42 }, 12, tag);
  assert.deepEqual(parseSequence(s), { ms: 1_765_000_000_123, sub: 42, streamTag: tag, shard: 12 });
  assert.notEqual(streamTagOf('s2'), tag);
  assert.equal(parseSequence('49590338271490256608559692538361571095921575989136588898'.slice(0, 55)), undefined);
  assert.equal(parseSequence('1'), undefined);
});
