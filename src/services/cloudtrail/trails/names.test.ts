import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTrailName } from './names.ts';

test('trail names follow AWS\'s rules', () => {
  for (const ok of ['abc', 'my-trail', 'My.Trail_1', 'a'.repeat(128), '1st']) checkTrailName(ok);
  const bad: Array<[string, RegExp]> = [
    ['ab', /too short/], ['a'.repeat(129), /too long/], ['-abc', /starts with/], ['abc_', /ends with/],
    ['my--trail', /adjacent/], ['my._trail', /adjacent/], ['192.168.5.4', /IP address/], ['my trail', /can only contain/],
  ];
  for (const [name, re] of bad) {
    assert.throws(() => checkTrailName(name), (e: Error & { code?: string }) => e.code === 'InvalidTrailNameException' && re.test(e.message), name);
  }
});
