/**
 * Live Tail across nodes. With several nodes on one PostgreSQL metadata store each node stores the
 * events it receives in its own telemetry, but a Live Tail session on node B must see what node A
 * ingests for the tailed groups. Sessions are announced in `logs_tail_sessions` (renewed while they
 * run, so a killed node's rows lapse); every node keeps the set of groups other nodes tail, and
 * copies the batches it ingests for those groups into `logs_tail_relay` and signals them
 * (`env.changes`); a node with sessions reads the rows it has not seen and hands them to its hub as
 * if ingested here. Live data only, best effort like Live Tail itself: a batch that cannot be
 * relayed is logged, never a failed PutLogEvents; rows are dropped after RELAY_KEEP_MS.
 *
 * On SQLite there is one node, and none of this runs.
 */
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Migration } from '../../store/meta/db.ts';
import type { MetaChanges } from '../../store/meta/changes.ts';
import type { MetaDb } from '../../store/meta/sql/types.ts';
import type { IngestedBatch } from './ingest-hooks.ts';

/** Logs' own tables (module migrations of `logs`). */
export const LIVE_TAIL_MIGRATIONS: Migration[] = [{
  id: 1,
  name: 'logs: live tail sessions and relayed batches across nodes',
  sql: `
    CREATE TABLE logs_tail_sessions (
      session_id TEXT NOT NULL,
      log_group TEXT NOT NULL,
      account TEXT NOT NULL,
      region TEXT NOT NULL,
      node TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (session_id, log_group)
    ) WITHOUT ROWID;
    CREATE TABLE logs_tail_relay (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      node TEXT NOT NULL,
      created INTEGER NOT NULL,
      batch TEXT NOT NULL
    );
    CREATE INDEX logs_tail_relay_created ON logs_tail_relay (created);
  `,
}];

const SESSIONS_TOPIC = 'logs.tail.sessions';
const RELAY_TOPIC = 'logs.tail.relay';
/** A session row lives this long past its last renewal (renewed every third of it). */
const SESSION_TTL_MS = 30_000;
/** Relayed rows are read within a second or two; kept a little longer for a reader that was busy. */
const RELAY_KEEP_MS = 30_000;
/** A reader re-reads this far back (ids are not committed in order) and skips what it has seen. */
const READ_BACK_MS = 5_000;
/** Without a signal (a missed NOTIFY), a node with sessions still reads this often. */
const POLL_MS = 1000;

/** The hub's side: whether it has sessions at all, and where relayed batches go. */
export interface RelayTarget {
  size(): number;
  onIngest(batch: IngestedBatch): Promise<void>;
}

export interface LiveTailRelayOptions {
  db: MetaDb;
  changes: MetaChanges;
  nodeId: string;
  clock: Clock;
  log: Logger;
}

const groupKey = (account: string, region: string, group: string) => `${account}\n${region}\n${group}`;

