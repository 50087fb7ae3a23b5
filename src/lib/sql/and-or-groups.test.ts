import { test } from 'node:test';
import assert from 'node:assert/strict';
import pkg from 'node-sql-parser';
import { andOrGroups } from './and-or-groups.ts';

const parser = new pkg.Parser();
const where = (cond: string) => (parser.astify(`SELECT 1 FROM t WHERE ${cond}`, { database: 'trino' }) as unknown as { where: unknown }).where;
type Col = { left: { column: string | { expr: { value: string } } } };
const colName = (o: unknown) => { const c = (o as Col).left.column; return typeof c === 'string' ? c : c.expr.value; };
const names = (groups: unknown[][]) => groups.map((g) => g.map(colName));

test('AND binds tighter than OR, whatever the parser grouped', () => {
  assert.deepEqual(names(andOrGroups(where('a = 1 AND b = 1 OR c = 1'))), [['a', 'b'], ['c']]);
  assert.deepEqual(names(andOrGroups(where('a = 1 OR b = 1 AND c = 1'))), [['a'], ['b', 'c']]);
  assert.deepEqual(names(andOrGroups(where('a = 1 AND b = 1 AND c = 1 OR d = 1 AND e = 1'))), [['a', 'b', 'c'], ['d', 'e']]);
});

test('parenthesised groups stay one operand', () => {
  const groups = andOrGroups(where('a = 1 AND (b = 1 OR c = 1)'));
  assert.equal(groups.length, 1);
  assert.equal(groups[0]!.length, 2);
});
