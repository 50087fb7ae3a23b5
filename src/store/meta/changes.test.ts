import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MetaChangeSignal } from './changes.ts';
import { metaEngines } from './sql/test-engines.ts';
import type { MetaDb } from './sql/types.ts';

const engines = await metaEngines();

/** Resolves when `check` holds (checked every 5 ms); fails after `ms`. */
async function until(what: string, check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

for (const engine of engines) {
  describe(`metadata change signals on ${engine.name}`, () => {
    let db: MetaDb;
    let a: MetaChangeSignal;
    before(async () => {
      db = await engine.open();
      a = new MetaChangeSignal(db, 'node-a');
      await a.ready();
    });
    after(async () => {
      a.close();
      await db.close();
    });

    it("runs this node's subscribers before publish returns, with the key, and stops after unsubscribe", async () => {
      const got: (string | undefined)[] = [];
      const stop = a.subscribe('t.local', (k) => got.push(k));
      const other: (string | undefined)[] = [];
      a.subscribe('t.other', (k) => other.push(k));
      const pending = a.publish('t.local', 'q1');
      assert.deepEqual(got, ['q1'], 'delivered in the publishing turn');
      await pending;
      await a.publish('t.local');
      stop();
      await a.publish('t.local', 'q2');
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(got, ['q1', undefined], 'no echo from PostgreSQL, nothing after unsubscribe');
      assert.deepEqual(other, []);
    });

    it('a subscriber that throws does not keep the others from running', async () => {
      const errors: string[] = [];
      const s = new MetaChangeSignal(db, 'node-err', (_e, what) => errors.push(what));
      const got: string[] = [];
      s.subscribe('t.throw', () => { throw new Error('bug'); });
      s.subscribe('t.throw', (k) => got.push(k!));
      await s.publish('t.throw', 'x');
      s.close();
      assert.deepEqual(got, ['x']);
      assert.deepEqual(errors, ['applying a change of t.throw']);
    });

    it('reaches the subscribers of another node sharing the store', { skip: engine.name !== 'postgres' }, async () => {
      const otherDb = await engine.reopen(db);
      const b = new MetaChangeSignal(otherDb, 'node-b');
      await b.ready();
      try {
        const got: (string | undefined)[] = [];
        b.subscribe('t.peer', (k) => got.push(k));
        await a.publish('t.peer', 'arn:aws:sqs:us-east-1:000000000000:q');
        await a.publish('t.peer');
        await a.publish('t.peer', 'k'.repeat(10_000));
        await until('three signals on node B', () => got.length === 3);
        assert.deepEqual(got, ['arn:aws:sqs:us-east-1:000000000000:q', undefined, undefined], 'a key too long for NOTIFY arrives as "the whole topic"');
      } finally {
        b.close();
        await otherDb.close();
      }
    });

    it('after its listening connection was lost, a node signals every topic without a key', { skip: engine.name !== 'postgres' }, async () => {
      const otherDb = await engine.reopen(db);
      const b = new MetaChangeSignal(otherDb, 'node-b2');
      await b.ready();
      try {
        const got: string[] = [];
        b.subscribe('t.one', (k) => got.push(`one:${k ?? '*'}`));
        b.subscribe('t.two', (k) => got.push(`two:${k ?? '*'}`));
        // Every LISTEN connection of this database (a's and b's): both reconnect.
        await db.run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()");
        await until('the resync signals', () => got.length >= 2, 10_000);
        assert.deepEqual(got.sort(), ['one:*', 'two:*']);
        await b.ready();
        await until('signals again after the reconnect', () => {
          void a.publish('t.one', 'again');
          return got.includes('one:again');
        }, 10_000);
      } finally {
        b.close();
        await otherDb.close();
      }
    });

    it('measures the delay from a publish on node A to the subscriber on node B', { skip: engine.name !== 'postgres' }, async () => {
      const otherDb = await engine.reopen(db);
      const b = new MetaChangeSignal(otherDb, 'node-b3');
      await b.ready();
      try {
        const delays: number[] = [];
        let started = 0;
        let arrived: (() => void) | undefined;
        b.subscribe('t.delay', () => { delays.push(performance.now() - started); arrived?.(); });
        for (let i = 0; i < 200; i++) {
          const seen = new Promise<void>((r) => (arrived = r));
          started = performance.now();
          await a.publish('t.delay', String(i));
          await seen;
        }
        delays.sort((x, y) => x - y);
        const at = (q: number) => delays[Math.min(delays.length - 1, Math.floor(q * delays.length))]!.toFixed(2);
        console.log(`# publish on A → subscriber on B over ${delays.length} signals: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`);
        assert.equal(delays.length, 200);
      } finally {
        b.close();
        await otherDb.close();
      }
    });
  });
}
