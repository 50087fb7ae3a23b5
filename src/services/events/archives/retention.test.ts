import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { silentLogger } from '../../../lib/logger.ts';
import { REPLAY_KEEP_MS } from './deps.ts';
import { ArchiveRetention } from './retention.ts';
import { setup, T0 } from './test-support.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';

for (const engine of await metaEngines()) describe(`archives: retention on ${engine.name}`, () => {

  const s = { account: '000000000000', region: 'us-east-1' };
  const DAY = 86_400_000;

  test('a retention pass deletes expired events in batches and the events of deleted archives, and nothing else', async () => {
    const env = await setup(engine);
    const week = (await env.archives.create(s, { name: 'week', bus: 'default', retentionDays: 7, state: 'ENABLED', createdAt: T0 }))!;
    const forever = (await env.archives.create(s, { name: 'forever', bus: 'default', retentionDays: 0, state: 'ENABLED', createdAt: T0 }))!;
    const gone = (await env.archives.create(s, { name: 'gone', bus: 'default', state: 'ENABLED', createdAt: T0 }))!;
    const rows = (id: number, n: number, archivedAt: number) => Array.from({ length: n }, (_, i) => ({ archiveId: id, eventTime: T0 + i, archivedAt, json: '{}' }));
    await env.archives.append([...rows(week.id, 5, T0), ...rows(week.id, 2, T0 + 7 * DAY), ...rows(forever.id, 3, T0), ...rows(gone.id, 4, T0)]);
    await env.archives.delete(s, 'gone');
    env.clock.set(T0 + 7 * DAY + 1);
    const retention = new ArchiveRetention({ archives: env.archives, replays: env.replays, clock: env.clock, log: silentLogger, batch: 2 });
    assert.equal(await retention.runOnce(), 5 + 4);
    assert.equal((await env.archives.get(s, 'week'))!.eventCount, 2);
    assert.equal((await env.archives.get(s, 'forever'))!.eventCount, 3);
    assert.equal((await env.db.get<{ n: number }>('SELECT count(*) AS n FROM events_archived'))!.n, 5);
    assert.equal(await retention.runOnce(), 0);
  });

  test('replays are dropped 90 days after they ended; running ones stay', async () => {
    const env = await setup(engine);
    const base = { account: s.account, region: s.region, archiveId: 1, archiveName: 'a', bus: 'default', eventStart: 0, eventEnd: 1, state: 'STARTING', startedAt: T0 };
    await env.replays.create({ ...base, name: 'old' });
    await env.replays.create({ ...base, name: 'running' });
    await env.replays.finish((await env.replays.get(s, 'old'))!, ['STARTING'], 'COMPLETED', undefined, T0);
    env.clock.set(T0 + REPLAY_KEEP_MS + 1);
    await new ArchiveRetention({ archives: env.archives, replays: env.replays, clock: env.clock, log: silentLogger }).runOnce();
    assert.equal(await env.replays.get(s, 'old'), undefined);
    assert.ok(await env.replays.get(s, 'running'));
  });
});
