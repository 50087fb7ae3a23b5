import { inList } from './sql/in-list.ts';
import { skipLocked } from './sql/locking.ts';
import type { Sql } from './sql/types.ts';

/**
 * The delivery outbox: work that must reach something outside Osprey (subscription payloads today,
 * alarm actions and EventBridge targets later). A row is written in the same request that creates
 * the work, before the client gets its 200, and deleted only once the receiver acknowledged it, so
 * a crash at any point loses nothing (at-least-once; a crash after a send and before the delete
 * sends it again).
 *
 * Rows are claimed with a lease (owner + expiry): a claimed row is invisible to other workers until
 * the lease runs out, so two processes never deliver the same row concurrently, and rows claimed by
 * a process that died become claimable again once their lease expires.
 */
export interface OutboxRow {
  id: number;
  /** Which handler delivers it, e.g. `logs.subscription`. */
  topic: string;
  /** Where it goes (handler-defined, e.g. the target ARN); handlers batch rows by it. */
  target: string;
  /** Handler-defined JSON text. */
  payload: string;
  /** Items inside the payload (e.g. log events), for batching limits and stats. */
  items: number;
  /** Payload size the handler counts against its batch limits. */
  bytes: number;
  createdAt: number;
  /** Failed delivery attempts so far. */
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
}

export interface NewOutboxRow {
  topic: string;
  target: string;
  payload: string;
  items?: number;
  bytes?: number;
  /** Not delivered before this time (a scheduled occurrence written ahead of its due second). */
  notBefore?: number;
}

export interface DeadOutboxRow extends OutboxRow {
  failedAt: number;
}

export interface ClaimQuery {
  topics: string[];
  owner: string;
  now: number;
  /** Rows due by this time (default `now`): a handler claiming ahead passes a later one. */
  dueBy?: number;
  leaseMs: number;
  limit: number;
}

/** One topic's pending rows: how many, and when the oldest was written. */
export interface OutboxCounts {
  pending: number;
  leased: number;
  dead: number;
}

/** Undelivered rows per topic and dead letters (self-monitoring). */
export interface OutboxBacklog {
  /** Topics that have rows: how many, and created_at of the oldest. */
  topics: { topic: string; pending: number; oldestCreatedAt: number }[];
  dead: number;
}

export interface OutboxRepo {
  /** Appends rows due now: in `tx` when given (the caller's transaction), else in one of its own. */
  enqueue(rows: NewOutboxRow[], now: number, tx?: Sql): Promise<void>;
  /** Leases up to `limit` due, unleased rows of the topics to `owner`; longest due first, returned by id. */
  claim(q: ClaimQuery): Promise<OutboxRow[]>;
  /** Delivered: the rows are removed (whoever holds the lease now). */
  complete(ids: number[]): Promise<void>;
  /** Failed, try again at `nextAttemptAt`: attempts + 1, lease dropped. No-op if `owner` lost the lease. */
  retry(id: number, owner: string, nextAttemptAt: number, error: string): Promise<void>;
  /** Gives rows back without counting an attempt (shutdown while in flight). */
  release(ids: number[], owner: string): Promise<void>;
  /** Gave up: moves the row to the dead-letter table with its last error. */
  deadLetter(id: number, owner: string, error: string, now: number): Promise<void>;
  /** Earliest time a row of these topics becomes claimable (due and unleased), undefined if none. */
  nextDueAt(topics: string[]): Promise<number | undefined>;
  counts(now: number): Promise<OutboxCounts>;
  /** Per topic with rows: how many, and when the oldest was created; and the dead-letter count. */
  backlog(): Promise<OutboxBacklog>;
  listDead(limit: number): Promise<DeadOutboxRow[]>;
  /** Called after every enqueue (same process), so a worker can deliver without waiting for its poll. */
  onEnqueue(listener: () => void): () => void;
}

/**
 * The schema, for the migration entry in migrations.ts (and for tests that run before it is
 * wired). Once shipped it is frozen: schema changes go in a new migration, never here.
 * AUTOINCREMENT: ids are never reused, so they order rows and name deliveries for good.
 */
export const OUTBOX_SQL = `
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    target TEXT NOT NULL,
    payload TEXT NOT NULL,
    items INTEGER NOT NULL DEFAULT 1,
    bytes INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
  );
  CREATE INDEX outbox_due ON outbox (topic, next_attempt_at);
  CREATE TABLE outbox_dead (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    target TEXT NOT NULL,
    payload TEXT NOT NULL,
    items INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    failed_at INTEGER NOT NULL
  );
`;

interface Row {
  id: number;
  topic: string;
  target: string;
  payload: string;
  items: number;
  bytes: number;
  created_at: number;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

const toRow = (r: Row): OutboxRow => ({
  id: r.id,
  topic: r.topic,
  target: r.target,
  payload: r.payload,
  items: r.items,
  bytes: r.bytes,
  createdAt: r.created_at,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
});

const COLUMNS = 'id, topic, target, payload, items, bytes, created_at, attempts, next_attempt_at, last_error';

export class OutboxStore implements OutboxRepo {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: Sql) {}

