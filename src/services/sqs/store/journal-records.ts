/**
 * What the SQS journal records: one record per state change, carrying everything needed to apply
 * it again on replay (seqs, times and tokens are decided before the record is written, never while
 * applying it). A record is a version byte and JSON: message bodies are text already, and a send
 * of ten 200-byte messages encodes in a few microseconds.
 */
import type { MessageRow } from './types.ts';

/** A message moved to another queue: [old seq, new seq, target queue, DeadLetterQueueSourceArn]. */
export type MoveRecord = [seq: number, newSeq: number, targetId: number, dlqSourceArn: string | null];

/** A FIFO deduplication id remembered: [scope key, message id, seq, expires at]. */
export type DedupRecord = [key: string, messageId: string, seq: number, expiresAt: number];

export type JournalRecord =
  /** Messages stored (with their seqs) and the deduplication ids they claimed. */
  | { t: 'send'; q: number; fifo: boolean; m: MessageRow[]; d?: DedupRecord[] }
  /** Messages received (hidden until `until` under `token`), and those moved to the dead-letter queue instead. */
  | { t: 'receive'; q: number; now: number; until: number; token: string; s: number[]; mv?: MoveRecord[] }
  | { t: 'delete'; q: number; s: number[] }
  | { t: 'visibility'; q: number; s: number; at: number; now: number }
  /** Retention: messages sent before `cutoff`, deduplication ids expired by `now`. */
  | { t: 'expire'; q: number; cutoff: number; now: number }
  /** PurgeQueue: messages sent up to `at`. */
  | { t: 'purge'; q: number; at: number }
  | { t: 'drop'; q: number }
  /** A move task's batch (visible messages only; receives reset). */
  | { t: 'move'; q: number; now: number; mv: MoveRecord[] };

const VERSION = 1;

/**
 * Send records list each row's values in this order (no repeated keys: a third less to encode);
 * a sent message has no receive yet and its queue is the record's.
 */
const ROW_FIELDS = [
  'seq', 'message_id', 'body', 'attributes', 'system_attributes', 'md5_body', 'md5_attributes', 'md5_system', 'sent_at',
  'visible_at', 'group_id', 'dedup_id', 'sender_id', 'dlq_source_arn',
] as const satisfies readonly (keyof MessageRow)[];

/** ROW_FIELDS' values, named one by one (a loop over the names made every read a megamorphic lookup). */
const rowValues = (m: MessageRow): unknown[] => [
  m.seq, m.message_id, m.body, m.attributes, m.system_attributes, m.md5_body, m.md5_attributes, m.md5_system, m.sent_at,
  m.visible_at, m.group_id, m.dedup_id, m.sender_id, m.dlq_source_arn,
];

/** A record as written: send rows as value arrays. */
type Wire = { t: JournalRecord['t']; m?: unknown[][] } & Record<string, unknown>;

export function encodeRecord(r: JournalRecord): Buffer {
  const wire: Wire = r.t === 'send' ? { ...r, m: r.m.map(rowValues) } : (r as unknown as Wire);
  const json = JSON.stringify(wire);
  const buf = Buffer.allocUnsafe(1 + Buffer.byteLength(json));
  buf[0] = VERSION;
  buf.write(json, 1, 'utf8');
  return buf;
}

export function decodeRecord(payload: Buffer): JournalRecord {
  if (payload[0] !== VERSION) throw new Error(`SQS journal record of unknown version ${payload[0]}`);
  const wire = JSON.parse(payload.toString('utf8', 1)) as Wire;
  if (wire.t !== 'send') return wire as JournalRecord;
  const q = wire.q as number;
  const m = wire.m!.map((values) => {
    const row = Object.fromEntries(ROW_FIELDS.map((f, i) => [f, values[i]])) as unknown as MessageRow;
    return { ...row, queue_id: q, receive_count: 0, first_receive_at: null, receipt: null };
  });
  return { ...(wire as unknown as Extract<JournalRecord, { t: 'send' }>), m };
}
