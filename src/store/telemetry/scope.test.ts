import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCOPE_FILE, SHARED_SCOPE, telemetryScope } from './scope.ts';

test('an embedded store keeps one id across restarts; a ClickHouse server is one shared scope', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-scope-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const first = telemetryScope('chdb', dir);
  assert.equal(first.shared, false);
  assert.match(first.id, /^[0-9a-f]{16}$/);
  assert.deepEqual(telemetryScope('chdb', dir), first);
  assert.deepEqual(telemetryScope('clickhouse', dir), { id: SHARED_SCOPE, shared: true });
  // A torn or edited file gets a new id rather than a cursor key that is not an id.
  writeFileSync(join(dir, SCOPE_FILE), 'garbage');
  assert.notEqual(telemetryScope('chdb', dir).id, first.id);
});
