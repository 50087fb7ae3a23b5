import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addUnnestAs } from './unnest-alias.ts';

test('an UNNEST alias without AS gets one; with AS, a keyword after, or inside literals nothing changes', () => {
  assert.equal(addUnnestAs('SELECT * FROM t CROSS JOIN UNNEST(t.resources) unnested (r)'), 'SELECT * FROM t CROSS JOIN UNNEST(t.resources) AS unnested (r)');
  assert.equal(addUnnestAs('SELECT * FROM t CROSS JOIN UNNEST(f(a, (b))) AS u(x)'), 'SELECT * FROM t CROSS JOIN UNNEST(f(a, (b))) AS u(x)');
  assert.equal(addUnnestAs('SELECT * FROM t CROSS JOIN UNNEST(a) WHERE x'), 'SELECT * FROM t CROSS JOIN UNNEST(a) WHERE x');
  assert.equal(addUnnestAs("SELECT 'unnest(a) b' FROM t"), "SELECT 'unnest(a) b' FROM t");
  assert.equal(addUnnestAs('SELECT my_unnest(a) b FROM t'), 'SELECT my_unnest(a) b FROM t');
});
