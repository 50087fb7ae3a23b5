import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { metaEngines } from './test-support.ts';
import { LogsMetaStore } from './logs.ts';

for (const engine of await metaEngines()) describe(`name prefixes on ${engine.name}`, () => {
test('name prefixes match case-sensitively and literally (no LIKE wildcards)', async () => {
  const db = await engine.open();
  after(() => db.close());
  const meta = new LogsMetaStore(db);
  for (const name of ['/app/a', '/App/b', '/app_x/c', '/appYx/d', '/app%z']) {
    await meta.createGroup({ account: '1', region: 'r', name, createdAt: 0, retentionDays: null, kmsKeyId: null, logGroupClass: 'STANDARD', deletionProtection: false, tags: {} });
  }
  const names = async (prefix: string) => (await meta.listGroups({ account: '1', region: 'r', prefix, limit: 10 })).map((g) => g.name);
  assert.deepEqual(await names('/app'), ['/app%z', '/app/a', '/appYx/d', '/app_x/c'], 'binary order');
  assert.deepEqual(await names('/App'), ['/App/b']);
  assert.deepEqual(await names('/app_'), ['/app_x/c']);
  assert.deepEqual(await names('/app%'), ['/app%z']);
  assert.deepEqual(await names('/app\\'), []);
});
});
