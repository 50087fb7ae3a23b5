import assert from 'node:assert/strict';
import { test } from 'node:test';
import { page } from './paging.ts';

const key = (s: string) => s;

test('pages follow the token; the last page has none', () => {
  const p1 = page(['a', 'b', 'c'], key, 2, undefined);
  assert.deepEqual(p1.items, ['a', 'b']);
  const p2 = page(['a', 'b', 'c'], key, 2, p1.next);
  assert.deepEqual([p2.items, p2.next], [['c'], undefined]);
});

test('a page stays correct when earlier items were deleted meanwhile', () => {
  const p1 = page(['a', 'b', 'c', 'd'], key, 2, undefined);
  assert.deepEqual(page(['c', 'd'], key, 2, p1.next).items, ['c', 'd']);
});

test('bad tokens and limits are BadRequestException', () => {
  assert.throws(() => page(['a'], key, 1, '!!'), { name: 'BadRequestException' });
  assert.throws(() => page(['a'], key, 0, undefined), { name: 'BadRequestException' });
});
