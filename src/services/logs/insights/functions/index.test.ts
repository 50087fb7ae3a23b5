import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FUNCTIONS } from '../plan.ts';
import { FUNCTION_COMPILERS } from './index.ts';

test('every function plan.ts accepts has a compiler, and no compiler is unreachable', () => {
  assert.deepEqual([...FUNCTION_COMPILERS.keys()].sort(), [...FUNCTIONS.keys()].sort());
});
