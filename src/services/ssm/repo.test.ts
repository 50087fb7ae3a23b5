import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { metaEngines } from '../../store/meta/test-support.ts';
import { ParameterStore, type ParameterVersion } from './repo.ts';
import { SSM_MIGRATIONS } from './schema.ts';

const s = { account: '000000000000', region: 'us-east-1' };

const v = (name: string, version: number, extra: Partial<ParameterVersion> = {}): ParameterVersion => ({
  name, version, type: 'String', value: `v${version}`, tier: 'Standard', dataType: 'text', modifiedAt: version, modifiedBy: 'me', labels: [], ...extra,
});

for (const engine of await metaEngines()) describe(`ssm parameters repo on ${engine.name}`, () => {
  async function fresh(t: { after(fn: () => Promise<void>): void }) {
    const db = await engine.open({ name: 'ssm', migrations: SSM_MIGRATIONS });
    t.after(() => db.close());
    return new ParameterStore(db);
  }

  test('versions append, the oldest beyond `keep` drop, labels move, and removing a parameter drops its history', async (t) => {
    const repo = await fresh(t);
    await repo.append(s, v('/a', 1), { tags: { t: '1' }, keep: 2 });
    await repo.append(s, v('/a', 2), { keep: 2 });
    await repo.append(s, v('/a', 3, { tier: 'Advanced' }), { keep: 2 });
    assert.deepEqual((await repo.history(s, '/a')).map((x) => x.version), [2, 3]);
    assert.equal((await repo.latest(s, '/a'))!.value, 'v3');
    await repo.setLabels(s, '/a', new Map([[2, ['old']], [3, ['new', 'x']]]));
    assert.deepEqual((await repo.version(s, '/a', 3))!.labels, ['new', 'x']);
    assert.deepEqual(await repo.tags(s, '/a'), { t: '1' });
    assert.ok(await repo.setTags(s, '/a', { u: '2' }));
    assert.deepEqual(await repo.tags(s, '/a'), { u: '2' });
    assert.equal(await repo.count(s), 1);
    assert.equal(await repo.count(s, 'Advanced'), 1);
    assert.equal(await repo.count(s, 'Standard'), 0);
    assert.ok(await repo.remove(s, '/a'));
    assert.deepEqual(await repo.history(s, '/a'), []);
    assert.equal(await repo.remove(s, '/a'), false);
  });

  test('list pages by name within a prefix, names with % and _ included', async (t) => {
    const repo = await fresh(t);
    for (const name of ['/p/a', '/p/b_%', '/p/c', '/q/a', '/pz']) await repo.append(s, v(name, 1), { tags: {}, keep: 100 });
    assert.deepEqual((await repo.list(s, { prefix: '/p/', limit: 10 })).map((x) => x.name), ['/p/a', '/p/b_%', '/p/c']);
    assert.deepEqual((await repo.list(s, { prefix: '/p/', after: '/p/a', limit: 1 })).map((x) => x.name), ['/p/b_%']);
    assert.deepEqual((await repo.list(s, { limit: 10 })).map((x) => x.name), ['/p/a', '/p/b_%', '/p/c', '/pz', '/q/a']);
  });
});
