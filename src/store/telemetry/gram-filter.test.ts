import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../lib/seeded-random.ts';
import { BASE_LOG2, filterHas, GramFilter, MIN_LOG2, needleGrams } from './gram-filter.ts';

const add = (f: GramFilter, s: string) => {
  const b = Buffer.from(s, 'utf8');
  f.add(b, 0, b.length);
};

test('every substring of 4+ bytes of an added message passes; the filter folds to its content', () => {
  const rnd = seededRandom(7);
  const f = new GramFilter();
  const messages: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const m = `GET /api/${Math.floor(rnd() * 1e9).toString(36)} status=${Math.floor(rnd() * 600)} 日本語 ${i}`;
    messages.push(m);
    add(f, m);
  }
  const filter = f.finish();
  assert.ok(filter.log2 < BASE_LOG2 && filter.log2 > MIN_LOG2, `folded to 2^${filter.log2} bits`);
  for (const m of messages.slice(0, 200)) {
    for (let len = 4; len < 12; len++) {
      const at = Math.floor(rnd() * (m.length - len));
      const needle = m.slice(at, at + len);
      assert.ok(filterHas(filter, needleGrams(needle)), needle);
    }
  }
  // Text that was never added is mostly refused (about a quarter of the bits are set).
  let passed = 0;
  for (let i = 0; i < 1000; i++) if (filterHas(filter, needleGrams(`QZ${i}XW!v`))) passed++;
  assert.ok(passed < 50, `${passed} of 1000 absent needles passed`);
});

test('an empty block passes nothing, a match-all block everything; finish() resets the builder', () => {
  const f = new GramFilter();
  assert.equal(filterHas(f.finish(), needleGrams('NEEDLE')), false);
  f.matchAll();
  add(f, 'abc');
  assert.equal(filterHas(f.finish(), needleGrams('NEEDLE')), true);
  add(f, 'xx NEEDLE xx');
  const one = f.finish();
  assert.equal(filterHas(one, needleGrams('NEEDLE')), true);
  assert.equal(filterHas(one, needleGrams('NEEDLF')), false);
  assert.equal(filterHas(f.finish(), needleGrams('NEEDLE')), false);
});

test('needles shorter than a gram have no grams (they cannot be ruled out)', () => {
  assert.deepEqual(needleGrams('abc'), []);
  assert.equal(needleGrams('aaaaaa').length, 1);
  assert.equal(needleGrams('é€x').length, 3);
});
