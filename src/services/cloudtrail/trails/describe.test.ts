import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pageTrails } from './describe.ts';
import type { Trail } from './types.ts';

const trails = ['a', 'b', 'c', 'd', 'e'].map((n) => ({ arn: `arn:aws:cloudtrail:us-east-1:123456789012:trail/${n}`, name: n }) as Trail);

test('ListTrails pages: every trail once, in ARN order, NextToken only while more remain', () => {
  const seen: string[] = [];
  let token: string | undefined;
  do {
    const { page, next } = pageTrails(trails, token, 2);
    seen.push(...page.map((t) => t.name));
    token = next;
  } while (token);
  assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
  assert.equal(pageTrails(trails, undefined, 5).next, undefined);
  assert.throws(() => pageTrails(trails, 'garbage', 2), (e: Error & { code?: string }) => e.code === 'InvalidTokenException');
});

test('a page token survives the trail it names being deleted', () => {
  const first = pageTrails(trails, undefined, 2);
  const rest = pageTrails(trails.filter((t) => t.name !== 'b'), first.next, 10);
  assert.deepEqual(rest.page.map((t) => t.name), ['c', 'd', 'e']);
});
