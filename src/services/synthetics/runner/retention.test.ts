import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metaEngines } from '../../../store/meta/test-support.ts';
import { SyntheticsStore } from '../repo.ts';
import { SYNTHETICS_MIGRATIONS } from '../schema.ts';
import type { CanaryRecord, RunRecord } from '../types.ts';
import { applyRetention } from './retention.ts';

const DAY = 86_400_000;
const silent = { warn() {}, info() {}, error() {}, debug() {} } as never;

for (const engine of await metaEngines()) describe(`synthetics retention on ${engine.name}`, () => {
test('runs past their retention go with their local artifacts; the others stay', async (t) => {
  const db = await engine.open({ name: 'synthetics', migrations: SYNTHETICS_MIGRATIONS });
  t.after(() => db.close());
  const repo = new SyntheticsStore(db);
  const dir = mkdtempSync(join(tmpdir(), 'osprey-retention-'));
  const scope = { account: '000000000000', region: 'us-east-1' };
  const other = { account: '111111111111', region: 'us-east-1' };
  const now = Date.UTC(2026, 5, 1);
  const canary = (id: string): CanaryRecord => ({
    name: 'shop', id, codeSha: 'x', state: 'RUNNING', createdAt: 0, modifiedAt: 0, tags: {},
    config: { successRetentionDays: 2, failureRetentionDays: 10 } as CanaryRecord['config'],
  });
  await repo.insertCanary(scope, canary('c1'), Buffer.from('zip'));
  await repo.insertCanary(other, { ...canary('c2'), config: { successRetentionDays: 1, failureRetentionDays: 1 } as CanaryRecord['config'] }, Buffer.from('zip'));
  const run = (canaryId: string, id: string, state: RunRecord['state'], ageDays: number): RunRecord => {
    const localDir = join(dir, id);
    mkdirSync(localDir);
    return { canaryId, id, scheduledRunId: id, retryAttempt: 0, state, started: now - ageDays * DAY, completed: now - ageDays * DAY + 1000, artifactLocation: 's3://b/x', localDir };
  };
  for (const r of [run('c1', 'old-pass', 'PASSED', 3), run('c1', 'new-pass', 'PASSED', 1), run('c1', 'old-fail', 'FAILED', 5), run('c1', 'ancient-fail', 'FAILED', 11)]) await repo.insertRun(scope, r);
  await repo.insertRun(other, run('c2', 'other-fail', 'FAILED', 5));
  assert.equal(await applyRetention(repo, now, silent), 3);
  assert.deepEqual((await repo.listRuns(scope, 'c1', { limit: 10 })).map((r) => r.id).sort(), ['new-pass', 'old-fail']);
  assert.deepEqual(await repo.listRuns(other, 'c2', { limit: 10 }), []);
  assert.equal(existsSync(join(dir, 'old-pass')), false);
  assert.equal(existsSync(join(dir, 'new-pass')), true);
  rmSync(dir, { recursive: true, force: true });
});
});