export class LiveTailRelay {
  private hub: RelayTarget | undefined;
  /** Groups tailed by sessions on other nodes. */
  private wanted = new Set<string>();
  private pending: IngestedBatch[] = [];
  private flushing: Promise<void> | undefined;
  private seen = new Map<number, number>();
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void)[] = [];

  constructor(private readonly o: LiveTailRelayOptions) {}

  /** Starts following sessions and relayed batches for `hub`. */
  async start(hub: RelayTarget): Promise<void> {
    this.hub = hub;
    this.unsubscribe.push(
      this.o.changes.subscribe(SESSIONS_TOPIC, () => void this.reloadWanted().catch((err: unknown) => this.o.log.warn({ err }, 'live tail: reading sessions across nodes failed'))),
      this.o.changes.subscribe(RELAY_TOPIC, () => this.read()),
    );
    await this.reloadWanted();
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(SESSION_TTL_MS / 3, () => void this.housekeep());
    every(POLL_MS, () => { if (hub.size() > 0) this.read(); });
  }

  async stop(): Promise<void> {
    for (const t of this.timers.splice(0)) clearInterval(t);
    for (const u of this.unsubscribe.splice(0)) u();
    await this.flushing;
    await this.reading;
    await this.o.db.run('DELETE FROM logs_tail_sessions WHERE node = ?', [this.o.nodeId]).catch(() => undefined);
  }

  /** A session on this node began: other nodes relay its groups from now on. */
  async opened(sessionId: string, account: string, region: string, groups: readonly string[]): Promise<void> {
    const expires = this.o.clock.now() + SESSION_TTL_MS;
    await this.o.db.transaction(async (tx) => {
      for (const g of groups) {
        await tx.run('INSERT INTO logs_tail_sessions (session_id, log_group, account, region, node, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
          [sessionId, g, account, region, this.o.nodeId, expires]);
      }
    });
    await this.o.changes.publish(SESSIONS_TOPIC);
  }

  async closed(sessionId: string): Promise<void> {
    await this.o.db.run('DELETE FROM logs_tail_sessions WHERE session_id = ?', [sessionId]);
    await this.o.changes.publish(SESSIONS_TOPIC);
  }

  async count(account: string): Promise<number> {
    const row = await this.o.db.get<{ n: number }>(
      'SELECT count(DISTINCT session_id) AS n FROM logs_tail_sessions WHERE account = ? AND node <> ? AND expires_at >= ?',
      [account, this.o.nodeId, this.o.clock.now()]);
    return Number(row?.n ?? 0);
  }

  /** An ingested batch (the `logs.ingested` fact): relayed when another node tails its group. */
  onIngest(batch: IngestedBatch): Promise<void> {
    if (this.wanted.size === 0 || !this.wanted.has(groupKey(batch.account, batch.region, batch.logGroup))) return Promise.resolve();
    this.pending.push(batch);
    // Not awaited by PutLogEvents: the batch is stored already, and relaying is best effort.
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
    return Promise.resolve();
  }

  private async flush(): Promise<void> {
    const batches = this.pending.splice(0);
    try {
      const now = this.o.clock.now();
      // The fact's fields only (the stored batch object carries more, such as bigint sequence numbers).
      const rows = batches.map((b) => JSON.stringify({
        account: b.account, region: b.region, logGroup: b.logGroup, logStream: b.logStream,
        events: b.events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: e.eventId })),
      } satisfies IngestedBatch));
      await this.o.db.run(`INSERT INTO logs_tail_relay (node, created, batch) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}`,
        rows.flatMap((r) => [this.o.nodeId, now, r]));
      await this.o.changes.publish(RELAY_TOPIC);
    } catch (err) {
      this.o.log.warn({ err, batches: batches.length }, 'live tail: could not relay log events to other nodes');
    } finally {
      this.flushing = undefined;
      if (this.pending.length > 0) this.flushing = this.flush();
    }
  }

  /** Reads the rows other nodes relayed that this node has not handed to its hub yet. */
  private read(): void {
    if (!this.hub || this.hub.size() === 0) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.readOnce()
      .catch((err: unknown) => this.o.log.warn({ err }, 'live tail: reading relayed log events failed'))
      .finally(() => {
        this.reading = undefined;
        if (this.readAgain) {
          this.readAgain = false;
          this.read();
        }
      });
  }

  private async readOnce(): Promise<void> {
    const now = this.o.clock.now();
    const rows = await this.o.db.all<{ id: number; batch: string }>(
      'SELECT id, batch FROM logs_tail_relay WHERE created > ? AND node <> ? ORDER BY id', [now - READ_BACK_MS, this.o.nodeId]);
    for (const r of rows) {
      if (this.seen.has(r.id)) continue;
      this.seen.set(r.id, now);
      await this.hub!.onIngest(JSON.parse(r.batch) as IngestedBatch);
    }
    for (const [id, at] of this.seen) if (at < now - 2 * READ_BACK_MS) this.seen.delete(id);
  }

  /** Renews this node's sessions, drops lapsed sessions and this node's old relayed rows, re-reads who tails what. */
  private async housekeep(): Promise<void> {
    const now = this.o.clock.now();
    try {
      await this.o.db.run('UPDATE logs_tail_sessions SET expires_at = ? WHERE node = ?', [now + SESSION_TTL_MS, this.o.nodeId]);
      await this.o.db.run('DELETE FROM logs_tail_sessions WHERE expires_at < ?', [now]);
      await this.o.db.run('DELETE FROM logs_tail_relay WHERE node = ? AND created < ?', [this.o.nodeId, now - RELAY_KEEP_MS]);
      await this.reloadWanted();
    } catch (err) {
      this.o.log.warn({ err }, 'live tail: renewing sessions across nodes failed; retrying');
    }
  }

  private async reloadWanted(): Promise<void> {
    const rows = await this.o.db.all<{ account: string; region: string; logGroup: string }>(
      'SELECT DISTINCT account, region, log_group AS logGroup FROM logs_tail_sessions WHERE node <> ? AND expires_at >= ?',
      [this.o.nodeId, this.o.clock.now()]);
    this.wanted = new Set(rows.map((r) => groupKey(r.account, r.region, r.logGroup)));
  }
}
