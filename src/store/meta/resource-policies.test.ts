import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from './test-support.ts';
import { LogsMetaStore } from './logs.ts';
import { ResourcePolicyStore, type ResourcePolicyRecord } from './resource-policies.ts';

const A = '111111111111';

for (const engine of await metaEngines()) describe(`resource policies on ${engine.name}`, () => {
async function fresh(t: { after(fn: () => Promise<void>): void }) {
  const db = await engine.open();
  t.after(() => db.close());
  const meta = new LogsMetaStore(db);
  await meta.createGroup({
    account: A, region: 'us-east-1', name: '/app', createdAt: 1, retentionDays: null, kmsKeyId: null,
    logGroupClass: 'STANDARD', deletionProtection: false, tags: {},
  });
  return { meta, repo: new ResourcePolicyStore(db) };
}

const account = (name: string, region = 'us-east-1'): ResourcePolicyRecord => ({
  account: A, region, scope: 'ACCOUNT', policyName: name, logGroup: null, resourceArn: null, document: '{}', revisionId: null, updatedAt: 1,
});
const onGroup = (group: string, revisionId: string): ResourcePolicyRecord => ({
  account: A, region: 'us-east-1', scope: 'RESOURCE', policyName: null, logGroup: group,
  resourceArn: `arn:aws:logs:us-east-1:${A}:log-group:${group}`, document: '{"g":1}', revisionId, updatedAt: 2,
});

test('account policies: at most N per account and region; replacing one by name is not a new one', async (t) => {
  const { repo } = await fresh(t);
  assert.equal((await repo.put(account('a'), 2)).ok, true);
  assert.equal((await repo.put(account('b'), 2)).ok, true);
  assert.deepEqual(await repo.put(account('c'), 2), { ok: false, reason: 'limit' });
  assert.equal((await repo.put({ ...account('a'), document: '{"x":1}', updatedAt: 5 }, 2)).ok, true);
  assert.equal((await repo.put(account('c', 'eu-west-1'), 2)).ok, true, 'another region counts apart');
  assert.equal((await repo.put(onGroup('/app', 'r1'), 2)).ok, true, 'log group policies do not count');
  assert.deepEqual((await repo.list({ account: A, region: 'us-east-1', scope: 'ACCOUNT', limit: 10 })).map((p) => [p.policyName, p.document]), [['a', '{"x":1}'], ['b', '{}']]);
  assert.deepEqual((await repo.list({ account: A, region: 'us-east-1', scope: 'ACCOUNT', after: 'a', limit: 10 })).map((p) => p.policyName), ['b']);
  assert.equal(await repo.delete(A, 'us-east-1', 'ACCOUNT', 'a'), true);
  assert.equal(await repo.delete(A, 'us-east-1', 'ACCOUNT', 'a'), false);
});

test('a log group policy is one per group, read with the account policies, and deleted with the group', async (t) => {
  const { meta, repo } = await fresh(t);
  await repo.put(account('acct'), 10);
  await repo.put(onGroup('/app', 'r1'), 10);
  await repo.put(onGroup('/app', 'r2'), 10);
  assert.equal((await repo.get(A, 'us-east-1', 'RESOURCE', '/app'))?.revisionId, 'r2');
  assert.deepEqual((await repo.forLogGroup(A, 'us-east-1', '/app')).map((p) => [p.scope, p.policyName ?? p.logGroup]), [['ACCOUNT', 'acct'], ['RESOURCE', '/app']]);
  await assert.rejects(repo.put(onGroup('/missing', 'r'), 10), /foreign key/i);
  await meta.deleteGroup({ account: A, region: 'us-east-1', name: '/app' });
  assert.equal(await repo.get(A, 'us-east-1', 'RESOURCE', '/app'), undefined);
  assert.equal((await repo.list({ account: A, region: 'us-east-1', scope: 'ACCOUNT', limit: 10 })).length, 1);
});
});
