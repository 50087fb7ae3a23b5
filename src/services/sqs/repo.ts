/**
 * SQS's metadata repository (SQLite or PostgreSQL through the neutral handle). Message writes run in
 * the caller's transaction (`tx`, the commit group's unit) or in one of their own, so a receive
 * (pick + hide + maybe move to the dead-letter queue) is atomic, and a send is committed before the
 * handler returns. Statement texts are constant (cached per text on both engines).
 */
import type { MetaChanges } from '../../store/meta/changes.ts';
import { forUpdate, skipLocked } from '../../store/meta/sql/locking.ts';
import type { Sql } from '../../store/meta/sql/types.ts';
import type { QueueKey } from './names.ts';

export interface QueueRow {
  id: number;
  account: string;
  region: string;
  name: string;
  fifo: boolean;
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  purgedAt: number | undefined;
}

interface QueueDbRow {
  id: number; account: string; region: string; name: string; fifo: number; attributes: string; tags: string;
  created_at: number; modified_at: number; purged_at: number | null;
}

const queueFromRow = (r: QueueDbRow): QueueRow => ({
  id: r.id, account: r.account, region: r.region, name: r.name, fifo: r.fifo === 1,
  attributes: JSON.parse(r.attributes) as Record<string, string>, tags: JSON.parse(r.tags) as Record<string, string>,
  createdAt: r.created_at, modifiedAt: r.modified_at, purgedAt: r.purged_at ?? undefined,
});

/** The "queue rows changed" signal (store/meta/changes.ts); the key is the queue's id. */
export const QUEUES_TOPIC = 'sqs.queues';

export interface MessageRow {
  seq: number;
  queue_id: number;
  message_id: string;
  body: string;
  attributes: string | null;
  system_attributes: string | null;
  md5_body: string;
  md5_attributes: string | null;
  md5_system: string | null;
  sent_at: number;
  visible_at: number;
  receive_count: number;
  first_receive_at: number | null;
  receipt: string | null;
  group_id: string | null;
  dedup_id: string | null;
  sender_id: string;
  dlq_source_arn: string | null;
}

export type NewMessage = Omit<MessageRow, 'seq' | 'queue_id' | 'receive_count' | 'first_receive_at' | 'receipt'>;

/** A send's result: the stored row's seq, or the earlier message a FIFO deduplication id matched. */
export interface SendResult {
  seq: number;
  messageId: string;
  duplicate: boolean;
}

export interface ReceiveOptions {
  now: number;
  max: number;
  visibleUntil: number;
  fifo: boolean;
  /** Messages sent before this are past the retention period. */
  sentAfter: number;
  /** The receipt token of this receive (a handle names its message too, so one token serves all). */
  token: string;
  redrive?: { dlqId: number; maxReceiveCount: number; sourceArn: string };
}

export class SqsRepo {
  /**
   * Queue rows by key and by id, read once: every message call resolves its queue, and parsing the
   * attributes' JSON per call showed in profiles. Every queue write below clears the cache, here
   * and (through `changes`) on every other node sharing the store. Rows are frozen: callers never
   * edit them in place.
   */
  private readonly byKey = new Map<string, QueueRow>();
  private readonly byId = new Map<number, QueueRow>();
  /** Bumped by every clear: a row read before a clear is returned but not cached (it may be stale). */
  private generation = 0;
  /** The FIFO candidate pick: SQLite needs the index named (its planner sorted every visible message). */
  private readonly fifoCandidatesSql: string;

  constructor(private readonly db: Sql, private readonly changes?: MetaChanges) {
    changes?.subscribe(QUEUES_TOPIC, () => this.forgetQueues());
    const indexed = (name: string) => (db.dialect === 'sqlite' ? ` INDEXED BY ${name}` : '');
    this.fifoCandidatesSql = `SELECT * FROM sqs_messages${indexed('sqs_messages_fifo_order')}
         WHERE queue_id = ? AND group_id IS NOT NULL AND visible_at <= ? AND sent_at >= ?
           AND group_id NOT IN (SELECT group_id FROM sqs_messages${indexed('sqs_messages_visible')}
                                WHERE queue_id = ? AND visible_at > ? AND group_id IS NOT NULL AND sent_at >= ?)
         ORDER BY seq LIMIT ?`;
  }

