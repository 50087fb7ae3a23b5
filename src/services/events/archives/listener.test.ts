import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { silentLogger } from '../../../lib/logger.ts';
import { archiveListener, eventTimeOf } from './listener.ts';
import { busEvent, fakeCompile, setup, T0 } from './test-support.ts';
import { metaEngines } from '../../../store/meta/test-support.ts';

for (const engine of await metaEngines()) describe(`archives: listener on ${engine.name}`, () => {

  const s = { account: '000000000000', region: 'us-east-1' };

  async function withArchives() {
    const env = await setup(engine);
    const shop = (await env.archives.create(s, { name: 'shop', bus: 'orders', eventPattern: '{"source":["shop"]}', state: 'ENABLED', createdAt: T0 }))!;
    const all = (await env.archives.create(s, { name: 'all', bus: 'orders', state: 'ENABLED', createdAt: T0 }))!;
    let compiles = 0;
    const listener = archiveListener({
      archives: env.archives, clock: env.clock, log: silentLogger,
      compile: (text) => {
        compiles += 1;
        return fakeCompile(text);
      },
    });
    return { ...env, shop, all, listener, compiles: () => compiles };
  }

  const stored = async (env: Awaited<ReturnType<typeof withArchives>>, id: number) =>
    (await env.archives.eventsBetween(id, { start: 0, end: Number.MAX_SAFE_INTEGER, limit: 100 })).map((e) => JSON.parse(e.json) as Record<string, unknown>);

  test('each archive of the bus keeps the events its pattern matches; an archive without a pattern keeps all', async () => {
    const env = await withArchives();
    await env.listener(s, 'orders', [busEvent({ source: 'shop', time: T0 }), busEvent({ source: 'billing', time: T0 + 1 })], 0);
    assert.deepEqual((await stored(env, env.shop.id)).map((e) => e.source), ['shop']);
    assert.deepEqual((await stored(env, env.all.id)).map((e) => e.source), ['shop', 'billing']);
    assert.equal((await env.archives.get(s, 'shop'))!.eventCount, 1);
    assert.equal((await env.archives.get(s, 'all'))!.eventCount, 2);
  });

  test('the archived text is the event exactly as the bus carried it, stored under its event time', async () => {
    const env = await withArchives();
    const e = busEvent({ source: 'shop', time: T0 - 3_600_000, detail: { n: 1 } }, T0);
    await env.listener(s, 'orders', [e], 0);
    const [row] = await env.archives.eventsBetween(env.shop.id, { start: 0, end: Number.MAX_SAFE_INTEGER, limit: 1 });
    assert.equal(row!.json, e.json);
    assert.equal(row!.eventTime, T0 - 3_600_000);
  });

  test('replayed events (with "replay-name") are never archived again', async () => {
    const env = await withArchives();
    const e = busEvent({ source: 'shop', time: T0 });
    const replayed = { ...e, event: { ...e.event, 'replay-name': 'r' } };
    await env.listener(s, 'orders', [{ ...replayed, json: JSON.stringify(replayed.event) }], 0);
    assert.deepEqual(await stored(env, env.all.id), []);
  });

  test('other buses and other accounts do not reach the archives', async () => {
    const env = await withArchives();
    await env.listener(s, 'default', [busEvent({ source: 'shop', time: T0 })], 0);
    await env.listener({ ...s, account: '111111111111' }, 'orders', [busEvent({ source: 'shop', time: T0 })], 0);
    assert.deepEqual(await stored(env, env.all.id), []);
  });

  test('a pattern is compiled once and reused across batches', async () => {
    const env = await withArchives();
    for (let i = 0; i < 3; i++) await env.listener(s, 'orders', [busEvent({ source: 'shop', time: T0 + i })], 0);
    assert.equal(env.compiles(), 1);
    assert.equal((await env.archives.get(s, 'shop'))!.eventCount, 3);
  });

  test('eventTimeOf reads the event\'s time and falls back to the ingestion time', () => {
    assert.equal(eventTimeOf({ time: '2026-01-01T00:00:00Z' }, 5), T0);
    assert.equal(eventTimeOf({ time: 'not a time' }, 5), 5);
    assert.equal(eventTimeOf({}, 7), 7);
  });
});
