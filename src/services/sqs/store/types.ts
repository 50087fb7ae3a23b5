/**
 * Where SQS messages live, behind one interface the handlers use: SQL rows in the metadata store
 * (PostgreSQL, shared by several nodes: sql-messages.ts) or, with the embedded SQLite store that
 * one process owns, memory plus a write-ahead journal checkpointed into the same rows
 * (journal-store.ts). Both keep the same semantics; the unit tests run against both.
 */
import type { Sql } from '../../../store/meta/sql/types.ts';
import type { QueueRow } from '../repo.ts';

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

/** One message to send; FIFO messages carry their deduplication key (scope included) and its expiry. */
export interface QueuedSend {
  msg: NewMessage;
  dedupKey?: string;
  dedupUntil?: number;
}

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

export interface MessageCounts {
  visible: number;
  notVisible: number;
  delayed: number;
}

/** A receipt handle's parts: the message it names and the receive it came from. */
export interface Receipt {
  seq: number;
  token: string;
}

/** ChangeMessageVisibility's outcome: done, no such message under that receipt, or not in flight. */
export type VisibilityChange = 'changed' | 'unknown' | 'not-in-flight';

export interface Move {
  m: MessageRow;
  targetId: number;
}

export interface MessageStore {
  /** Stores messages (FIFO: a deduplication key seen within its window returns the earlier message). Throws QueueDoesNotExist when the queue is gone. */
  send(q: QueueRow, messages: QueuedSend[], now: number): Promise<SendResult[]>;
  /**
   * Picks up to `max` available messages, hides them until `visibleUntil` under the receive's token
   * and counts the receive; one received `maxReceiveCount` times moves to the dead-letter queue
   * instead. FIFO: a group with a message in flight or delayed is skipped, so its order holds.
   * A deleted queue receives nothing.
   */
  receive(queueId: number, o: ReceiveOptions): Promise<MessageRow[]>;
  /** The earliest time a hidden (in-flight or delayed) message becomes visible. */
  nextVisibleAt(queueId: number, now: number): Promise<number | undefined>;
  /** Deletes each message whose latest receipt is this one; a stale receipt deletes nothing (as AWS documents). */
  deleteMessages(queueId: number, receipts: Receipt[]): Promise<void>;
  /** Makes an in-flight message visible at `visibleAt`, if `r` is its latest receipt. */
  changeVisibility(queueId: number, r: Receipt, visibleAt: number, now: number): Promise<VisibilityChange>;
  counts(queueId: number, now: number, sentAfter: number): Promise<MessageCounts>;
  /** Retention: deletes the queue's messages sent before `cutoff` and its deduplication ids expired by `now`. */
  expire(queueId: number, cutoff: number, now: number): Promise<number>;
  /** PurgeQueue: deletes every message sent up to `at` and records the purge on the queue. */
  purge(queueId: number, at: number): Promise<void>;
  /** DeleteQueue: the queue row, its messages and its deduplication ids. */
  deleteQueue(q: QueueRow, now: number): Promise<void>;
  /** Move tasks: up to `limit` visible messages of `sourceId` with seq ≤ `cutoffSeq`, in seq order. */
  movable(sourceId: number, cutoffSeq: number, now: number, limit: number): Promise<MessageRow[]>;
  /**
   * Moves messages still there and still visible to their targets (new seqs, receives reset); returns
   * how many did. `then` records the caller's bookkeeping through `tx`: in the move's transaction on
   * SQL, right after the move is journaled otherwise.
   */
  moveMessages(moves: Move[], now: number, then?: (tx: Sql, moved: number) => Promise<void>): Promise<number>;
  countUpTo(queueId: number, cutoffSeq: number): Promise<number>;
  /** The highest seq handed out so far (0 when none). */
  maxSeq(): Promise<number>;
  /** Writes what is held in memory (journal) and stops; nothing is accepted afterwards. */
  close(): Promise<void>;
}
