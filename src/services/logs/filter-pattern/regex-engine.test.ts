import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backtrackingIsBounded, compileRegex } from './regex-engine.ts';
import { parseRegex } from './parse.ts';

test('only patterns with bounded backtracking run on the fast engine', () => {
  for (const ok of ['in [0-9]{3} ms$', 'ERROR', '^[A-Z]{2,4} ', 'a?b?c', '[*+?]{2}', 'x\\*y', 'a{1,8}b{1,8}']) assert.ok(backtrackingIsBounded(ok), ok);
  for (const slow of ['a*b', '[0-9]+ ms', 'x{2,}', 'a?'.repeat(7) + 'a', 'a{1,10}b{1,10}']) assert.equal(backtrackingIsBounded(slow), false, slow);
});

test('a pattern that backtracks catastrophically on V8 stays fast', () => {
  for (const src of ['a*b', 'a?'.repeat(30) + 'a'.repeat(30)]) {
    const re = compileRegex(parseRegex(src, 0));
    const t0 = performance.now();
    re.test('a'.repeat(100_000));
    assert.ok(performance.now() - t0 < 500, `${src}: ${performance.now() - t0} ms`);
  }
});
