/**
 * The relay between two nodes on one PostgreSQL (two handles, two change signals): a batch node A
 * ingests for a group node B tails reaches B's hub once, other groups and B's own batches are not
 * relayed, nothing is relayed once B's session ended, and B's sessions count against the account's
 * quota on A. Prints the relay's delay (A's ingest → B's hub). Several nodes exist only on
 * PostgreSQL; on SQLite the relay is not created.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { silentLogger } from '../../lib/logger.ts';
import { systemClock } from '../../lib/clock.ts';
import { metaEngines, twoNodes } from '../../store/meta/test-support.ts';
import type { IngestedBatch } from './ingest-hooks.ts';
import { LIVE_TAIL_MIGRATIONS, LiveTailRelay } from './live-tail-relay.ts';

const batch = (group: string, message: string): IngestedBatch => ({
  account: '000000000000', region: 'us-east-1', logGroup: group, logStream: 's',
  events: [{ timestamp: Date.now(), message, ingestionTime: Date.now(), eventId: '1' }],
});

async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

for (const engine of (await metaEngines()).filter((e) => e.name !== 'sqlite')) describe(`live tail relay on ${engine.name}`, () => {
  test('A relays the tailed group\'s batches to B\'s hub, once each, and stops when B\'s session ends', async (t) => {
    const db = await engine.open({ name: 'logs', migrations: LIVE_TAIL_MIGRATIONS });
    const nodes = await twoNodes(engine, db, t);
    const relay = (n: typeof nodes.a, id: string) => new LiveTailRelay({ db: n.db, changes: n.changes, nodeId: id, clock: systemClock, log: silentLogger });
    const [a, b] = [relay(nodes.a, 'node-a'), relay(nodes.b, 'node-b')];
    const got: { message: string; at: number }[] = [];
    const hubB = { size: () => 1, onIngest: async (x: IngestedBatch) => { got.push({ message: x.events[0]!.message, at: performance.now() }); } };
    await a.start({ size: () => 0, onIngest: async () => { throw new Error('A has no sessions'); } });
    await b.start(hubB);
    t.after(async () => { await a.stop(); await b.stop(); await db.close(); });

    await b.opened('session-1', '000000000000', 'us-east-1', ['/tailed']);
    assert.deepEqual([await a.count('000000000000'), await b.count('000000000000'), await a.count('111111111111')], [1, 0, 0],
      'the account\'s sessions on other nodes count against its quota');
    await a.onIngest(batch('/tailed', 'before the signal'));
    await until('A to learn of B\'s session', () => got.length > 0 || (a as unknown as { wanted: Set<string> }).wanted.size > 0);

    const N = 200;
    const sentAt = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      sentAt.set(`m${i}`, performance.now());
      await a.onIngest(batch('/tailed', `m${i}`));
      await a.onIngest(batch('/other', `x${i}`));
      await b.onIngest(batch('/tailed', `own${i}`));
      await new Promise((r) => setTimeout(r, 5));
    }
    await until('every relayed batch', () => got.filter((g) => g.message.startsWith('m')).length >= N);
    await new Promise((r) => setTimeout(r, 1200));
    const relayed = got.filter((g) => sentAt.has(g.message));
    assert.equal(relayed.length, N, 'each batch once (a second read does not hand it again)');
    assert.ok(got.every((g) => g.message.startsWith('m') || g.message === 'before the signal'), 'other groups and B\'s own batches are not relayed');
    const delays = relayed.map((g) => g.at - sentAt.get(g.message)!).sort((x, y) => x - y);
    const q = (p: number) => delays[Math.min(N - 1, Math.floor(p * N))]!.toFixed(1);
    console.log(`# relay A → B over ${N} batches: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`);

    await b.closed('session-1');
    await until('A to forget the session', () => (a as unknown as { wanted: Set<string> }).wanted.size === 0);
    const before = got.length;
    await a.onIngest(batch('/tailed', 'after the session'));
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal(got.length, before);
  });
});
