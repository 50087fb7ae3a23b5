/**
 * Messages for the embedded (SQLite) metadata store, which one process owns: held in memory and
 * made durable by a write-ahead journal (`<data>/wal/sqs`, the ingest pipeline's WAL: checksummed
 * frames, group commit, torn tails cut on open). Every state change is decided, written as a
 * record, applied to memory at once and acknowledged when the record is durable — a 200 survives
 * kill -9 (and power loss with `fsync`), as before. About once a second a checkpoint writes what
 * changed to the `sqs_messages` / `sqs_dedup` rows with the journal position it covers, and the
 * journal segments behind it are deleted; a message sent, received and deleted between two
 * checkpoints never touches SQLite (on the queues benchmark, SQLite was a third of the server's
 * time per message). On start: the rows, then the records after the checkpoint.
 *
 * A record whose write fails (disk full) rejects its callers with ServiceUnavailable, but memory
 * (and maybe the next checkpoint) keeps its change: a failed send may still be delivered, a failed
 * delete or receive may be undone by a restart — never the other way round, so nothing
 * acknowledged is lost.
 */
import type { Logger } from '../../../lib/logger.ts';
import type { Sql } from '../../../store/meta/sql/types.ts';
import { Wal } from '../../../store/ingest/wal.ts';
import { queueDoesNotExist } from '../names.ts';
import type { QueueRow, SqsRepo } from '../repo.ts';
import { writeCheckpoint } from './journal-checkpoint.ts';
import { decodeRecord, encodeRecord, type DedupRecord, type JournalRecord, type MoveRecord } from './journal-records.ts';
import { JournalState } from './journal-state.ts';
import { rowOf, type HeldMessage } from './queue-messages.ts';
import type {
  MessageCounts, MessageRow, MessageStore, Move, NewMessage, QueuedSend, Receipt, ReceiveOptions, SendResult, VisibilityChange,
} from './types.ts';

export interface JournalStoreOptions {
  db: Sql;
  repo: SqsRepo;
  /** The journal's directory (`<data>/wal/sqs`). */
  dir: string;
  fsync: boolean;
  log: Logger;
  checkpointMs?: number;
}

const DEFAULT_CHECKPOINT_MS = 1000;

export class JournalMessageStore implements MessageStore {
  private tail: Promise<void> = Promise.resolve();
  private checkpointing: Promise<void> | undefined;
  private checkpointedLsn: number;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  private constructor(private readonly o: JournalStoreOptions, private readonly state: JournalState, private readonly wal: Wal, lsn: number) {
    this.checkpointedLsn = lsn;
    this.timer = setInterval(() => void this.checkpoint(), o.checkpointMs ?? DEFAULT_CHECKPOINT_MS);
    this.timer.unref();
  }

  static async open(o: JournalStoreOptions): Promise<JournalMessageStore> {
    const { db, repo, log } = o;
    await db.run('INSERT INTO sqs_journal (id, lsn, next_seq) VALUES (1, 0, 0) ON CONFLICT (id) DO NOTHING');
    const cp = (await db.get<{ lsn: number; next_seq: number }>('SELECT lsn, next_seq FROM sqs_journal WHERE id = 1'))!;
    const state = new JournalState();
    const queues = await repo.allQueues();
    for (const q of queues) state.queue(q.id, q.fifo);
    for (const row of await db.all<MessageRow>('SELECT * FROM sqs_messages ORDER BY seq')) state.load(row, true, state.queues.get(row.queue_id)?.fifo ?? false);
    for (const d of await db.all<{ queue_id: number; scope_key: string; message_id: string; seq: number; expires_at: number }>('SELECT * FROM sqs_dedup')) {
      state.loadDedup(d.queue_id, d.scope_key, { messageId: d.message_id, seq: Number(d.seq), expiresAt: Number(d.expires_at), stored: true });
    }
    // Seqs never go back: not below the checkpoint's, nor below what SQLite's AUTOINCREMENT handed out before the journal.
    const auto = await db.get<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'sqs_messages'");
    state.nextSeq = Math.max(state.nextSeq, Number(cp.next_seq), Number(auto?.seq ?? 0) + 1);
    const lsn = Number(cp.lsn);
    const { wal, records, problems } = await Wal.open({ dir: o.dir, fsync: o.fsync, replayAfter: lsn, minLsn: lsn });
    for (const p of problems) log.warn({ ...p }, 'sqs journal: damaged records skipped on start');
    for (const r of records) state.apply(decodeRecord(r.payload));
    // A queue deleted after its messages were journaled (a crash between the two): they go too.
    const live = new Set(queues.map((q) => q.id));
    for (const id of [...state.queues.keys()]) if (!live.has(id)) state.apply({ t: 'drop', q: id });
    if (records.length > 0) log.info({ records: records.length, messages: [...state.queues.values()].reduce((n, q) => n + q.size, 0) }, 'sqs journal replayed');
    const store = new JournalMessageStore(o, state, wal, lsn);
    await store.checkpoint();
    return store;
  }

