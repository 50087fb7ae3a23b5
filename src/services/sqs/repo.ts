/**
 * SQS's SQLite repository. Each method is one transaction on the in-process database, so a receive
 * (pick + hide + maybe move to the dead-letter queue) is atomic, and a send is durable (WAL, fsync
 * per config) before the handler returns. Statements are prepared once.
 */
import { PreparedStatements, type Db } from '../../store/meta/db.ts';
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
  private readonly st: PreparedStatements;
  /**
   * Queue rows by key and by id, read once: every message call resolves its queue, and parsing the
   * attributes' JSON per call showed in profiles. This process is the database's only writer, and
   * every queue write below clears the cache. Rows are frozen: callers never edit them in place.
   */
  private readonly byKey = new Map<string, QueueRow>();
  private readonly byId = new Map<number, QueueRow>();

  constructor(private readonly db: Db) {
    this.st = new PreparedStatements(db);
  }

  queue(k: QueueKey): QueueRow | undefined {
    const key = `${k.account}/${k.region}/${k.name}`;
    const hit = this.byKey.get(key);
    if (hit) return hit;
    const r = this.st.get('SELECT * FROM sqs_queues WHERE account = ? AND region = ? AND name = ?').get(k.account, k.region, k.name) as QueueDbRow | undefined;
    return r && this.remember(r);
  }

  queueById(id: number): QueueRow | undefined {
    const hit = this.byId.get(id);
    if (hit) return hit;
    const r = this.st.get('SELECT * FROM sqs_queues WHERE id = ?').get(id) as QueueDbRow | undefined;
    return r && this.remember(r);
  }

  private remember(r: QueueDbRow): QueueRow {
    const q = queueFromRow(r);
    Object.freeze(q.attributes);
    Object.freeze(q.tags);
    Object.freeze(q);
    this.byKey.set(`${q.account}/${q.region}/${q.name}`, q);
    this.byId.set(q.id, q);
    return q;
  }

  private forgetQueues(): void {
    this.byKey.clear();
    this.byId.clear();
  }

  allQueues(): QueueRow[] {
    return (this.st.get('SELECT * FROM sqs_queues').all() as QueueDbRow[]).map(queueFromRow);
  }

  /** Inserts a queue; undefined when the name is taken (the caller compares attributes). */
  insertQueue(k: QueueKey, fifo: boolean, attributes: Record<string, string>, tags: Record<string, string>, now: number): QueueRow | undefined {
    const res = this.st
      .get('INSERT INTO sqs_queues (account, region, name, fifo, attributes, tags, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      .run(k.account, k.region, k.name, fifo ? 1 : 0, JSON.stringify(attributes), JSON.stringify(tags), now, now);
    this.forgetQueues();
    return res.changes === 0 ? undefined : this.queueById(Number(res.lastInsertRowid));
  }

  deletedSince(k: QueueKey, since: number): boolean {
    const r = this.st.get('SELECT deleted_at FROM sqs_deleted_queues WHERE account = ? AND region = ? AND name = ?').get(k.account, k.region, k.name) as
      | { deleted_at: number }
      | undefined;
    return r !== undefined && r.deleted_at > since;
  }

  deleteQueue(q: QueueRow, now: number): void {
    this.forgetQueues();
    this.db.transaction(() => {
      this.st.get('DELETE FROM sqs_messages WHERE queue_id = ?').run(q.id);
      this.st.get('DELETE FROM sqs_dedup WHERE queue_id = ?').run(q.id);
      this.st.get('DELETE FROM sqs_queues WHERE id = ?').run(q.id);
      this.st
        .get('INSERT INTO sqs_deleted_queues (account, region, name, deleted_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET deleted_at = excluded.deleted_at')
        .run(q.account, q.region, q.name, now);
    })();
  }

  listQueues(account: string, region: string, prefix: string, after: string, limit: number): QueueRow[] {
    const rows = this.st
      .get('SELECT * FROM sqs_queues WHERE account = ? AND region = ? AND name > ? AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?')
      .all(account, region, after, prefix.length, prefix, limit) as QueueDbRow[];
    return rows.map(queueFromRow);
  }

  setAttributes(id: number, attributes: Record<string, string>, now: number): void {
    this.forgetQueues();
    this.st.get('UPDATE sqs_queues SET attributes = ?, modified_at = ? WHERE id = ?').run(JSON.stringify(attributes), now, id);
  }

  setTags(id: number, tags: Record<string, string>): void {
    this.forgetQueues();
    this.st.get('UPDATE sqs_queues SET tags = ? WHERE id = ?').run(JSON.stringify(tags), id);
  }

  /** Deletes every message sent up to `at` and records the purge. */
  purge(id: number, at: number): void {
    this.forgetQueues();
    this.db.transaction(() => {
      this.st.get('UPDATE sqs_queues SET purged_at = ? WHERE id = ?').run(at, id);
      this.st.get('DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at <= ?').run(id, at);
    })();
  }

  counts(id: number, now: number, sentAfter: number): { visible: number; notVisible: number; delayed: number } {
    const r = this.st
      .get(
        `SELECT coalesce(sum(visible_at <= ?), 0) AS visible,
                coalesce(sum(visible_at > ? AND receive_count > 0), 0) AS not_visible,
                coalesce(sum(visible_at > ? AND receive_count = 0), 0) AS delayed
         FROM sqs_messages WHERE queue_id = ? AND sent_at >= ?`,
      )
      .get(now, now, now, id, sentAfter) as { visible: number; not_visible: number; delayed: number };
    return { visible: r.visible, notVisible: r.not_visible, delayed: r.delayed };
  }

  /**
   * Stores a batch of messages in one transaction. FIFO entries with a deduplication key seen within
   * its window return the earlier message instead of being stored again.
   */
  send(queueId: number, messages: { msg: NewMessage; dedupKey?: string; dedupUntil?: number }[], now: number): SendResult[] {
    return this.db.transaction(() =>
      messages.map(({ msg, dedupKey, dedupUntil }) => {
        if (dedupKey !== undefined) {
          const seen = this.st.get('SELECT message_id, seq, expires_at FROM sqs_dedup WHERE queue_id = ? AND scope_key = ?').get(queueId, dedupKey) as
            | { message_id: string; seq: number; expires_at: number }
            | undefined;
          if (seen && seen.expires_at > now) return { seq: seen.seq, messageId: seen.message_id, duplicate: true };
        }
        const seq = Number(this.insertMessage(queueId, msg));
        if (dedupKey !== undefined) {
          this.st
            .get('INSERT INTO sqs_dedup (queue_id, scope_key, message_id, seq, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET message_id = excluded.message_id, seq = excluded.seq, expires_at = excluded.expires_at')
            .run(queueId, dedupKey, msg.message_id, seq, dedupUntil);
        }
        return { seq, messageId: msg.message_id, duplicate: false };
      }),
    )();
  }

  private insertMessage(queueId: number, m: NewMessage): number | bigint {
    return this.st
      .get(
        `INSERT INTO sqs_messages (queue_id, message_id, body, attributes, system_attributes, md5_body, md5_attributes, md5_system,
           sent_at, visible_at, group_id, dedup_id, sender_id, dlq_source_arn) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(queueId, m.message_id, m.body, m.attributes, m.system_attributes, m.md5_body, m.md5_attributes, m.md5_system,
        m.sent_at, m.visible_at, m.group_id, m.dedup_id, m.sender_id, m.dlq_source_arn).lastInsertRowid;
  }

  /**
   * Picks up to `max` available messages, hides them until `visibleUntil` with a new receipt token,
   * and counts the receive. A message already received `maxReceiveCount` times moves to the
   * dead-letter queue instead. FIFO: a group with a message in flight (or not yet visible) is
   * skipped entirely, so its order holds.
   */
  receive(queueId: number, o: ReceiveOptions): MessageRow[] {
    if (!o.fifo && !o.redrive) return this.receiveStandard(queueId, o);
    return this.db.transaction(() => {
      const out: MessageRow[] = [];
      for (let pass = 0; pass < 4 && out.length < o.max; pass++) {
        const candidates = this.candidates(queueId, o, o.max - out.length);
        if (candidates.length === 0) break;
        let moved = 0;
        for (const m of candidates) {
          if (o.redrive && m.receive_count >= o.redrive.maxReceiveCount) {
            this.moveTo(m, o.redrive.dlqId, o.now, o.redrive.sourceArn);
            moved++;
            continue;
          }
          this.st
            .get('UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1, first_receive_at = coalesce(first_receive_at, ?), receipt = ? WHERE seq = ?')
            .run(o.visibleUntil, o.now, o.token, m.seq);
          out.push({ ...m, visible_at: o.visibleUntil, receive_count: m.receive_count + 1, first_receive_at: m.first_receive_at ?? o.now, receipt: o.token });
        }
        if (moved === 0) break;
      }
      return out;
    })();
  }

  /**
   * A standard queue without a redrive policy: pick and hide in one statement (the pick-then-update
   * loop above made eleven statements of every receive of ten).
   */
  private receiveStandard(queueId: number, o: ReceiveOptions): MessageRow[] {
    const rows = this.st
      .get(
        `UPDATE sqs_messages SET visible_at = ?, receive_count = receive_count + 1, first_receive_at = coalesce(first_receive_at, ?), receipt = ?
         WHERE seq IN (SELECT seq FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at >= ? ORDER BY visible_at, seq LIMIT ?)
         RETURNING *`,
      )
      .all(o.visibleUntil, o.now, o.token, queueId, o.now, o.sentAfter, o.max) as MessageRow[];
    return rows.sort((a, b) => a.seq - b.seq);
  }

  private candidates(queueId: number, o: ReceiveOptions, limit: number): MessageRow[] {
    if (!o.fifo) {
      return this.st
        .get('SELECT * FROM sqs_messages WHERE queue_id = ? AND visible_at <= ? AND sent_at >= ? ORDER BY visible_at, seq LIMIT ?')
        .all(queueId, o.now, o.sentAfter, limit) as MessageRow[];
    }
    // Walk the queue in send order and stop at `limit`; the blocked groups are those with a message
    // in flight or delayed — a range of the visibility index, not a scan of every group. (Letting
    // the planner choose sorted every visible message per receive: 70 ms at 100k messages, now 0.3.)
    return this.st
      .get(
        `SELECT * FROM sqs_messages INDEXED BY sqs_messages_fifo_order
         WHERE queue_id = ? AND group_id IS NOT NULL AND visible_at <= ? AND sent_at >= ?
           AND group_id NOT IN (SELECT group_id FROM sqs_messages INDEXED BY sqs_messages_visible
                                WHERE queue_id = ? AND visible_at > ? AND group_id IS NOT NULL AND sent_at >= ?)
         ORDER BY seq LIMIT ?`,
      )
      .all(queueId, o.now, o.sentAfter, queueId, o.now, o.sentAfter, limit) as MessageRow[];
  }

  /** Moves one message to another queue (a dead-letter queue, or back by a move task), keeping its identity. */
  private moveTo(m: MessageRow, targetId: number, now: number, sourceArn: string | null): void {
    this.st.get('DELETE FROM sqs_messages WHERE seq = ?').run(m.seq);
    this.insertMessage(targetId, { ...m, visible_at: now, dlq_source_arn: sourceArn });
  }

  /** The earliest time a hidden (in-flight or delayed) message becomes visible. */
  nextVisibleAt(queueId: number, now: number): number | undefined {
    const r = this.st.get('SELECT min(visible_at) AS t FROM sqs_messages WHERE queue_id = ? AND visible_at > ?').get(queueId, now) as { t: number | null };
    return r.t ?? undefined;
  }

  message(queueId: number, seq: number): MessageRow | undefined {
    return this.st.get('SELECT * FROM sqs_messages WHERE seq = ? AND queue_id = ?').get(seq, queueId) as MessageRow | undefined;
  }

  /** Deletes the message if `token` is its latest receipt; a stale token deletes nothing (as AWS documents). */
  deleteByReceipt(queueId: number, seq: number, token: string): boolean {
    return this.st.get('DELETE FROM sqs_messages WHERE seq = ? AND queue_id = ? AND receipt = ?').run(seq, queueId, token).changes > 0;
  }

  setVisibleAt(seq: number, visibleAt: number): void {
    this.st.get('UPDATE sqs_messages SET visible_at = ? WHERE seq = ?').run(visibleAt, seq);
  }

  /** Retention: deletes messages of one queue sent before `cutoff`, and expired deduplication ids. */
  expire(queueId: number, cutoff: number, now: number): number {
    const n = this.st.get('DELETE FROM sqs_messages WHERE queue_id = ? AND sent_at < ?').run(queueId, cutoff).changes;
    this.st.get('DELETE FROM sqs_dedup WHERE queue_id = ? AND expires_at <= ?').run(queueId, now);
    return n;
  }

  forgetDeletedBefore(before: number): void {
    this.st.get('DELETE FROM sqs_deleted_queues WHERE deleted_at < ?').run(before);
  }

  /** Move tasks: up to `limit` visible messages of `sourceId` sent into it up to `cutoffSeq`. */
  movable(sourceId: number, cutoffSeq: number, now: number, limit: number): MessageRow[] {
    return this.st
      .get('SELECT * FROM sqs_messages WHERE queue_id = ? AND seq <= ? AND visible_at <= ? ORDER BY seq LIMIT ?')
      .all(sourceId, cutoffSeq, now, limit) as MessageRow[];
  }

  /** Moves messages to their targets (queue id per message) in one transaction, resetting receives. */
  moveMessages(moves: { m: MessageRow; targetId: number }[], now: number): void {
    this.db.transaction(() => {
      for (const { m, targetId } of moves) this.moveTo({ ...m, receive_count: 0, first_receive_at: null, receipt: null }, targetId, now, null);
    })();
  }

  countUpTo(queueId: number, cutoffSeq: number): number {
    return (this.st.get('SELECT count(*) AS n FROM sqs_messages WHERE queue_id = ? AND seq <= ?').get(queueId, cutoffSeq) as { n: number }).n;
  }

  maxSeq(): number {
    return (this.st.get('SELECT coalesce(max(seq), 0) AS s FROM sqs_messages').get() as { s: number }).s;
  }
}
