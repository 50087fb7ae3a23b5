import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../lib/clock.ts';
import { silentLogger } from '../../../lib/logger.ts';
import { metaEngines, type MetaEngine } from '../../../store/meta/test-support.ts';
import { CommitGroup } from '../../../store/meta/commit-group.ts';
import type { SqsDeps } from '../deps.ts';
import { SqsRepo } from '../repo.ts';
import { expireMessages } from '../retention.ts';
import { SQS_MIGRATIONS } from '../schema.ts';
import { Waiters } from '../waiters.ts';
import { JournalMessageStore } from './journal-store.ts';
import { SqlMessageStore } from './sql-messages.ts';
import type { NewMessage } from './types.ts';

const T0 = Date.UTC(2026, 0, 1);

const message = (id: string, at: number): NewMessage => ({
  message_id: id, body: id, attributes: null, system_attributes: null, md5_body: '0'.repeat(32), md5_attributes: null, md5_system: null,
  sent_at: at, visible_at: at, group_id: null, dedup_id: null, sender_id: '000000000000', dlq_source_arn: null,
});

/** Every message store on every engine it runs on: rows on both engines, the journal on SQLite. */
const stores: { name: string; engine: MetaEngine; journal: boolean }[] = [];
for (const engine of await metaEngines()) {
  stores.push({ name: `rows on ${engine.name}`, engine, journal: false });
  if (engine.name === 'sqlite') stores.push({ name: 'journal on sqlite', engine, journal: true });
}

