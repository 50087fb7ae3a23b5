import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metaEngines } from '../../store/meta/test-support.ts';
import { AthenaStore } from './repo.ts';
import { ATHENA_MIGRATIONS } from './schema.ts';
import { expireHistory } from './history-retention.ts';
import { resultPath, writeResult } from './results.ts';
import type { QueryRecord } from './types.ts';

for (const engine of await metaEngines()) describe(`athena history retention on ${engine.name}`, () => {
test('finished queries older than 45 days go with their kept results; newer and running ones stay', async (t) => {
  const db = await engine.open({ name: 'athena', migrations: ATHENA_MIGRATIONS });
  t.after(() => db.close());
  const repo = new AthenaStore(db);
  const dir = mkdtempSync(join(tmpdir(), 'osprey-athena-retention-'));
  const s = { account: '000000000000', region: 'us-east-1' };
  const now = Date.UTC(2026, 5, 1);
  const q = (id: string, ageDays: number, state: QueryRecord['state']): QueryRecord => ({
    id, workgroup: 'primary', query: 'SELECT 1', statementType: 'DML', context: {}, resultConfig: {}, state, submitted: now - ageDays * 86_400_000,
  });
  for (const r of [q('old', 46, 'SUCCEEDED'), q('new', 44, 'SUCCEEDED'), q('old-running', 50, 'RUNNING')]) {
    await repo.insertQuery(s, r);
    writeResult(dir, s, r.id, { columns: [], rows: [] });
  }
  assert.equal(await expireHistory(repo, dir, now), 1);
  assert.equal(await repo.query(s, 'old'), undefined);
  assert.equal(existsSync(resultPath(dir, s, 'old')), false);
  assert.ok(await repo.query(s, 'new'));
  assert.ok(await repo.query(s, 'old-running'));
  rmSync(dir, { recursive: true, force: true });
});
});