  /** The cached row, without a database round trip; undefined when not cached (use `queueById`). */
  cachedQueue(id: number): QueueRow | undefined {
    return this.byId.get(id);
  }

  async queue(k: QueueKey, on: Sql = this.db): Promise<QueueRow | undefined> {
    const key = `${k.account}/${k.region}/${k.name}`;
    const hit = this.byKey.get(key);
    if (hit) return hit;
    const generation = this.generation;
    const r = await on.get<QueueDbRow>('SELECT * FROM sqs_queues WHERE account = ? AND region = ? AND name = ?', [k.account, k.region, k.name]);
    return r && this.remember(r, generation);
  }

  async queueById(id: number, on: Sql = this.db): Promise<QueueRow | undefined> {
    const hit = this.byId.get(id);
    if (hit) return hit;
    const generation = this.generation;
    const r = await on.get<QueueDbRow>('SELECT * FROM sqs_queues WHERE id = ?', [id]);
    return r && this.remember(r, generation);
  }

  private remember(r: QueueDbRow, generation: number): QueueRow {
    const q = queueFromRow(r);
    Object.freeze(q.attributes);
    Object.freeze(q.tags);
    Object.freeze(q);
    if (generation !== this.generation) return q;
    this.byKey.set(`${q.account}/${q.region}/${q.name}`, q);
    this.byId.set(q.id, q);
    return q;
  }

  private forgetQueues(): void {
    this.generation++;
    this.byKey.clear();
    this.byId.clear();
  }

  /** After a committed queue write: this node's cache is clear; other nodes clear theirs. */
  private async changed(id: number): Promise<void> {
    this.forgetQueues();
    await this.changes?.publish(QUEUES_TOPIC, String(id));
  }

  async allQueues(): Promise<QueueRow[]> {
    return (await this.db.all<QueueDbRow>('SELECT * FROM sqs_queues ORDER BY id')).map(queueFromRow);
  }

  /** Inserts a queue; undefined when the name is taken (the caller compares attributes). */
  async insertQueue(k: QueueKey, fifo: boolean, attributes: Record<string, string>, tags: Record<string, string>, now: number): Promise<QueueRow | undefined> {
    const r = await this.db.get<{ id: number }>(
      'INSERT INTO sqs_queues (account, region, name, fifo, attributes, tags, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id',
      [k.account, k.region, k.name, fifo ? 1 : 0, JSON.stringify(attributes), JSON.stringify(tags), now, now],
    );
    if (r === undefined) return undefined;
    // Other nodes cache no misses, but a queue deleted and created again under its name gets a new id.
    await this.changed(r.id);
    return this.queueById(r.id);
  }

  async deletedSince(k: QueueKey, since: number): Promise<boolean> {
    const r = await this.db.get<{ deleted_at: number }>('SELECT deleted_at FROM sqs_deleted_queues WHERE account = ? AND region = ? AND name = ?', [k.account, k.region, k.name]);
    return r !== undefined && r.deleted_at > since;
  }

