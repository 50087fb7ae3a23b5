/**
 * Prepared statements in executions, over the real repository on both engines (every Athena migration
 * applied, in id order): PREPARE / DEALLOCATE recorded finished, EXECUTE and ExecutionParameters
 * bound when the query runs, scoped by account, Region and workgroup.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { metaEngines } from '../../store/meta/test-support.ts';
import { ManualClock } from '../../lib/clock.ts';
import type { AthenaDeps } from './deps.ts';
import { bindStatement, isUtilityStatement, runUtilityStatement } from './prepared-execution.ts';
import { AthenaStore } from './repo.ts';
import { readResult } from './results.ts';
import { ATHENA_MIGRATIONS } from './schema.ts';
import { AthenaSqlError } from './sql/errors.ts';
import type { QueryRecord } from './types.ts';

const A = { account: '000000000000', region: 'us-east-1' };
const B = { account: '111111111111', region: 'us-east-1' };

for (const engine of await metaEngines()) describe(`athena prepared statements on ${engine.name}`, () => {
async function setup(t: { after(fn: () => void | Promise<void>): void }) {
  const db = await engine.open({ name: 'athena', migrations: ATHENA_MIGRATIONS });
  t.after(() => db.close());
  const repo = new AthenaStore(db);
  const resultsDir = mkdtempSync(join(tmpdir(), 'osprey-athena-prepared-'));
  t.after(() => rmSync(resultsDir, { recursive: true, force: true }));
  const deps = { repo, clock: new ManualClock(1_750_000_000_000), resultsDir } as unknown as AthenaDeps;
  const query = (sql: string, executionParameters?: string[], workgroup = 'primary'): QueryRecord => ({
    id: `q-${Math.random()}`, workgroup, query: sql, statementType: 'UTILITY', context: {}, resultConfig: {}, state: 'QUEUED', submitted: 1_750_000_000_000, executionParameters,
  });
  return { repo, deps, query, resultsDir };
}

const rejects = (p: Promise<unknown>, type: string, message: RegExp) =>
  assert.rejects(p, (e: unknown) => e instanceof AthenaSqlError && e.errorType === type && message.test(e.message));

test('PREPARE stores (and replaces) the statement in the query\'s workgroup; DEALLOCATE removes it; both finish at once with an empty result', async (t) => {
  const { repo, deps, query, resultsDir } = await setup(t);
  assert.ok(isUtilityStatement('/* c */ prepare s1 FROM SELECT 1') && isUtilityStatement('DEALLOCATE PREPARE s1') && !isUtilityStatement('EXECUTE s1'));
  const q = query('PREPARE by_group FROM SELECT * FROM logs WHERE log_group = ?');
  const done = await runUtilityStatement(deps, A, q);
  assert.deepEqual([done.state, done.started, done.completed, done.resultRows], ['SUCCEEDED', q.submitted, 1_750_000_000_000, 0]);
  assert.deepEqual(readResult(resultsDir, A, q.id), { columns: [], rows: [] });
  await repo.prepared.update(A, { ...(await repo.prepared.get(A, 'primary', 'by_group'))!, description: 'kept' });
  await runUtilityStatement(deps, A, query('PREPARE by_group FROM SELECT 2'));
  assert.deepEqual(await repo.prepared.get(A, 'primary', 'by_group'), { name: 'by_group', workgroup: 'primary', query: 'SELECT 2', description: 'kept', lastModified: 1_750_000_000_000 });
  assert.equal(await repo.prepared.get(A, 'other_wg', 'by_group'), undefined);
  assert.equal(await repo.prepared.get(B, 'primary', 'by_group'), undefined);
  assert.equal((await runUtilityStatement(deps, B, query('DEALLOCATE PREPARE by_group'))).reason, 'NOT_FOUND: Prepared statement not found: by_group');
  assert.equal((await runUtilityStatement(deps, A, query('DEALLOCATE PREPARE by_group'))).state, 'SUCCEEDED');
  assert.equal(await repo.prepared.get(A, 'primary', 'by_group'), undefined);
});

test('a failing PREPARE is a FAILED user error, not a thrown one', async (t) => {
  const { deps, query } = await setup(t);
  const failed = await runUtilityStatement(deps, A, query('PREPARE s1 FROM SELECT 1', ['1']));
  assert.deepEqual([failed.state, failed.reason, failed.error?.ErrorCategory], ['FAILED', 'INVALID_PARAMETER_USAGE: line 1:1: Incorrect number of parameters: expected 0 but found 1', 2]);
  assert.match((await runUtilityStatement(deps, A, query('PREPARE s1 SELECT 1'))).reason!, /^SYNTAX_ERROR: line 1:12: mismatched input 'SELECT'. Expecting: 'FROM'$/);
});

test('bindStatement: a plain query unchanged, with ExecutionParameters bound; EXECUTE from the scope\'s workgroup with USING or ExecutionParameters', async (t) => {
  const { repo, query } = await setup(t);
  await repo.prepared.insert(A, { name: 'two', workgroup: 'primary', query: 'SELECT * FROM logs WHERE a = ? AND b = ?', lastModified: 1 });
  const plain = "SELECT '?' FROM logs";
  assert.equal(await bindStatement(repo.prepared, A, query(plain)), plain);
  assert.equal(await bindStatement(repo.prepared, A, query('SELECT 1 WHERE a = ?', ["'x'"])), "SELECT 1 WHERE a =  'x' ");
  assert.equal(await bindStatement(repo.prepared, A, query("EXECUTE two USING 1, 'b'")), "SELECT * FROM logs WHERE a =  1  AND b =  'b' ");
  assert.equal(await bindStatement(repo.prepared, A, query('EXECUTE two', ['2', 'NULL'])), 'SELECT * FROM logs WHERE a =  2  AND b =  NULL ');
  await rejects(bindStatement(repo.prepared, B, query('EXECUTE two USING 1, 2')), 'NOT_FOUND', /^Prepared statement not found: two$/);
  await rejects(bindStatement(repo.prepared, A, query('EXECUTE two USING 1, 2', undefined, 'analysts')), 'NOT_FOUND', /two/);
  await rejects(bindStatement(repo.prepared, A, query('EXECUTE two USING 1', ['2'])), 'INVALID_PARAMETER_USAGE', /not both/);
  await rejects(bindStatement(repo.prepared, A, query('EXECUTE two USING 1')), 'INVALID_PARAMETER_USAGE', /expected 2 but found 1/);
  await rejects(bindStatement(repo.prepared, A, query('EXECUTE two', ['1', '1); DROP TABLE x'])), 'INVALID_PARAMETER_USAGE', /^Parameter 2 /);
});

test('deleting a workgroup deletes its prepared statements', async (t) => {
  const { repo } = await setup(t);
  await repo.prepared.insert(A, { name: 'gone', workgroup: 'analysts', query: 'SELECT 1', lastModified: 1 });
  await repo.prepared.insert(A, { name: 'stays', workgroup: 'primary', query: 'SELECT 1', lastModified: 1 });
  assert.equal(await repo.prepared.insert(A, { name: 'stays', workgroup: 'primary', query: 'SELECT 2', lastModified: 2 }), false);
  await repo.deleteWorkgroup(A, 'analysts', false);
  assert.deepEqual((await repo.prepared.list(A, 'analysts', { limit: 10 })).length, 0);
  assert.deepEqual((await repo.prepared.list(A, 'primary', { limit: 10 })).map((p) => [p.name, p.query]), [['stays', 'SELECT 1']]);
});
});