for (const { name, engine, journal } of stores) describe(`sqs messages: ${name}`, () => {
async function setup(t: { after(fn: () => Promise<void>): void }) {
  const db = await engine.open({ name: 'sqs', migrations: SQS_MIGRATIONS });
  const dir = mkdtempSync(join(tmpdir(), 'osprey-sqs-journal-'));
  const repo = new SqsRepo(db);
  const messages = journal
    ? await JournalMessageStore.open({ db, repo, dir, fsync: false, log: silentLogger, checkpointMs: 60_000 })
    : new SqlMessageStore(db, repo, new CommitGroup(db));
  t.after(async () => {
    await messages.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const clock = new ManualClock(T0);
  const deps: SqsDeps = { repo, messages, clock, waiters: new Waiters(), publicUrl: () => 'http://localhost' };
  return { db, clock, deps };
}
const key = (name: string) => ({ account: '000000000000', region: 'us-east-1', name });

test('retention deletes messages older than each queue\'s MessageRetentionPeriod and keeps the rest', async (t) => {
  const { clock, deps } = await setup(t);
  const short = (await deps.repo.insertQueue(key('short'), false, { MessageRetentionPeriod: '60' }, {}, T0))!;
  const dflt = (await deps.repo.insertQueue(key('default'), false, {}, {}, T0))!;
  await deps.messages.send(short, [{ msg: message('old', T0) }, { msg: message('new', T0 + 50_000) }], T0);
  await deps.messages.send(dflt, [{ msg: message('kept', T0) }], T0);
  clock.set(T0 + 61_000);
  assert.equal(await expireMessages(deps), 1);
  assert.equal((await deps.messages.counts(short.id, clock.now(), 0)).visible, 1);
  assert.equal((await deps.messages.counts(dflt.id, clock.now(), 0)).visible, 1);
  clock.set(T0 + 4 * 86_400_000 + 1);
  assert.equal(await expireMessages(deps), 2, 'the default period is 4 days');
});

test('retention forgets expired FIFO deduplication ids, so the same id is accepted again', async (t) => {
  const { db, clock, deps } = await setup(t);
  const dedupRows = async () => Number((await db.get<{ n: number }>('SELECT count(*) AS n FROM sqs_dedup'))!.n);
  const q = (await deps.repo.insertQueue(key('f.fifo'), true, { FifoQueue: 'true' }, {}, T0))!;
  const fifo = (id: string) => ({ msg: { ...message(id, clock.now()), group_id: 'g', dedup_id: 'd' }, dedupKey: 'd', dedupUntil: clock.now() + 300_000 });
  assert.equal((await deps.messages.send(q, [fifo('a')], clock.now()))[0]!.duplicate, false);
  assert.equal((await deps.messages.send(q, [fifo('b')], clock.now()))[0]!.duplicate, true);
  clock.advance(300_001);
  await expireMessages(deps);
  assert.equal(await dedupRows(), 0);
  assert.equal((await deps.messages.send(q, [fifo('c')], clock.now()))[0]!.duplicate, false);
});

test('retention forgets deleted queue names after a minute', async (t) => {
  const { clock, deps } = await setup(t);
  const k = key('gone');
  await deps.messages.deleteQueue((await deps.repo.insertQueue(k, false, {}, {}, T0))!, T0);
  assert.equal(await deps.repo.deletedSince(k, T0 - 1), true);
  clock.set(T0 + 60_001);
  await expireMessages(deps);
  assert.equal(await deps.repo.deletedSince(k, T0 - 1), false);
});

test('a taken name inserts nothing; a batch send returns seqs in entry order', async (t) => {
  const { deps } = await setup(t);
  const q = (await deps.repo.insertQueue(key('q'), false, {}, {}, T0))!;
  assert.equal(await deps.repo.insertQueue(key('q'), false, {}, {}, T0), undefined);
  const sent = await deps.messages.send(q, ['a', 'b', 'c'].map((id) => ({ msg: message(id, T0) })), T0);
  assert.deepEqual(sent.map((s) => s.messageId), ['a', 'b', 'c']);
  assert.ok(sent[0]!.seq < sent[1]!.seq && sent[1]!.seq < sent[2]!.seq);
  const stored = await deps.messages.movable(q.id, Number.MAX_SAFE_INTEGER, T0, 10);
  assert.deepEqual(stored.map((m) => [m.seq, m.message_id]), sent.map((s) => [s.seq, s.messageId]));
});

test('a standard receive hides what it returns; a stale receipt deletes nothing', async (t) => {
  const { deps } = await setup(t);
  const q = (await deps.repo.insertQueue(key('q'), false, {}, {}, T0))!;
  await deps.messages.send(q, ['a', 'b', 'c'].map((id) => ({ msg: message(id, T0) })), T0);
  const opts = (token: string, now: number) => ({ now, max: 2, visibleUntil: now + 1000, fifo: false, sentAfter: 0, token });
  const first = await deps.messages.receive(q.id, opts('t1', T0));
  assert.deepEqual(first.map((m) => [m.message_id, m.receive_count, m.receipt]), [['a', 1, 't1'], ['b', 1, 't1']]);
  const second = await deps.messages.receive(q.id, opts('t2', T0));
  assert.deepEqual(second.map((m) => m.message_id), ['c']);
  assert.equal(await deps.messages.nextVisibleAt(q.id, T0), T0 + 1000);
  const again = await deps.messages.receive(q.id, opts('t3', T0 + 1000));
  assert.deepEqual(again.map((m) => [m.message_id, m.receive_count]), [['a', 2], ['b', 2]]);
  await deps.messages.deleteMessages(q.id, [{ seq: first[0]!.seq, token: 't1' }]);
  assert.deepEqual(await deps.messages.counts(q.id, T0 + 1000, 0), { visible: 1, notVisible: 2, delayed: 0 }, 'a stale receipt deletes nothing');
  await deps.messages.deleteMessages(q.id, [{ seq: first[0]!.seq, token: 't3' }]);
  assert.deepEqual(await deps.messages.counts(q.id, T0 + 1000, 0), { visible: 1, notVisible: 1, delayed: 0 });
});

test('a receive with visibility timeout 0 leaves the messages visible; each answer keeps its own receipt', async (t) => {
  const { deps } = await setup(t);
  const q = (await deps.repo.insertQueue(key('q'), false, {}, {}, T0))!;
  await deps.messages.send(q, ['a', 'b'].map((id) => ({ msg: message(id, T0) })), T0);
  const opts = (token: string) => ({ now: T0, max: 10, visibleUntil: T0, fifo: false, sentAfter: 0, token });
  const first = await deps.messages.receive(q.id, opts('t1'));
  const second = await deps.messages.receive(q.id, opts('t2'));
  assert.deepEqual(first.map((m) => [m.message_id, m.receipt, m.receive_count]), [['a', 't1', 1], ['b', 't1', 1]]);
  assert.deepEqual(second.map((m) => [m.message_id, m.receipt, m.receive_count]), [['a', 't2', 2], ['b', 't2', 2]]);
  await deps.messages.deleteMessages(q.id, [{ seq: first[0]!.seq, token: 't1' }]);
  assert.equal((await deps.messages.counts(q.id, T0, 0)).visible, 2, 'the older receipt is stale');
});

test('FIFO receive skips groups in flight; redrive moves a message past maxReceiveCount to the DLQ', async (t) => {
  const { deps } = await setup(t);
  const q = (await deps.repo.insertQueue(key('f.fifo'), true, {}, {}, T0))!;
  const dlq = (await deps.repo.insertQueue(key('d.fifo'), true, {}, {}, T0))!;
  const m = (id: string, g: string) => ({ msg: { ...message(id, T0), group_id: g, dedup_id: id }, dedupKey: id, dedupUntil: T0 + 300_000 });
  await deps.messages.send(q, [m('a1', 'a'), m('a2', 'a'), m('b1', 'b')], T0);
  const redrive = { dlqId: dlq.id, maxReceiveCount: 1, sourceArn: 'arn:src' };
  const opts = (token: string, now: number, max: number) => ({ now, max, visibleUntil: now + 1000, fifo: true, sentAfter: 0, token, redrive });
  const first = await deps.messages.receive(q.id, opts('t1', T0, 1));
  assert.deepEqual(first.map((x) => x.message_id), ['a1']);
  const second = await deps.messages.receive(q.id, opts('t2', T0, 10));
  assert.deepEqual(second.map((x) => x.message_id), ['b1'], 'group a is in flight');
  const third = await deps.messages.receive(q.id, opts('t3', T0 + 1000, 10));
  assert.deepEqual(third.map((x) => x.message_id), ['a2'], 'a1 and b1 went to the DLQ, a2 is next of group a');
  const moved = await deps.messages.movable(dlq.id, Number.MAX_SAFE_INTEGER, T0 + 1000, 10);
  assert.deepEqual(moved.map((x) => [x.message_id, x.dlq_source_arn, x.receive_count]), [['a1', 'arn:src', 0], ['b1', 'arn:src', 0]]);
  assert.equal(await deps.messages.countUpTo(dlq.id, await deps.messages.maxSeq()), 2);
  assert.equal(await deps.messages.moveMessages(moved.map((x) => ({ m: x, targetId: q.id })), T0 + 1000), 2);
  const back = await deps.messages.movable(q.id, Number.MAX_SAFE_INTEGER, T0 + 1000, 10);
  assert.deepEqual(back.map((x) => [x.message_id, x.receive_count, x.dlq_source_arn]), [['a1', 0, null], ['b1', 0, null]]);
});

test('purge deletes what was sent up to then and records it', async (t) => {
  const { deps } = await setup(t);
  const q = (await deps.repo.insertQueue(key('q'), false, {}, {}, T0))!;
  await deps.messages.send(q, [{ msg: message('a', T0) }, { msg: message('b', T0 + 10) }], T0);
  await deps.messages.purge(q.id, T0 + 5);
  assert.equal((await deps.repo.queueById(q.id))!.purgedAt, T0 + 5);
  assert.equal((await deps.messages.counts(q.id, T0 + 10, 0)).visible, 1);
  assert.deepEqual((await deps.repo.listQueues('000000000000', 'us-east-1', '', '', 10)).map((r) => r.name), ['q']);
});
});
