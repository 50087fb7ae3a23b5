import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../lib/logger.ts';
import { tempMetaDb } from '../../../store/meta/test-support.ts';
import { migrateModuleOn } from '../../../store/meta/sql/migrate.ts';
import type { MetaDb } from '../../../store/meta/sql/types.ts';
import { SqsRepo, type QueueRow } from '../repo.ts';
import { SQS_MIGRATIONS } from '../schema.ts';
import { JournalMessageStore } from './journal-store.ts';
import type { NewMessage, QueuedSend } from './types.ts';

const T0 = Date.UTC(2026, 0, 1);
const key = (name: string) => ({ account: '000000000000', region: 'us-east-1', name });
const send = (id: string, extra: Partial<NewMessage> = {}): QueuedSend => ({
  msg: {
    message_id: id, body: `body ${id} "quoted" ✓`, attributes: null, system_attributes: null, md5_body: '0'.repeat(32), md5_attributes: null,
    md5_system: null, sent_at: T0, visible_at: T0, group_id: null, dedup_id: null, sender_id: '000000000000', dlq_source_arn: null, ...extra,
  },
});
const receiveOpts = (token: string, now: number, max = 10) => ({ now, max, visibleUntil: now + 30_000, fifo: false, sentAfter: 0, token });

async function setup(t: { after(fn: () => Promise<void> | void): void }) {
  const { db } = await tempMetaDb(t);
  await migrateModuleOn(db, 'sqs', SQS_MIGRATIONS);
  const dir = mkdtempSync(join(tmpdir(), 'osprey-sqs-journal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const repo = new SqsRepo(db);
  const open = () => JournalMessageStore.open({ db, repo, dir, fsync: false, log: silentLogger, checkpointMs: 60_000 });
  const q = (await repo.insertQueue(key('q'), false, {}, {}, T0))!;
  return { db, dir, repo, q, open };
}

const rows = async (db: MetaDb) => Number((await db.get<{ n: number }>('SELECT count(*) AS n FROM sqs_messages'))!.n);

/** What a queue holds, as a receive at `now` would see it: ids by state. */
async function snapshot(store: JournalMessageStore, q: QueueRow, now: number) {
  const all = await store.movable(q.id, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1000);
  return { ids: all.map((m) => m.message_id), counts: await store.counts(q.id, now, 0) };
}

test('a store abandoned without a checkpoint (kill -9) comes back from its journal: messages, receives, receipts and deletes', async (t) => {
  const { db, q, open } = await setup(t);
  const a = await open();
  await a.send(q, ['a', 'b', 'c', 'd'].map((id) => send(id)), T0);
  const got = await a.receive(q.id, receiveOpts('tok', T0, 2));
  assert.deepEqual(got.map((m) => m.message_id), ['a', 'b']);
  await a.deleteMessages(q.id, [{ seq: got[0]!.seq, token: 'tok' }]);
  assert.equal(await rows(db), 0, 'nothing checkpointed yet');

  const b = await open(); // `a` is never closed: only its journal speaks for it
  t.after(() => b.close());
  assert.deepEqual(await snapshot(b, q, T0), { ids: ['b', 'c', 'd'], counts: { visible: 2, notVisible: 1, delayed: 0 } });
  const next = await b.receive(q.id, receiveOpts('tok2', T0));
  assert.deepEqual(next.map((m) => m.message_id), ['c', 'd'], 'b stays hidden: its visibility timeout survived');
  await b.deleteMessages(q.id, [{ seq: got[1]!.seq, token: 'tok' }]);
  assert.deepEqual((await snapshot(b, q, T0)).ids, ['c', 'd'], "the first store's receipt still deletes");
  assert.equal(await b.maxSeq(), 4, 'seqs continue after the journal');
});

test('a checkpoint writes only what is still there, and a restart after it replays nothing twice', async (t) => {
  const { db, dir, q, open } = await setup(t);
  const a = await open();
  const sent = await a.send(q, ['gone', 'kept'].map((id) => send(id)), T0);
  const [gone] = await a.receive(q.id, receiveOpts('t', T0, 1));
  await a.deleteMessages(q.id, [{ seq: gone!.seq, token: 't' }]);
  await a.checkpoint();
  assert.deepEqual((await db.all<{ message_id: string }>('SELECT message_id FROM sqs_messages')).map((r) => r.message_id), ['kept'],
    'a message sent and deleted between checkpoints never reaches the table');
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.wal')).length, 1, 'the journal behind the checkpoint is gone');
  await a.close();

  const b = await open();
  t.after(() => b.close());
  assert.deepEqual(await snapshot(b, q, T0), { ids: ['kept'], counts: { visible: 1, notVisible: 0, delayed: 0 } });
  assert.equal(sent[1]!.seq, (await b.movable(q.id, Number.MAX_SAFE_INTEGER, T0, 10))[0]!.seq);
});

test('a torn journal tail is cut on open; the records before it are kept', async (t) => {
  const { dir, q, open } = await setup(t);
  const a = await open();
  await a.send(q, [send('one')], T0);
  await a.send(q, [send('two')], T0);
  const segment = readdirSync(dir).filter((f) => f.endsWith('.wal')).sort().at(-1)!;
  appendFileSync(join(dir, segment), Buffer.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0, 0, 0, 1]));

  const b = await open();
  t.after(() => b.close());
  assert.deepEqual((await snapshot(b, q, T0)).ids, ['one', 'two']);
  await b.send(q, [send('three')], T0);
  const c = await open();
  t.after(() => c.close());
  assert.deepEqual((await snapshot(c, q, T0)).ids, ['one', 'two', 'three'], 'appends after the cut replay too');
});

