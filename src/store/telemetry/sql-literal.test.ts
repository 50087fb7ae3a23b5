import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChdbEngine } from './engine.ts';
import { intLiteral, stringLiteral } from './sql-literal.ts';

const dir = mkdtempSync(join(tmpdir(), 'osprey-literal-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('string literals round-trip every awkward character through ClickHouse', async () => {
  const engine = await ChdbEngine.open({ path: dir });
  try {
    for (const s of ["it's", 'back\\slash', "\\'", "'; DROP TABLE x; --", 'tab\tnew\nline', 'ü€𝄞', '', '\\']) {
      const [row] = await engine.query<{ v: string }>(`SELECT ${stringLiteral(s)} AS v`);
      assert.equal(row!.v, s);
    }
  } finally {
    await engine.close();
  }
});

test('integer literals refuse anything but safe integers', () => {
  assert.equal(intLiteral(-5), '-5');
  assert.throws(() => intLiteral(1.5));
  assert.throws(() => intLiteral(Number.NaN));
});
