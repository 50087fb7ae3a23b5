import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { eventually, metaEngines, twoNodes } from '../../store/meta/test-support.ts';
import { XrayStore } from './repo.ts';
import { XRAY_MIGRATIONS } from './schema.ts';
import { XraySettingsStore } from './settings-repo.ts';

const s = { account: '000000000000', region: 'us-east-1' };

for (const engine of await metaEngines()) describe(`xray metadata repos on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'xray', migrations: XRAY_MIGRATIONS });
    t.after(() => db.close());
    return { repo: new XrayStore(db), settings: new XraySettingsStore(db) };
  }

  test('groups, rules, tags and the encryption key', async (t) => {
    const { repo } = await fresh(t);
    await repo.putGroup(s, { name: 'g', arn: 'arn:g', filterExpression: 'ok', insightsEnabled: true, notificationsEnabled: false });
    await repo.putGroup(s, { name: 'g', arn: 'arn:g', insightsEnabled: false, notificationsEnabled: true });
    assert.deepEqual(await repo.groups(s), [{ name: 'g', arn: 'arn:g', insightsEnabled: false, notificationsEnabled: true }]);
    await repo.putRule(s, { name: 'r', arn: 'arn:r', rule: { FixedRate: 0.5 }, createdAt: 1, modifiedAt: 1 });
    await repo.putRule(s, { name: 'r', arn: 'arn:r', rule: { FixedRate: 1 }, createdAt: 9, modifiedAt: 2 });
    assert.deepEqual(await repo.rule(s, 'r'), { name: 'r', arn: 'arn:r', rule: { FixedRate: 1 }, createdAt: 1, modifiedAt: 2 });
    await repo.putTags(s, 'arn:g', { a: '1', b: '2', c: '3' });
    await repo.putTags(s, 'arn:g', { a: 'x' });
    await repo.removeTags(s, 'arn:g', ['b', 'nope']);
    assert.deepEqual(await repo.tags(s, 'arn:g'), { a: 'x', c: '3' });
    await repo.removeTags(s, 'arn:g');
    assert.deepEqual(await repo.tags(s, 'arn:g'), {});
    assert.equal(await repo.encryptionKey(s), undefined);
    await repo.setEncryptionKey(s, 'arn:key');
    await repo.setEncryptionKey(s, 'arn:key2');
    assert.equal(await repo.encryptionKey(s), 'arn:key2');
    assert.ok(await repo.deleteGroup(s, 'g'));
    assert.ok(await repo.deleteRule(s, 'r'));
  });

  test('sampling reports of one window add up; old windows, retrievals and telemetry expire', async (t) => {
    const { settings } = await fresh(t);
    await settings.addSamplingReport(s, { rule: 'r', windowStart: 100, requests: 3, borrowed: 1, sampled: 2 }, 0);
    await settings.addSamplingReport(s, { rule: 'r', windowStart: 100, requests: 4, borrowed: 0, sampled: 1 }, 0);
    await settings.addSamplingReport(s, { rule: 'r', windowStart: 200, requests: 1, borrowed: 0, sampled: 0 }, 150);
    assert.deepEqual(await settings.samplingWindows(s, 0), [{ rule: 'r', windowStart: 200, requests: 1, borrowed: 0, sampled: 0 }]);
    await settings.addSamplingReport(s, { rule: 'r', windowStart: 200, requests: 4, borrowed: 2, sampled: 3 }, 150);
    assert.deepEqual(await settings.samplingWindows(s, 0), [{ rule: 'r', windowStart: 200, requests: 5, borrowed: 2, sampled: 3 }]);
    await settings.forgetSamplingRule(s, 'r');
    assert.deepEqual(await settings.samplingWindows(s, 0), []);
    await settings.putRetrieval(s, { token: 'a', traceIds: ['1-x'], start: 1.5, end: 2.25, status: 'COMPLETE', createdAt: 10 }, 0);
    await settings.setRetrievalStatus(s, 'a', 'CANCELLED');
    assert.deepEqual(await settings.retrieval(s, 'a'), { token: 'a', traceIds: ['1-x'], start: 1.5, end: 2.25, status: 'CANCELLED', createdAt: 10 });
    await settings.putRetrieval(s, { token: 'b', traceIds: [], start: 0, end: 1, status: 'COMPLETE', createdAt: 20 }, 15);
    assert.equal(await settings.retrieval(s, 'a'), undefined);
    await settings.addTelemetry(s, [{ source: 'd', at: 5, received: 1, sent: 1, spillover: 0, rejected: 0, backendErrors: { Timeout: 1 } }], 0);
    await settings.putPolicy(s, { name: 'p', document: '{}', revision: 1, updatedAt: 1 });
    await settings.putPolicy(s, { name: 'p', document: '{"a":1}', revision: 2, updatedAt: 2 });
    assert.deepEqual(await settings.policies(s), [{ name: 'p', document: '{"a":1}', revision: 2, updatedAt: 2 }]);
    assert.ok(await settings.deletePolicy(s, 'p'));
  });
  test("an encryption config put on one node is the key every node's next batch is sealed with", async (t) => {
    const db = await engine.open({ name: 'xray', migrations: XRAY_MIGRATIONS });
    t.after(() => db.close());
    const { a, b } = await twoNodes(engine, db, t);
    const onA = new XrayStore(a.db, a.changes);
    const onB = new XrayStore(b.db, b.changes);
    const other = { account: '111111111111', region: 'us-east-1' };
    assert.equal(await onB.encryptionKey(s), undefined, 'cached on node B: Type NONE');
    assert.equal(await onB.encryptionKey(other), undefined);
    await onA.setEncryptionKey(s, 'arn:aws:kms:us-east-1:000000000000:key/k1');
    await eventually('the key on node B', async () => (await onB.encryptionKey(s)) === 'arn:aws:kms:us-east-1:000000000000:key/k1');
    await onA.setEncryptionKey(s, undefined);
    await eventually('Type NONE on node B', async () => (await onB.encryptionKey(s)) === undefined);
  });
});
