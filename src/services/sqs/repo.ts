/**
 * SQS's queue repository (SQLite or PostgreSQL through the neutral handle): queue rows, cached per
 * node, and the queue-level writes that also remove message rows (delete, purge). Messages
 * themselves are in store/ (rows on PostgreSQL, a journal on SQLite). Statement texts are constant
 * (cached per text on both engines).
 */
import type { MetaChanges } from '../../store/meta/changes.ts';
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

  constructor(private readonly db: Sql, private readonly changes?: MetaChanges) {
    changes?.subscribe(QUEUES_TOPIC, () => this.forgetQueues());
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

  async forgetDeletedBefore(before: number): Promise<void> {
    await this.db.run('DELETE FROM sqs_deleted_queues WHERE deleted_at < ?', [before]);
  }
}