  /** Encodes (before applying: applying turns the sent rows into held messages), applies, appends. */
  private commit(r: JournalRecord): Promise<void> {
    if (this.closed) throw new Error('the SQS journal is closed');
    const payload = encodeRecord(r);
    this.state.apply(r);
    return (this.tail = this.wal.append(payload));
  }

  async send(q: QueueRow, messages: QueuedSend[], now: number): Promise<SendResult[]> {
    if (this.state.dropped.has(q.id)) throw queueDoesNotExist();
    const seen = this.state.dedup.get(q.id);
    const batch = new Map<string, SendResult>();
    const results: SendResult[] = [];
    const rows: MessageRow[] = [];
    const dedup: DedupRecord[] = [];
    for (const { msg, dedupKey, dedupUntil } of messages) {
      if (dedupKey !== undefined) {
        const earlier = batch.get(dedupKey) ?? seenWithin(seen?.get(dedupKey), now);
        if (earlier) {
          results.push({ ...earlier, duplicate: true });
          continue;
        }
      }
      const seq = this.state.nextSeq++;
      rows.push(heldMessage(seq, q.id, msg));
      const result = { seq, messageId: msg.message_id, duplicate: false };
      results.push(result);
      if (dedupKey !== undefined) {
        dedup.push([dedupKey, msg.message_id, seq, dedupUntil!]);
        batch.set(dedupKey, result);
      }
    }
    // Only duplicates: answered once what they duplicate is durable.
    await (rows.length > 0 ? this.commit({ t: 'send', q: q.id, fifo: q.fifo, m: rows, ...(dedup.length > 0 ? { d: dedup } : {}) }) : this.tail);
    return results;
  }

  /**
   * Returns the held messages themselves (no copies): the fields the answer reads do not change
   * until the receipt it carries is used — unless the visibility timeout is 0 and the messages stay
   * visible for the next receive, which then gets copies as they were.
   */
  async receive(queueId: number, o: ReceiveOptions): Promise<MessageRow[]> {
    const qm = this.state.queues.get(queueId);
    if (!qm || this.state.dropped.has(queueId)) return [];
    const hides = o.visibleUntil > o.now;
    const out: MessageRow[] = [];
    const writes: Promise<void>[] = [];
    for (let pass = 0; pass < 4 && out.length < o.max; pass++) {
      const candidates = qm.candidates(o.now, o.sentAfter, o.max - out.length).filter((m) => pass === 0 || !out.some((x) => x.seq === m.seq));
      if (candidates.length === 0) break;
      const picked: HeldMessage[] = [];
      const moves: MoveRecord[] = [];
      for (const m of candidates) {
        if (o.redrive && m.receive_count >= o.redrive.maxReceiveCount) moves.push([m.seq, this.state.nextSeq++, o.redrive.dlqId, o.redrive.sourceArn]);
        else picked.push(m);
      }
      writes.push(this.commit({ t: 'receive', q: queueId, now: o.now, until: o.visibleUntil, token: o.token, s: picked.map((m) => m.seq), ...(moves.length > 0 ? { mv: moves } : {}) }));
      for (const m of picked) out.push(hides ? m : rowOf(m));
      if (moves.length === 0) break;
    }
    await Promise.all(writes);
    return o.fifo ? out : out.sort((a, b) => a.seq - b.seq);
  }

  async nextVisibleAt(queueId: number, now: number): Promise<number | undefined> {
    return this.state.queues.get(queueId)?.nextVisibleAt(now);
  }

  async deleteMessages(queueId: number, receipts: Receipt[]): Promise<void> {
    const all = this.state.queues.get(queueId)?.all;
    const seqs = receipts.filter((r) => all?.get(r.seq)?.receipt === r.token).map((r) => r.seq);
    if (seqs.length > 0) await this.commit({ t: 'delete', q: queueId, s: seqs });
  }

  async changeVisibility(queueId: number, r: Receipt, visibleAt: number, now: number): Promise<VisibilityChange> {
    const m = this.state.queues.get(queueId)?.all.get(r.seq);
    if (!m || m.receipt !== r.token) return 'unknown';
    if (m.visible_at <= now) return 'not-in-flight';
    await this.commit({ t: 'visibility', q: queueId, s: r.seq, at: visibleAt, now });
    return 'changed';
  }

  async counts(queueId: number, now: number, sentAfter: number): Promise<MessageCounts> {
    return this.state.queues.get(queueId)?.counts(now, sentAfter) ?? { visible: 0, notVisible: 0, delayed: 0 };
  }

