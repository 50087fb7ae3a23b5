/**
 * One queue's messages in memory (the journal store's state). `all` keeps every message in seq
 * order (a Map iterates in insertion order and seqs only grow). Receives need the visible ones
 * fast, so each message is either in `ready` (visible, in the order it became so) or hidden with
 * an entry in a min-heap on `visible_at`; heap entries go stale when a message is deleted or its
 * visibility changes, and are skipped when they surface. Whether a message is visible is always
 * checked against the caller's `now`, so the index is only a shortcut, never the truth.
 *
 * FIFO queues walk `all` in seq order, skipping groups with a hidden message (`hiddenInGroup`), as
 * the SQL store does; standard queues take from `ready`.
 */
import { Heap } from '@datastructures-js/heap';
import type { MessageCounts, MessageRow } from './types.ts';

/** A message in memory: its row plus where it sits in the index. */
export interface HeldMessage extends MessageRow {
  /** In `ready` (true) or hidden behind a heap entry (false). */
  ready: boolean;
  /** A row for it may exist in the checkpoint table (so removing it must delete the row). */
  stored: boolean;
  /** Listed for the next checkpoint. */
  dirty: boolean;
  /** Gone from its queue (deleted, expired, moved): a checkpoint skips it. */
  removed: boolean;
}

/** The row of a held message, without its place in the index (a copy). */
export function rowOf(m: HeldMessage): MessageRow {
  const { ready: _r, stored: _s, dirty: _d, removed: _x, ...row } = m;
  return row;
}

interface HeapEntry {
  at: number;
  seq: number;
}

const byTime = (a: HeapEntry, b: HeapEntry): number => a.at - b.at || a.seq - b.seq;

export class QueueMessages {
  readonly all = new Map<number, HeldMessage>();
  private readonly ready = new Map<number, HeldMessage>();
  private hidden = new Heap<HeapEntry>(byTime);
  /** Messages hidden now (the heap also holds stale entries: deleted, or re-timed, messages). */
  private hiddenCount = 0;
  private readonly hiddenInGroup = new Map<string, number>();

  constructor(readonly fifo: boolean) {}

  get size(): number {
    return this.all.size;
  }

  add(m: HeldMessage): void {
    this.all.set(m.seq, m);
    m.ready = false;
    this.place(m, m.visible_at > m.sent_at);
  }

  /** Takes a message out of the queue (deleted, expired, moved); the caller records what that means. */
  remove(seq: number): HeldMessage | undefined {
    const m = this.all.get(seq);
    if (!m) return undefined;
    this.all.delete(seq);
    if (m.ready) this.ready.delete(seq);
    else this.unhide(m);
    return m;
  }

  /** Sets when the message is next visible; `hide` says whether that is in the future for the caller. */
  setVisibleAt(m: HeldMessage, at: number, hide: boolean): void {
    m.visible_at = at;
    if (m.ready) {
      this.ready.delete(m.seq);
      m.ready = false;
    } else {
      this.unhide(m);
    }
    this.place(m, hide);
  }

  private place(m: HeldMessage, hide: boolean): void {
    if (hide) {
      this.hidden.push({ at: m.visible_at, seq: m.seq });
      this.hiddenCount++;
      this.groupHidden(m, 1);
      this.compact();
    } else {
      this.ready.set(m.seq, m);
      m.ready = true;
    }
  }

  private unhide(m: HeldMessage): void {
    this.hiddenCount--;
    this.groupHidden(m, -1);
  }

  /**
   * Deleted messages leave their entries until their time comes (a visibility timeout can be 12 h):
   * once stale entries outnumber live ones, the heap is rebuilt from the hidden messages.
   */
  private compact(): void {
    if (this.hidden.size() < 2 * this.hiddenCount + 1024) return;
    // From the heap's own entries, not the whole queue: a backlog can be far larger than the heap.
    const live = this.hidden.toArray().filter((e) => {
      const m = this.all.get(e.seq);
      return m !== undefined && !m.ready && m.visible_at === e.at;
    });
    this.hidden = Heap.heapify(live, byTime);
  }

  private groupHidden(m: HeldMessage, delta: number): void {
    if (m.group_id === null) return;
    const n = (this.hiddenInGroup.get(m.group_id) ?? 0) + delta;
    if (n > 0) this.hiddenInGroup.set(m.group_id, n);
    else this.hiddenInGroup.delete(m.group_id);
  }

  /** Moves every hidden message whose time has come into `ready`. */
  private promote(now: number): void {
    for (let e = this.hidden.top(); e !== null && e.at <= now; e = this.hidden.top()) {
      this.hidden.pop();
      const m = this.all.get(e.seq);
      if (!m || m.ready || m.visible_at !== e.at) continue;
      this.unhide(m);
      this.ready.set(m.seq, m);
      m.ready = true;
    }
  }

  /** The earliest future `visible_at` of a hidden message. */
  nextVisibleAt(now: number): number | undefined {
    this.promote(now);
    for (let e = this.hidden.top(); e !== null; e = this.hidden.top()) {
      const m = this.all.get(e.seq);
      if (m && !m.ready && m.visible_at === e.at) return e.at;
      this.hidden.pop();
    }
    return undefined;
  }

  /** Up to `max` receivable messages (visible, within retention; FIFO: of unblocked groups), in the receive's order. */
  candidates(now: number, sentAfter: number, max: number): HeldMessage[] {
    this.promote(now);
    const out: HeldMessage[] = [];
    if (this.fifo) {
      for (const m of this.all.values()) {
        if (out.length >= max) break;
        if (m.visible_at > now || m.sent_at < sentAfter || m.group_id === null || this.hiddenInGroup.has(m.group_id)) continue;
        out.push(m);
      }
      return out;
    }
    for (const m of this.ready.values()) {
      if (out.length >= max) break;
      if (m.visible_at <= now && m.sent_at >= sentAfter) out.push(m);
    }
    return out;
  }

  counts(now: number, sentAfter: number): MessageCounts {
    const c = { visible: 0, notVisible: 0, delayed: 0 };
    for (const m of this.all.values()) {
      if (m.sent_at < sentAfter) continue;
      if (m.visible_at <= now) c.visible++;
      else if (m.receive_count > 0) c.notVisible++;
      else c.delayed++;
    }
    return c;
  }
}
