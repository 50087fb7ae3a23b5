import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../lib/clock.ts';
import { migrateModule } from '../../store/meta/sqlite.ts';
import { openTestMetaDb } from '../../store/meta/test-support.ts';
import { CommitGroup } from '../../store/meta/commit-group.ts';
import type { SqsDeps } from './deps.ts';
import { SqsRepo, type NewMessage } from './repo.ts';
import { expireMessages } from './retention.ts';
import { SQS_MIGRATIONS } from './schema.ts';
import { Waiters } from './waiters.ts';

const T0 = Date.UTC(2026, 0, 1);

function setup() {
  const db = openTestMetaDb();
  migrateModule(db, 'sqs', SQS_MIGRATIONS);
  const clock = new ManualClock(T0);
  const deps: SqsDeps = { repo: new SqsRepo(db), clock, waiters: new Waiters(), commits: new CommitGroup(db), publicUrl: () => 'http://localhost' };
  return { db, clock, deps };
}

const message = (id: string, at: number): NewMessage => ({
  message_id: id, body: id, attributes: null, system_attributes: null, md5_body: '0'.repeat(32), md5_attributes: null, md5_system: null,
  sent_at: at, visible_at: at, group_id: null, dedup_id: null, sender_id: '000000000000', dlq_source_arn: null,
});

test('retention deletes messages older than each queue\'s MessageRetentionPeriod and keeps the rest', () => {
  const { clock, deps } = setup();
  const key = (name: string) => ({ account: '000000000000', region: 'us-east-1', name });
  const short = deps.repo.insertQueue(key('short'), false, { MessageRetentionPeriod: '60' }, {}, T0)!;
  const dflt = deps.repo.insertQueue(key('default'), false, {}, {}, T0)!;
  deps.repo.send(short.id, [{ msg: message('old', T0) }, { msg: message('new', T0 + 50_000) }], T0);
  deps.repo.send(dflt.id, [{ msg: message('kept', T0) }], T0);
  clock.set(T0 + 61_000);
  assert.equal(expireMessages(deps), 1);
  assert.equal(deps.repo.counts(short.id, clock.now(), 0).visible, 1);
  assert.equal(deps.repo.counts(dflt.id, clock.now(), 0).visible, 1);
  clock.set(T0 + 4 * 86_400_000 + 1);
  assert.equal(expireMessages(deps), 2, 'the default period is 4 days');
});

test('retention forgets expired FIFO deduplication ids, so the same id is accepted again', () => {
  const { db, clock, deps } = setup();
  const dedupRows = () => (db.prepare('SELECT count(*) AS n FROM sqs_dedup').get() as { n: number }).n;
  const q = deps.repo.insertQueue({ account: '000000000000', region: 'us-east-1', name: 'f.fifo' }, true, { FifoQueue: 'true' }, {}, T0)!;
  const fifo = (id: string) => ({ msg: { ...message(id, clock.now()), group_id: 'g', dedup_id: 'd' }, dedupKey: 'd', dedupUntil: clock.now() + 300_000 });
  assert.equal(deps.repo.send(q.id, [fifo('a')], clock.now())[0]!.duplicate, false);
  assert.equal(deps.repo.send(q.id, [fifo('b')], clock.now())[0]!.duplicate, true);
  clock.advance(300_001);
  expireMessages(deps);
  assert.equal(dedupRows(), 0);
  assert.equal(deps.repo.send(q.id, [fifo('c')], clock.now())[0]!.duplicate, false);
});

test('retention forgets deleted queue names after a minute', () => {
  const { clock, deps } = setup();
  const k = { account: '000000000000', region: 'us-east-1', name: 'gone' };
  deps.repo.deleteQueue(deps.repo.insertQueue(k, false, {}, {}, T0)!, T0);
  assert.equal(deps.repo.deletedSince(k, T0 - 1), true);
  clock.set(T0 + 60_001);
  expireMessages(deps);
  assert.equal(deps.repo.deletedSince(k, T0 - 1), false);
});
