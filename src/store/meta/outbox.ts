import type { Db } from './db.ts';

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
}

export interface DeadOutboxRow extends OutboxRow {
  failedAt: number;
}

export interface ClaimQuery {
  topics: string[];
  owner: string;
  now: number;
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

/** Async signatures so a PostgreSQL implementation can stand in; SQLite answers synchronously. */
export interface OutboxRepo {
  /** Appends rows in one transaction, due now. */
  enqueue(rows: NewOutboxRow[], now: number): Promise<void>;
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

export class SqliteOutboxRepo implements OutboxRepo {
  private readonly stmts;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly db: Db) {
    this.stmts = {
      insert: db.prepare(`INSERT INTO outbox (topic, target, payload, items, bytes, created_at, next_attempt_at)
        VALUES (@topic, @target, @payload, @items, @bytes, @now, @now)`),
      // A row is claimable when it is due and nobody holds an unexpired lease on it. Claiming also
      // moves next_attempt_at to the lease's end (when the row is claimable again anyway), so the
      // due range of outbox_due holds only claimable rows: a claim reads about `limit` index
      // entries in (next_attempt_at, id) order, instead of every due row — leased or backlog — to
      // sort them by id (23 ms per claim of 500 behind a 25,000-row backlog).
      claim: db.prepare(`UPDATE outbox SET lease_owner = @owner, lease_until = @until, next_attempt_at = @until
        WHERE id IN (
          SELECT id FROM outbox
          WHERE topic = @topic AND next_attempt_at <= @now AND lease_until <= @now
          ORDER BY next_attempt_at, id LIMIT @limit)
        RETURNING ${COLUMNS}`),
      claimTopics: db.prepare(`UPDATE outbox SET lease_owner = @owner, lease_until = @until, next_attempt_at = @until
        WHERE id IN (
          SELECT id FROM outbox
          WHERE topic IN (SELECT value FROM json_each(@topics)) AND next_attempt_at <= @now AND lease_until <= @now
          ORDER BY next_attempt_at, id LIMIT @limit)
        RETURNING ${COLUMNS}`),
      complete: db.prepare('DELETE FROM outbox WHERE id IN (SELECT value FROM json_each(?))'),
      retry: db.prepare(`UPDATE outbox SET attempts = attempts + 1, next_attempt_at = @next, last_error = @error,
          lease_owner = NULL, lease_until = 0
        WHERE id = @id AND lease_owner = @owner`),
      // Due again at once, in creation order (claim moved next_attempt_at to the lease's end).
      release: db.prepare(`UPDATE outbox SET lease_owner = NULL, lease_until = 0, next_attempt_at = created_at
        WHERE id IN (SELECT value FROM json_each(@ids)) AND lease_owner = @owner`),
      copyDead: db.prepare(`INSERT OR REPLACE INTO outbox_dead
          (id, topic, target, payload, items, bytes, created_at, attempts, next_attempt_at, last_error, failed_at)
        SELECT id, topic, target, payload, items, bytes, created_at, attempts + 1, next_attempt_at, @error, @now
        FROM outbox WHERE id = @id AND lease_owner = @owner`),
      deleteOne: db.prepare('DELETE FROM outbox WHERE id = ?'),
      // next_attempt_at >= lease_until for every row since claims move it (rows leased before
      // that change are claimable when their lease ends, at most leaseMs later): the minimum is one
      // index lookup per topic instead of a scan of the whole backlog.
      nextDue: db.prepare('SELECT MIN(next_attempt_at) AS t FROM outbox WHERE topic = ?'),
      counts: db.prepare(`SELECT
          (SELECT COUNT(*) FROM outbox) AS pending,
          (SELECT COUNT(*) FROM outbox WHERE lease_owner IS NOT NULL AND lease_until > ?) AS leased,
          (SELECT COUNT(*) FROM outbox_dead) AS dead`),
      // MIN(id) and COUNT come from the outbox_due index (it carries the rowid); ids grow with
      // created_at (AUTOINCREMENT), so the oldest row is one primary-key lookup per topic.
      backlog: db.prepare(`SELECT b.topic, b.pending, o.created_at AS oldestCreatedAt FROM (
          SELECT topic, COUNT(*) AS pending, MIN(id) AS oldest FROM outbox GROUP BY topic) b
        JOIN outbox o ON o.id = b.oldest`),
      deadCount: db.prepare('SELECT COUNT(*) AS n FROM outbox_dead'),
      listDead: db.prepare(`SELECT ${COLUMNS}, failed_at FROM outbox_dead ORDER BY id LIMIT ?`),
    };
  }

  async enqueue(rows: NewOutboxRow[], now: number): Promise<void> {
    if (rows.length === 0) return;
    this.db.transaction(() => {
      for (const r of rows) {
        this.stmts.insert.run({ topic: r.topic, target: r.target, payload: r.payload, items: r.items ?? 1, bytes: r.bytes ?? 0, now });
      }
    })();
    for (const l of this.listeners) l();
  }

  async claim(q: ClaimQuery): Promise<OutboxRow[]> {
    const args = { owner: q.owner, until: q.now + q.leaseMs, now: q.now, limit: q.limit };
    const rows = (q.topics.length === 1
      ? this.stmts.claim.all({ ...args, topic: q.topics[0] })
      : this.stmts.claimTopics.all({ ...args, topics: JSON.stringify(q.topics) })) as Row[];
    // RETURNING does not promise an order.
    return rows.map(toRow).sort((a, b) => a.id - b.id);
  }

  async complete(ids: number[]): Promise<void> {
    if (ids.length > 0) this.stmts.complete.run(JSON.stringify(ids));
  }

  async retry(id: number, owner: string, nextAttemptAt: number, error: string): Promise<void> {
    this.stmts.retry.run({ id, owner, next: nextAttemptAt, error });
  }

  async release(ids: number[], owner: string): Promise<void> {
    if (ids.length > 0) this.stmts.release.run({ ids: JSON.stringify(ids), owner });
  }

  async deadLetter(id: number, owner: string, error: string, now: number): Promise<void> {
    this.db.transaction(() => {
      if (this.stmts.copyDead.run({ id, owner, error, now }).changes === 1) this.stmts.deleteOne.run(id);
    })();
  }

  async nextDueAt(topics: string[]): Promise<number | undefined> {
    let min: number | undefined;
    for (const topic of topics) {
      const { t } = this.stmts.nextDue.get(topic) as { t: number | null };
      if (t !== null && (min === undefined || t < min)) min = t;
    }
    return min;
  }

  async counts(now: number): Promise<OutboxCounts> {
    return this.stmts.counts.get(now) as OutboxCounts;
  }

  async backlog(): Promise<OutboxBacklog> {
    const topics = this.stmts.backlog.all() as OutboxBacklog['topics'];
    return { topics, dead: (this.stmts.deadCount.get() as { n: number }).n };
  }

  async listDead(limit: number): Promise<DeadOutboxRow[]> {
    const rows = this.stmts.listDead.all(limit) as (Row & { failed_at: number })[];
    return rows.map((r) => ({ ...toRow(r), failedAt: r.failed_at }));
  }

  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
