import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../protocol/service.ts';
import { ITERATOR_TTL_MS, ShardIterators } from './iterators.ts';

const ctx = (account: string): Ctx => ({ account, region: 'us-east-1', principalArn: `arn:aws:iam::${account}:root` } as Ctx);
const state = { account: '000000000000', region: 'us-east-1', streamId: 'abc', shard: 2, after: { ms: 5, sub: -1 }, issuedAt: 1_000 };

test('an iterator opens to the state it was issued with, within five minutes', () => {
  const it = new ShardIterators(randomBytes(32));
  const token = it.issue(state);
  assert.ok(token.length <= 512);
  assert.deepEqual(it.open(token, ctx('000000000000'), 1_000 + ITERATOR_TTL_MS), state);
  assert.throws(() => it.open(token, ctx('000000000000'), 1_001 + ITERATOR_TTL_MS), { code: 'ExpiredIteratorException' });
});

test('forged, foreign-key and other-account iterators are refused', () => {
  const it = new ShardIterators(randomBytes(32));
  const token = it.issue(state);
  const [body, mac] = token.split('.');
  const tampered = Buffer.from(Buffer.from(body!, 'base64url').toString().replace('|2|', '|3|')).toString('base64url');
  assert.throws(() => it.open(`${tampered}.${mac}`, ctx('000000000000'), 1_000), { code: 'InvalidArgumentException' });
  assert.throws(() => new ShardIterators(randomBytes(32)).open(token, ctx('000000000000'), 1_000), { code: 'InvalidArgumentException' });
  assert.throws(() => it.open(token, ctx('111111111111'), 1_000), { code: 'AccessDeniedException' });
  assert.throws(() => it.open('garbage', ctx('000000000000'), 1_000), { code: 'InvalidArgumentException' });
});
