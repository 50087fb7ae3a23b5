import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from './test-support.ts';
import { migrateModuleOn } from './sql/migrate.ts';
import { ScopedCursors, scopedCursorsSql } from './scoped-cursors.ts';

for (const engine of await metaEngines()) describe(`scoped cursors on ${engine.name}`, () => {
  test('each telemetry scope moves its own cursor; dropping a resource forgets it in every scope', async (t) => {
    const db = await engine.open();
    t.after(() => db.close());
    await migrateModuleOn(db, 'cursor-test', [{ id: 1, name: 'cursors', sql: scopedCursorsSql('test_cursors') }]);
    const a = new ScopedCursors(db, 'test_cursors', 'node-a');
    const b = new ScopedCursors(db, 'test_cursors', 'node-b');
    assert.equal(await a.get('trail'), undefined);
    await a.set('trail', 41);
    await b.set('trail', 7);
    // Beyond 32 bits: PostgreSQL's INTEGER would overflow; the store's columns are 64-bit.
    await a.set('trail', 2 ** 40);
    assert.equal(await a.get('trail'), 2 ** 40);
    assert.equal(await b.get('trail'), 7);
    await a.drop('trail');
    assert.equal(await a.get('trail'), undefined);
    assert.equal(await b.get('trail'), undefined);
  });
});