  async expire(queueId: number, cutoff: number, now: number): Promise<number> {
    let n = 0;
    for (const m of this.state.queues.get(queueId)?.all.values() ?? []) if (m.sent_at < cutoff) n++;
    const dedupDue = [...(this.state.dedup.get(queueId)?.values() ?? [])].some((e) => e.expiresAt <= now);
    if (n > 0 || dedupDue) await this.commit({ t: 'expire', q: queueId, cutoff, now });
    return n;
  }

  /** Journaled first: a crash before the queue row records the purge leaves the messages purged and the next purge allowed. */
  async purge(queueId: number, at: number): Promise<void> {
    await this.commit({ t: 'purge', q: queueId, at });
    await this.o.repo.purge(queueId, at);
  }

  /** The queue row first, so the queue stops resolving; messages journaled meanwhile go with the drop. */
  async deleteQueue(q: QueueRow, now: number): Promise<void> {
    await this.o.repo.deleteQueue(q, now);
    await this.commit({ t: 'drop', q: q.id });
  }

  async movable(sourceId: number, cutoffSeq: number, now: number, limit: number): Promise<MessageRow[]> {
    const out: MessageRow[] = [];
    for (const m of this.state.queues.get(sourceId)?.all.values() ?? []) {
      if (out.length >= limit || m.seq > cutoffSeq) break;
      if (m.visible_at <= now) out.push(rowOf(m));
    }
    return out;
  }

  async moveMessages(moves: Move[], now: number, then?: (tx: Sql, moved: number) => Promise<void>): Promise<number> {
    const bySource = new Map<number, MoveRecord[]>();
    for (const { m, targetId } of moves) {
      const held = this.state.queues.get(m.queue_id)?.all.get(m.seq);
      if (!held || held.visible_at > now) continue;
      let list = bySource.get(m.queue_id);
      if (!list) bySource.set(m.queue_id, (list = []));
      list.push([m.seq, this.state.nextSeq++, targetId, null]);
    }
    let n = 0;
    const writes: Promise<void>[] = [];
    for (const [q, mv] of bySource) {
      n += mv.length;
      writes.push(this.commit({ t: 'move', q, now, mv }));
    }
    await Promise.all(writes);
    await then?.(this.o.db, n);
    return n;
  }

  async countUpTo(queueId: number, cutoffSeq: number): Promise<number> {
    let n = 0;
    for (const m of this.state.queues.get(queueId)?.all.values() ?? []) {
      if (m.seq > cutoffSeq) break;
      n++;
    }
    return n;
  }

  async maxSeq(): Promise<number> {
    return this.state.nextSeq - 1;
  }

  /** Writes what changed since the last checkpoint, with the journal position it covers; then drops the journal behind it. */
  checkpoint(): Promise<void> {
    this.checkpointing ??= this.writeCheckpoint().finally(() => (this.checkpointing = undefined));
    return this.checkpointing;
  }

  private async writeCheckpoint(): Promise<void> {
    const lsn = this.wal.lastLsn;
    if (this.state.pendingChanges === 0 && lsn === this.checkpointedLsn) return;
    const nextSeq = this.state.nextSeq;
    const changes = this.state.takeChanges();
    try {
      await writeCheckpoint(this.o.db, changes, lsn, nextSeq);
    } catch (err) {
      this.state.restore(changes);
      this.o.log.warn({ err }, 'sqs journal: checkpoint failed; retrying');
      return;
    }
    this.checkpointedLsn = lsn;
    await this.wal.release(lsn);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.tail.catch(() => undefined);
    await this.checkpoint();
    this.closed = true;
    await this.wal.close();
  }
}

/**
 * A new message with every field it will ever have, so applying the send sets fields instead of
 * adding them (each added field moved the object to a new hidden class).
 */
const heldMessage = (seq: number, queueId: number, m: NewMessage): HeldMessage => ({
  seq, queue_id: queueId, message_id: m.message_id, body: m.body, attributes: m.attributes, system_attributes: m.system_attributes,
  md5_body: m.md5_body, md5_attributes: m.md5_attributes, md5_system: m.md5_system, sent_at: m.sent_at, visible_at: m.visible_at,
  receive_count: 0, first_receive_at: null, receipt: null, group_id: m.group_id, dedup_id: m.dedup_id, sender_id: m.sender_id,
  dlq_source_arn: m.dlq_source_arn, ready: false, stored: false, dirty: false, removed: false,
});

const seenWithin = (e: { messageId: string; seq: number; expiresAt: number } | undefined, now: number): SendResult | undefined =>
  (e && e.expiresAt > now ? { seq: e.seq, messageId: e.messageId, duplicate: true } : undefined);
