import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from '../../store/meta/test-support.ts';
import { SyntheticsStore } from './repo.ts';
import { SYNTHETICS_MIGRATIONS } from './schema.ts';
import type { CanaryRecord } from './types.ts';

const S = { account: '000000000000', region: 'us-east-1' };
const canary = (name: string, id = `id-${name}`): CanaryRecord => ({
  name, id, codeSha: 'x', state: 'READY', createdAt: 0, modifiedAt: 0, tags: {}, config: {} as CanaryRecord['config'],
});

for (const engine of await metaEngines()) describe(`synthetics repo on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'synthetics', migrations: SYNTHETICS_MIGRATIONS });
    t.after(() => db.close());
    return new SyntheticsStore(db);
  }

  test('canaries: a taken name is refused; list by names; transitions only from the given states; code as a Buffer', async (t) => {
    const repo = await fresh(t);
    assert.equal(await repo.insertCanary(S, canary('b'), Buffer.from('zip-b')), true);
    assert.equal(await repo.insertCanary(S, canary('b', 'other'), Buffer.from('zip')), false);
    await repo.insertCanary(S, canary('a'), Buffer.from('zip-a'));
    assert.deepEqual((await repo.listCanaries(S, { limit: 10 })).map((c) => c.name), ['a', 'b']);
    assert.deepEqual((await repo.listCanaries(S, { names: ['b', 'zz'], limit: 10 })).map((c) => c.name), ['b']);
    assert.equal(await repo.countCanaries(S), 2);
    assert.deepEqual(await repo.code(S, 'b'), Buffer.from('zip-b'));
    assert.equal(await repo.transition(S, 'b', ['RUNNING'], { state: 'STOPPING' }), false);
    assert.equal(await repo.transition(S, 'b', ['READY', 'STOPPED'], { state: 'STARTING', lastStarted: 5 }), true);
    assert.deepEqual((await repo.canariesIn(['STARTING'])).map((c) => c.name), ['b']);
    await repo.updateCanary(S, 'b', { tags: { k: 'v' } });
    assert.deepEqual((await repo.canary(S, 'b'))!.tags, { k: 'v' });
    await repo.deleteCanary(S, (await repo.canary(S, 'b'))!, 'arn:b');
    assert.equal(await repo.canary(S, 'b'), undefined);
  });

  test('groups: found by id or by name in any case; members and the groups of a resource', async (t) => {
    const repo = await fresh(t);
    assert.equal(await repo.insertGroup(S, { id: 'g1', name: 'Shop', createdAt: 1, modifiedAt: 1, tags: {} }), true);
    assert.equal(await repo.insertGroup(S, { id: 'g1', name: 'Shop', createdAt: 1, modifiedAt: 1, tags: {} }), false);
    assert.equal((await repo.group(S, 'shop'))!.id, 'g1');
    assert.equal((await repo.group(S, 'g1'))!.name, 'Shop');
    await repo.associate(S, 'g1', 'arn:c');
    await repo.associate(S, 'g1', 'arn:c');
    assert.deepEqual(await repo.groupResources(S, 'g1'), ['arn:c']);
    assert.deepEqual((await repo.groupsOf(S, 'arn:c')).map((g) => g.id), ['g1']);
    assert.equal(await repo.disassociate(S, 'g1', 'arn:c'), true);
    assert.equal(await repo.countGroups(S), 1);
    await repo.setGroupTags(S, 'g1', { a: 'b' });
    assert.deepEqual((await repo.listGroups(S, { limit: 10 }))[0]!.tags, { a: 'b' });
  });
});
