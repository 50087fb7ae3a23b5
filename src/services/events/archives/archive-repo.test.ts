import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setup, T0 } from './test-support.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';

for (const engine of await metaEngines()) describe(`archives: archive-repo on ${engine.name}`, () => {

  const s = { account: '000000000000', region: 'us-east-1' };
  const DAY = 86_400_000;

  const newArchive = (name: string, extra: { bus?: string; retentionDays?: number } = {}) => ({
    name, bus: extra.bus ?? 'default', state: 'ENABLED', createdAt: T0, retentionDays: extra.retentionDays,
  });

  test('an archive name is unique per scope; the same name in another account is another archive', async () => {
    const { archives } = await setup(engine);
    assert.ok(await archives.create(s, newArchive('a')));
    assert.equal(await archives.create(s, newArchive('a')), undefined);
    assert.ok(await archives.create({ ...s, account: '111111111111' }, newArchive('a')));
    assert.equal((await archives.list(s, { limit: 10 })).length, 1);
  });

  test('append stores events and moves EventCount and SizeBytes in the same transaction', async () => {
    const { archives } = await setup(engine);
    const a = (await archives.create(s, newArchive('a')))!;
    await archives.append([
      { archiveId: a.id, eventTime: T0, archivedAt: T0, json: '{"x":1}' },
      { archiveId: a.id, eventTime: T0 + 1, archivedAt: T0, json: '{"x":22}' },
    ]);
    const after = (await archives.get(s, 'a'))!;
    assert.equal(after.eventCount, 2);
    assert.equal(after.sizeBytes, 7 + 8);
  });

  test('eventsBetween returns [start, end) in (time, insertion) order and continues after a cursor', async () => {
    const { archives } = await setup(engine);
    const a = (await archives.create(s, newArchive('a')))!;
    const at = (t: number, tag: string) => ({ archiveId: a.id, eventTime: T0 + t, archivedAt: T0, json: JSON.stringify({ tag }) });
    await archives.append([at(30, 'c'), at(10, 'a1'), at(10, 'a2'), at(20, 'b'), at(40, 'end'), at(5, 'early')]);
    const all = await archives.eventsBetween(a.id, { start: T0 + 10, end: T0 + 40, limit: 10 });
    assert.deepEqual(all.map((e) => JSON.parse(e.json).tag), ['a1', 'a2', 'b', 'c']);
    const first = await archives.eventsBetween(a.id, { start: T0 + 10, end: T0 + 40, limit: 1 });
    const rest = await archives.eventsBetween(a.id, { start: T0 + 10, end: T0 + 40, after: { time: first[0]!.eventTime, seq: first[0]!.seq }, limit: 10 });
    assert.deepEqual(rest.map((e) => JSON.parse(e.json).tag), ['a2', 'b', 'c']);
  });

  test('expire deletes only events older than their archive retention; 0 or no retention keeps them forever', async () => {
    const { archives } = await setup(engine);
    const kept = (await archives.create(s, newArchive('forever')))!;
    const zero = (await archives.create(s, newArchive('zero', { retentionDays: 0 })))!;
    const oneDay = (await archives.create(s, newArchive('one-day', { retentionDays: 1 })))!;
    for (const id of [kept.id, zero.id, oneDay.id]) {
      await archives.append([
        { archiveId: id, eventTime: T0, archivedAt: T0, json: '{"old":1}' },
        { archiveId: id, eventTime: T0, archivedAt: T0 + DAY, json: '{"new":1}' },
      ]);
    }
    assert.equal(await archives.expire(T0 + DAY + 1, 100), 1);
    assert.equal((await archives.get(s, 'one-day'))!.eventCount, 1);
    assert.equal((await archives.get(s, 'one-day'))!.sizeBytes, 9);
    assert.equal((await archives.get(s, 'forever'))!.eventCount, 2);
    assert.equal((await archives.get(s, 'zero'))!.eventCount, 2);
    const left = await archives.eventsBetween(oneDay.id, { start: 0, end: T0 + 10 * DAY, limit: 10 });
    assert.deepEqual(left.map((e) => e.json), ['{"new":1}']);
  });

  test('a deleted archive name starts empty at once; its old events are purged in batches', async () => {
    const { archives, db } = await setup(engine);
    const old = (await archives.create(s, newArchive('a')))!;
    await archives.append(Array.from({ length: 5 }, (_, i) => ({ archiveId: old.id, eventTime: T0 + i, archivedAt: T0, json: '{}' })));
    assert.equal(await archives.delete(s, 'a'), true);
    assert.equal(await archives.delete(s, 'a'), false);
    const fresh = (await archives.create(s, newArchive('a')))!;
    assert.notEqual(fresh.id, old.id);
    assert.equal(fresh.eventCount, 0);
    assert.deepEqual(await archives.eventsBetween(fresh.id, { start: 0, end: T0 + 10, limit: 10 }), []);
    assert.equal(await archives.purgeDeleted(2), 2);
    assert.equal(await archives.purgeDeleted(10), 3);
    assert.equal(await archives.purgeDeleted(10), 0);
    assert.equal((await db.get<{ n: number }>('SELECT count(*) AS n FROM events_archived'))!.n, 0);
  });

  test('list filters by prefix, bus and state and pages by name', async () => {
    const { archives } = await setup(engine);
    for (const n of ['b', 'a', 'ab', 'c']) await archives.create(s, newArchive(n, { bus: n === 'c' ? 'other' : 'default' }));
    assert.deepEqual((await archives.list(s, { prefix: 'a', limit: 10 })).map((a) => a.name), ['a', 'ab']);
    assert.deepEqual((await archives.list(s, { bus: 'other', limit: 10 })).map((a) => a.name), ['c']);
    assert.deepEqual((await archives.list(s, { after: 'ab', limit: 1 })).map((a) => a.name), ['b']);
    assert.deepEqual(await archives.list(s, { state: 'DISABLED', limit: 10 }), []);
  });
});
