/**
 * The journal store's state: every queue's messages and FIFO deduplication ids in memory, changed
 * only by applying journal records (live, and again on replay: the same code both times), plus
 * what changed since the last checkpoint, so a checkpoint writes only that.
 */
import type { DedupRecord, JournalRecord, MoveRecord } from './journal-records.ts';
import { QueueMessages, rowOf, type HeldMessage } from './queue-messages.ts';
import type { MessageRow } from './types.ts';

export interface DedupEntry {
  messageId: string;
  seq: number;
  expiresAt: number;
  stored: boolean;
}

/** What a checkpoint writes: rows to upsert and rows to delete, as of one moment. */
export interface Changes {
  messages: MessageRow[];
  deletedSeqs: number[];
  dedup: { queueId: number; key: string; entry: DedupEntry }[];
  deletedDedup: { queueId: number; key: string }[];
}

const dedupId = (queueId: number, key: string): string => `${queueId} ${key}`;

export class JournalState {
  readonly queues = new Map<number, QueueMessages>();
  readonly dedup = new Map<number, Map<string, DedupEntry>>();
  /** Queues deleted while running: nothing more is stored for them. */
  readonly dropped = new Set<number>();
  /** The next seq to hand out (above every seq ever handed out, restarts included). */
  nextSeq = 1;
  /** Messages to write at the next checkpoint (an array: a Map's churn showed in profiles), and rows to delete. */
  private dirty: HeldMessage[] = [];
  private deletedSeqs: number[] = [];
  private dirtyDedup = new Map<string, { queueId: number; key: string; entry: DedupEntry | null }>();

  /** A queue's messages, created empty (with its type from the queue row or the record) when first met. */
  queue(queueId: number, fifo: boolean): QueueMessages {
    let q = this.queues.get(queueId);
    if (!q) {
      q = new QueueMessages(fifo);
      this.queues.set(queueId, q);
    }
    return q;
  }

  get pendingChanges(): number {
    return this.dirty.length + this.deletedSeqs.length + this.dirtyDedup.size;
  }

  private markDirty(m: HeldMessage): void {
    if (m.dirty) return;
    m.dirty = true;
    this.dirty.push(m);
  }

  /** A message as the checkpoint table or a record has it; the row object becomes the held message. */
  load(row: MessageRow, stored: boolean, fifo: boolean): void {
    const m = row as HeldMessage;
    m.ready = false;
    m.stored = stored;
    m.dirty = false;
    m.removed = false;
    this.queue(row.queue_id, fifo).add(m);
    if (!stored) this.markDirty(m);
    if (m.seq >= this.nextSeq) this.nextSeq = m.seq + 1;
  }

  private dedupOf(queueId: number): Map<string, DedupEntry> {
    let byKey = this.dedup.get(queueId);
    if (!byKey) this.dedup.set(queueId, (byKey = new Map()));
    return byKey;
  }

  loadDedup(queueId: number, key: string, entry: DedupEntry): void {
    this.dedupOf(queueId).set(key, entry);
    if (!entry.stored) this.dirtyDedup.set(dedupId(queueId, key), { queueId, key, entry });
  }

  /** Applies a record (after it was encoded: sent rows become the held messages). */
  apply(r: JournalRecord): void {
    switch (r.t) {
      case 'send':
        for (const m of r.m) this.load(m, false, r.fifo);
        for (const d of r.d ?? []) this.remember(r.q, d);
        return;
      case 'receive': {
        const q = this.queues.get(r.q);
        for (const seq of r.s) {
          const m = q?.all.get(seq);
          if (!m) continue;
          m.receive_count++;
          m.first_receive_at ??= r.now;
          m.receipt = r.token;
          q!.setVisibleAt(m, r.until, r.until > r.now);
          this.markDirty(m);
        }
        if (r.mv) this.move(r.q, r.now, r.mv);
        return;
      }
      case 'delete':
        for (const seq of r.s) this.removeMessage(r.q, seq);
        return;
      case 'visibility': {
        const q = this.queues.get(r.q);
        const m = q?.all.get(r.s);
        if (!m) return;
        q!.setVisibleAt(m, r.at, r.at > r.now);
        this.markDirty(m);
        return;
      }
      case 'move':
        this.move(r.q, r.now, r.mv);
        return;
      default:
        this.applyQueueWide(r);
    }
  }