test('FIFO state survives: deduplication ids, groups in flight, and a dead-letter move', async (t) => {
  const { repo, open } = await setup(t);
  const q = (await repo.insertQueue(key('f.fifo'), true, {}, {}, T0))!;
  const dlq = (await repo.insertQueue(key('d.fifo'), true, {}, {}, T0))!;
  const fifo = (id: string, g: string) => ({ ...send(id, { group_id: g, dedup_id: id }), dedupKey: id, dedupUntil: T0 + 300_000 });
  const a = await open();
  await a.send(q, [fifo('a1', 'a'), fifo('a2', 'a'), fifo('b1', 'b')], T0);
  const redrive = { dlqId: dlq.id, maxReceiveCount: 1, sourceArn: 'arn:src' };
  await a.receive(q.id, { ...receiveOpts('t1', T0, 1), fifo: true, redrive });

  const b = await open();
  t.after(() => b.close());
  assert.equal((await b.send(q, [fifo('a1', 'a')], T0))[0]!.duplicate, true, 'the deduplication id is remembered');
  const second = await b.receive(q.id, { ...receiveOpts('t2', T0), fifo: true, redrive });
  assert.deepEqual(second.map((m) => m.message_id), ['b1'], 'group a is still in flight');
  const third = await b.receive(q.id, { ...receiveOpts('t3', T0 + 30_000), fifo: true, redrive });
  assert.deepEqual(third.map((m) => m.message_id), ['a2']);

  const c = await open();
  t.after(() => c.close());
  const inDlq = await c.movable(dlq.id, Number.MAX_SAFE_INTEGER, T0 + 30_000, 10);
  assert.deepEqual(inDlq.map((m) => [m.message_id, m.dlq_source_arn, m.receive_count]), [['a1', 'arn:src', 0], ['b1', 'arn:src', 0]]);
});

test('messages of a queue deleted before its drop was journaled do not come back', async (t) => {
  const { repo, q, open } = await setup(t);
  const a = await open();
  await a.send(q, [send('x')], T0);
  await repo.deleteQueue(q, T0); // the queue row goes; the process dies before journaling the drop

  const b = await open();
  t.after(() => b.close());
  assert.deepEqual(await b.counts(q.id, T0, 0), { visible: 0, notVisible: 0, delayed: 0 });
  await assert.rejects(b.send(q, [send('y')], T0), /does not exist/);
});