  async deleteQueue(q: QueueRow, now: number): Promise<void> {
    this.forgetQueues();
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM sqs_messages WHERE queue_id = ?', [q.id]);
      await tx.run('DELETE FROM sqs_dedup WHERE queue_id = ?', [q.id]);
      await tx.run('DELETE FROM sqs_queues WHERE id = ?', [q.id]);
      await tx.run(
        'INSERT INTO sqs_deleted_queues (account, region, name, deleted_at) VALUES (?, ?, ?, ?) ON CONFLICT (account, region, name) DO UPDATE SET deleted_at = excluded.deleted_at',
        [q.account, q.region, q.name, now],
      );
    });
    await this.changed(q.id);
  }

  async listQueues(account: string, region: string, prefix: string, after: string, limit: number): Promise<QueueRow[]> {
    const rows = await this.db.all<QueueDbRow>(
      'SELECT * FROM sqs_queues WHERE account = ? AND region = ? AND name > ? AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?',
      [account, region, after, prefix.length, prefix, limit],
    );
    return rows.map(queueFromRow);
  }

  async setAttributes(id: number, attributes: Record<string, string>, now: number): Promise<void> {
    this.forgetQueues();
    await this.db.run('UPDATE sqs_queues SET attributes = ?, modified_at = ? WHERE id = ?', [JSON.stringify(attributes), now, id]);
    await this.changed(id);
  }

  async setTags(id: number, tags: Record<string, string>): Promise<void> {
    this.forgetQueues();
    await this.db.run('UPDATE sqs_queues SET tags = ? WHERE id = ?', [JSON.stringify(tags), id]);
    await this.changed(id);
  }

  /** Deletes every message sent up to `at` and records the purge. */
  async purge(id: number, at: number): Promise<void> {
    this.forgetQueues();
    await this.db.transaction(async (tx) => {
      await tx.run('UPDATE sqs_queues SET purged_at = ? WHERE id = ?', [at, id]);
      await tx.run('DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at <= ?', [id, at]);
    });
    await this.changed(id);
  }

  async counts(id: number, now: number, sentAfter: number): Promise<{ visible: number; notVisible: number; delayed: number }> {
    const r = (await this.db.get<{ visible: number; not_visible: number; delayed: number }>(
      `SELECT coalesce(sum(CASE WHEN visible_at <= ? THEN 1 ELSE 0 END), 0) AS visible,
              coalesce(sum(CASE WHEN visible_at > ? AND receive_count > 0 THEN 1 ELSE 0 END), 0) AS not_visible,
              coalesce(sum(CASE WHEN visible_at > ? AND receive_count = 0 THEN 1 ELSE 0 END), 0) AS delayed
       FROM sqs_messages WHERE queue_id = ? AND sent_at >= ?`,
      [now, now, now, id, sentAfter],
    ))!;
    return { visible: Number(r.visible), notVisible: Number(r.not_visible), delayed: Number(r.delayed) };
  }

  /**
   * Stores a batch of messages (in `tx` when given, else in a transaction of its own). FIFO entries
   * with a deduplication key seen within its window return the earlier message instead of being
   * stored again. Entries without a key go in with one multi-row INSERT.
   */
  async send(queueId: number, messages: { msg: NewMessage; dedupKey?: string; dedupUntil?: number }[], now: number, tx?: Sql): Promise<SendResult[]> {
    if (!tx) return this.db.transaction((t) => this.send(queueId, messages, now, t));
    if (messages.every((m) => m.dedupKey === undefined)) {
      const seqs = await this.insertMessages(tx, messages.map((m) => ({ queueId, m: m.msg })));
      return messages.map(({ msg }, i) => ({ seq: seqs[i]!, messageId: msg.message_id, duplicate: false }));
    }
    const out: SendResult[] = [];
    for (const { msg, dedupKey, dedupUntil } of messages) {
      if (dedupKey !== undefined) {
        const seen = await tx.get<{ message_id: string; seq: number; expires_at: number }>(
          `SELECT message_id, seq, expires_at FROM sqs_dedup WHERE queue_id = ? AND scope_key = ?${forUpdate(tx)}`, [queueId, dedupKey]);
        if (seen && seen.expires_at > now) {
          out.push({ seq: seen.seq, messageId: seen.message_id, duplicate: true });
          continue;
        }
      }
      const [seq] = await this.insertMessages(tx, [{ queueId, m: msg }]);
      if (dedupKey !== undefined) {
        await tx.run(
          `INSERT INTO sqs_dedup (queue_id, scope_key, message_id, seq, expires_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (queue_id, scope_key) DO UPDATE SET message_id = excluded.message_id, seq = excluded.seq, expires_at = excluded.expires_at`,
          [queueId, dedupKey, msg.message_id, seq, dedupUntil],
        );
      }
      out.push({ seq: seq!, messageId: msg.message_id, duplicate: false });
    }
    return out;
  }

  /** Inserts messages with one statement (one text per batch size, at most ten); their seqs in order. */
  private async insertMessages(tx: Sql, rows: { queueId: number; m: NewMessage }[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const params: unknown[] = [];
    for (const { queueId, m } of rows) {
      params.push(queueId, m.message_id, m.body, m.attributes, m.system_attributes, m.md5_body, m.md5_attributes, m.md5_system,
        m.sent_at, m.visible_at, m.group_id, m.dedup_id, m.sender_id, m.dlq_source_arn);
    }
    const inserted = await tx.all<{ seq: number; message_id: string }>(insertMessagesSql(rows.length), params);
    if (rows.length === 1) return [inserted[0]!.seq];
    // RETURNING does not promise an order: seqs are assigned in VALUES order, so sorted they match.
    return inserted.map((r) => r.seq).sort((a, b) => a - b);
  }

  /**
   * Picks up to `max` available messages, hides them until `visibleUntil` with a new receipt token,
   * and counts the receive. A message already received `maxReceiveCount` times moves to the
   * dead-letter queue instead. FIFO: a group with a message in flight (or not yet visible) is
   * skipped entirely, so its order holds. Runs in `tx` when given, else in a transaction of its own.
   */
  async receive(queueId: number, o: ReceiveOptions, tx?: Sql): Promise<MessageRow[]> {
    if (!tx) return this.db.transaction((t) => this.receive(queueId, o, t));
    if (!o.fifo && !o.redrive) return this.receiveStandard(tx, queueId, o);
    const out: MessageRow[] = [];
    for (let pass = 0; pass < 4 && out.length < o.max; pass++) {
      const candidates = await this.candidates(tx, queueId, o, o.max - out.length);
      if (candidates.length === 0) break;
      let moved = 0;
      for (const m of candidates) {
        if (o.redrive && m.receive_count >= o.redrive.maxReceiveCount) {
          await this.moveTo(tx, m, o.redrive.dlqId, o.now, o.redrive.sourceArn);
          moved++;
          continue;
        }
        await tx.run(
          'UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1, first_receive_at = coalesce(first_receive_at, ?), receipt = ? WHERE seq = ?',
          [o.visibleUntil, o.now, o.token, m.seq],
        );
        out.push({ ...m, visible_at: o.visibleUntil, receive_count: m.receive_count + 1, first_receive_at: m.first_receive_at ?? o.now, receipt: o.token });
      }
      if (moved === 0) break;
    }
    return out;
  }

  /**
   * A standard queue without a redrive policy: pick and hide in one statement (the pick-then-update
   * loop above made eleven statements of every receive of ten).
   */
  private async receiveStandard(tx: Sql, queueId: number, o: ReceiveOptions): Promise<MessageRow[]> {
    const rows = await tx.all<MessageRow>(
      `UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1, first_receive_at = coalesce(first_receive_at, ?), receipt = ?
       WHERE seq IN (SELECT seq FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at >= ? ORDER BY visible_at, seq LIMIT ?${skipLocked(tx)})
       RETURNING *`,
      [o.visibleUntil, o.now, o.token, queueId, o.now, o.sentAfter, o.max],
    );
    return rows.sort((a, b) => a.seq - b.seq);
  }

  private async candidates(tx: Sql, queueId: number, o: ReceiveOptions, limit: number): Promise<MessageRow[]> {
    if (!o.fifo) {
      return tx.all<MessageRow>(
        `SELECT * FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at >= ? ORDER BY visible_at, seq LIMIT ?${skipLocked(tx)}`,
        [queueId, o.now, o.sentAfter, limit],
      );
    }
    // Walk the queue in send order and stop at `limit`; the blocked groups are those with a message
    // in flight or delayed — a range of the visibility index, not a scan of every group. (Letting
    // the planner choose sorted every visible message per receive: 70 ms at 100k messages, now 0.3.)
    // PostgreSQL: FOR UPDATE waits for a concurrent receive of the same queue, so it sees that
    // receive's groups in flight (skipping would hand out a later message of a group being received).
    return tx.all<MessageRow>(this.fifoCandidatesSql + forUpdate(tx), [queueId, o.now, o.sentAfter, queueId, o.now, o.sentAfter, limit]);
  }

  /** Moves one message to another queue (a dead-letter queue, or back by a move task), keeping its identity. */
  private async moveTo(tx: Sql, m: MessageRow, targetId: number, now: number, sourceArn: string | null): Promise<void> {
    await tx.run('DELETE FROM sqs_messages WHERE seq = ?', [m.seq]);
    await this.insertMessages(tx, [{ queueId: targetId, m: { ...m, visible_at: now, dlq_source_arn: sourceArn } }]);
  }

  /** The earliest time a hidden (in-flight or delayed) message becomes visible. */
  async nextVisibleAt(queueId: number, now: number): Promise<number | undefined> {
    const r = await this.db.get<{ t: number | null }>('SELECT min(visible_at) AS t FROM sqs_messages WHERE queue_id = ? AND visible_at > ?', [queueId, now]);
    return r?.t ?? undefined;
  }

  async message(queueId: number, seq: number, on: Sql = this.db): Promise<MessageRow | undefined> {
    return on.get<MessageRow>(`SELECT * FROM sqs_messages WHERE seq = ? AND queue_id = ?${on === this.db ? '' : forUpdate(on)}`, [seq, queueId]);
  }

  /** Deletes the message if `token` is its latest receipt; a stale token deletes nothing (as AWS documents). */
  async deleteByReceipt(queueId: number, seq: number, token: string, on: Sql = this.db): Promise<boolean> {
    return (await on.run('DELETE FROM sqs_messages WHERE seq = ? AND queue_id = ? AND receipt = ?', [seq, queueId, token])).changes > 0;
  }

  async setVisibleAt(seq: number, visibleAt: number, on: Sql = this.db): Promise<void> {
    await on.run('UPDATE sqs_messages SET visible_at = ? WHERE seq = ?', [visibleAt, seq]);
  }

  /** Retention: deletes messages of one queue sent before `cutoff`, and expired deduplication ids. */
  async expire(queueId: number, cutoff: number, now: number): Promise<number> {
    const n = (await this.db.run('DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at < ?', [queueId, cutoff])).changes;
    await this.db.run('DELETE FROM sqs_dedup WHERE queue_id = ? AND expires_at <= ?', [queueId, now]);
    return n;
  }

  async forgetDeletedBefore(before: number): Promise<void> {
    await this.db.run('DELETE FROM sqs_deleted_queues WHERE deleted_at < ?', [before]);
  }

  /** Move tasks: up to `limit` visible messages of `sourceId` sent into it up to `cutoffSeq`. */
  async movable(sourceId: number, cutoffSeq: number, now: number, limit: number): Promise<MessageRow[]> {
    return this.db.all<MessageRow>('SELECT * FROM sqs_messages WHERE queue_id = ? AND seq <= ? AND visible_at <= ? ORDER BY seq LIMIT ?', [sourceId, cutoffSeq, now, limit]);
  }

  /**
   * Moves messages to their targets (queue id per message) in one transaction, resetting receives
   * (the new rows start with no receive count, first receive or receipt).
   * Only messages still there and still visible move (another node may have received or moved them
   * since they were read); returns how many did.
   */
  async moveMessages(
    moves: { m: MessageRow; targetId: number }[], now: number, then?: (tx: Sql, moved: number) => Promise<void>,
  ): Promise<number> {
    if (moves.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      let n = 0;
      for (const { m, targetId } of moves) {
        const gone = await tx.run('DELETE FROM sqs_messages WHERE seq = ? AND visible_at <= ?', [m.seq, now]);
        if (gone.changes === 0) continue;
        await this.insertMessages(tx, [{ queueId: targetId, m: { ...m, visible_at: now, dlq_source_arn: null } }]);
        n++;
      }
      // The caller's bookkeeping commits with the move (a moved message is never seen before it).
      await then?.(tx, n);
      return n;
    });
  }

  async countUpTo(queueId: number, cutoffSeq: number): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT count(*) AS n FROM sqs_messages WHERE queue_id = ? AND seq <= ?', [queueId, cutoffSeq]))!.n);
  }

  async maxSeq(): Promise<number> {
    return Number((await this.db.get<{ s: number }>('SELECT coalesce(max(seq), 0) AS s FROM sqs_messages'))!.s);
  }
}

const MESSAGE_COLUMNS = `queue_id, message_id, body, attributes, system_attributes, md5_body, md5_attributes, md5_system,
  sent_at, visible_at, group_id, dedup_id, sender_id, dlq_source_arn`;
const insertTexts: string[] = [];

/** The INSERT of `n` messages; built once per size. */
function insertMessagesSql(n: number): string {
  return (insertTexts[n] ??= `INSERT INTO sqs_messages (${MESSAGE_COLUMNS}) VALUES ${
    Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} RETURNING seq, message_id`);
}