  private applyQueueWide(r: Extract<JournalRecord, { t: 'expire' | 'purge' | 'drop' }>): void {
    const q = this.queues.get(r.q);
    const gone = (m: HeldMessage) => (r.t === 'expire' ? m.sent_at < r.cutoff : r.t === 'purge' ? m.sent_at <= r.at : true);
    if (q) for (const m of [...q.all.values()]) if (gone(m)) this.removeMessage(r.q, m.seq);
    const byKey = this.dedup.get(r.q);
    if (byKey && r.t !== 'purge') {
      for (const [key, e] of [...byKey]) if (r.t === 'drop' || e.expiresAt <= r.now) this.forgetDedup(r.q, key, e);
    }
    if (r.t === 'drop') {
      this.queues.delete(r.q);
      this.dedup.delete(r.q);
      this.dropped.add(r.q);
    }
  }

  /** A dead-letter queue (or a move task's destination) has its source's type, as SQS requires. */
  private move(fromId: number, now: number, moves: MoveRecord[]): void {
    const fifo = this.queues.get(fromId)?.fifo ?? false;
    for (const [seq, newSeq, targetId, arn] of moves) {
      const m = this.removeMessage(fromId, seq);
      if (!m || this.dropped.has(targetId)) continue;
      this.load({ ...rowOf(m), seq: newSeq, queue_id: targetId, visible_at: now, receive_count: 0, first_receive_at: null, receipt: null, dlq_source_arn: arn }, false, fifo);
    }
  }

  private removeMessage(queueId: number, seq: number): HeldMessage | undefined {
    const m = this.queues.get(queueId)?.remove(seq);
    if (!m) return undefined;
    m.removed = true;
    if (m.stored) this.deletedSeqs.push(seq);
    return m;
  }

  private remember(queueId: number, [key, messageId, seq, expiresAt]: DedupRecord): void {
    const byKey = this.dedupOf(queueId);
    const entry = { messageId, seq, expiresAt, stored: byKey.get(key)?.stored ?? false };
    byKey.set(key, entry);
    this.dirtyDedup.set(dedupId(queueId, key), { queueId, key, entry });
  }

  private forgetDedup(queueId: number, key: string, e: DedupEntry): void {
    this.dedup.get(queueId)?.delete(key);
    if (e.stored) this.dirtyDedup.set(dedupId(queueId, key), { queueId, key, entry: null });
    else this.dirtyDedup.delete(dedupId(queueId, key));
  }

  /**
   * Everything changed since the last call, copied now (later changes go to the next checkpoint).
   * What it returns counts as stored from here on, so a removal after this deletes its row even if
   * this checkpoint is still being written; `restore` puts it back when writing fails.
   */
  takeChanges(): Changes {
    const out: Changes = { messages: [], deletedSeqs: this.deletedSeqs, dedup: [], deletedDedup: [] };
    for (const m of this.dirty) {
      m.dirty = false;
      if (m.removed) continue;
      m.stored = true;
      out.messages.push(rowOf(m));
    }
    for (const { queueId, key, entry } of this.dirtyDedup.values()) {
      if (entry === null) out.deletedDedup.push({ queueId, key });
      else {
        entry.stored = true;
        out.dedup.push({ queueId, key, entry: { ...entry } });
      }
    }
    this.dirty = [];
    this.deletedSeqs = [];
    this.dirtyDedup = new Map();
    return out;
  }

  /** A checkpoint that failed: its changes are pending again (unless changed again since). */
  restore(c: Changes): void {
    for (const row of c.messages) {
      const m = this.queues.get(row.queue_id)?.all.get(row.seq);
      if (m) this.markDirty(m);
    }
    this.deletedSeqs.push(...c.deletedSeqs);
    for (const { queueId, key } of [...c.dedup, ...c.deletedDedup]) {
      const id = dedupId(queueId, key);
      if (!this.dirtyDedup.has(id)) this.dirtyDedup.set(id, { queueId, key, entry: this.dedup.get(queueId)?.get(key) ?? null });
    }
  }
}