  async enqueue(rows: NewOutboxRow[], now: number, tx?: Sql): Promise<void> {
    if (rows.length === 0) return;
    const insert = async (on: Sql) => {
      for (const r of rows) {
        await on.run(`INSERT INTO outbox (topic, target, payload, items, bytes, created_at, next_attempt_at)
          VALUES (@topic, @target, @payload, @items, @bytes, @now, @due)`,
        { topic: r.topic, target: r.target, payload: r.payload, items: r.items ?? 1, bytes: r.bytes ?? 0, now, due: Math.max(now, r.notBefore ?? now) });
      }
    };
    if (tx) {
      await insert(tx);
      // After the caller's commit (a worker that looks earlier finds nothing and polls again).
      setImmediate(() => this.notify());
      return;
    }
    await this.db.transaction(insert);
    this.notify();
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }

  async claim(q: ClaimQuery): Promise<OutboxRow[]> {
    const topics = inList(q.topics);
    const until = q.now + q.leaseMs;
    // A row is claimable when it is due and nobody holds an unexpired lease on it. Claiming also
    // moves next_attempt_at to the lease's end (when the row is claimable again anyway), so the
    // due range of outbox_due holds only claimable rows: a claim reads about `limit` index
    // entries in (next_attempt_at, id) order, instead of every due row — leased or backlog — to
    // sort them by id (23 ms per claim of 500 behind a 25,000-row backlog).
    const rows = await this.db.all<Row>(`UPDATE outbox SET lease_owner = ?, lease_until = ?, next_attempt_at = ?
      WHERE id IN (
        SELECT id FROM outbox
        WHERE topic IN ${topics.sql} AND next_attempt_at <= ? AND lease_until <= ?
        ORDER BY next_attempt_at, id LIMIT ?${skipLocked(this.db)})
      RETURNING ${COLUMNS}`, [q.owner, until, until, ...topics.params, q.dueBy ?? q.now, q.now, q.limit]);
    // RETURNING does not promise an order.
    return rows.map(toRow).sort((a, b) => a.id - b.id);
  }

  async complete(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const l = inList(ids);
    await this.db.run(`DELETE FROM outbox WHERE id IN ${l.sql}`, l.params);
  }

  async retry(id: number, owner: string, nextAttemptAt: number, error: string): Promise<void> {
    await this.db.run(`UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = 0
      WHERE id = ? AND lease_owner = ?`, [nextAttemptAt, error, id, owner]);
  }

  async release(ids: number[], owner: string): Promise<void> {
    if (ids.length === 0) return;
    const l = inList(ids);
    // Due again at once, in creation order (claim moved next_attempt_at to the lease's end).
    await this.db.run(`UPDATE outbox SET lease_owner = NULL, lease_until = 0, next_attempt_at = created_at
      WHERE id IN ${l.sql} AND lease_owner = ?`, [...l.params, owner]);
  }

  async deadLetter(id: number, owner: string, error: string, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const copied = await tx.run(`INSERT INTO outbox_dead
          (id, topic, target, payload, items, bytes, created_at, attempts, next_attempt_at, last_error, failed_at)
        SELECT id, topic, target, payload, items, bytes, created_at, attempts + 1, next_attempt_at, ?, ?
        FROM outbox WHERE id = ? AND lease_owner = ?
        ON CONFLICT (id) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error, failed_at = excluded.failed_at`,
      [error, now, id, owner]);
      if (copied.changes === 1) await tx.run('DELETE FROM outbox WHERE id = ?', [id]);
    });
  }

  async nextDueAt(topics: string[]): Promise<number | undefined> {
    // next_attempt_at >= lease_until for every row since claims move it (rows leased before
    // that change are claimable when their lease ends, at most leaseMs later): the minimum is one
    // index lookup per topic instead of a scan of the whole backlog.
    let min: number | undefined;
    for (const topic of topics) {
      const row = await this.db.get<{ t: number | null }>('SELECT MIN(next_attempt_at) AS t FROM outbox WHERE topic = ?', [topic]);
      const t = row?.t ?? null;
      if (t !== null && (min === undefined || t < min)) min = t;
    }
    return min;
  }

  async counts(now: number): Promise<OutboxCounts> {
    return (await this.db.get<OutboxCounts>(`SELECT
        (SELECT COUNT(*) FROM outbox) AS pending,
        (SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL AND lease_until > ?) AS leased,
        (SELECT COUNT(*) FROM outbox_dead) AS dead`, [now]))!;
  }

  async backlog(): Promise<OutboxBacklog> {
    // MIN(id) and COUNT come from the outbox_due index; ids grow with created_at (AUTOINCREMENT /
    // identity), so the oldest row is one primary-key lookup per topic.
    const topics = await this.db.all<OutboxBacklog['topics'][number]>(`SELECT b.topic, b.pending, o.created_at AS oldestCreatedAt FROM (
        SELECT topic, COUNT(*) AS pending, MIN(id) AS oldest FROM outbox GROUP BY topic) b
      JOIN outbox o ON o.id = b.oldest ORDER BY b.topic`);
    const dead = await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_dead');
    return { topics, dead: dead!.n };
  }

  async listDead(limit: number): Promise<DeadOutboxRow[]> {
    const rows = await this.db.all<Row & { failed_at: number }>(`SELECT ${COLUMNS}, failed_at FROM outbox_dead ORDER BY id LIMIT ?`, [limit]);
    return rows.map((r) => ({ ...toRow(r), failedAt: r.failed_at }));
  }

  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
