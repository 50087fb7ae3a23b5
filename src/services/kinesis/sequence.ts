/**
 * Kinesis sequence numbers. AWS's are 56-digit decimals, unique per shard and increasing over time;
 * here one process-wide clock issues positions (ms, sub) — the arrival millisecond and a counter
 * within it — so every shard's numbers increase strictly in the order records were accepted, and
 * the time part doubles as ApproximateArrivalTimestamp (AT_TIMESTAMP and retention read it).
 *
 * Wire form: "49" + ms (24 digits) + sub (10 digits) + stream tag (8 digits) + shard index (12
 * digits) = 56 digits. Fixed width, so string order is numeric order; the stream tag (from the
 * StreamId) and shard index let GetShardIterator refuse a number taken from another shard or
 * stream, as AWS does.
 */
import { createHash } from 'node:crypto';
import type { SeqPosition } from '../../store/telemetry/index.ts';

const PREFIX = '49';
const MS_DIGITS = 24;
const SUB_DIGITS = 10;
const TAG_DIGITS = 8;
const SHARD_DIGITS = 12;
export const SEQUENCE_DIGITS = PREFIX.length + MS_DIGITS + SUB_DIGITS + TAG_DIGITS + SHARD_DIGITS;
const MAX_SUB = 10 ** SUB_DIGITS - 1;

/** A stream's 8-digit tag in its sequence numbers (from its StreamId). */
export function streamTagOf(streamId: string): string {
  return String(parseInt(createHash('md5').update(streamId).digest('hex').slice(0, 8), 16) % 10 ** TAG_DIGITS).padStart(TAG_DIGITS, '0');
}

export function formatSequence(p: SeqPosition, shard: number, streamTag: string): string {
  return PREFIX + String(p.ms).padStart(MS_DIGITS, '0') + String(p.sub).padStart(SUB_DIGITS, '0') + streamTag + String(shard).padStart(SHARD_DIGITS, '0');
}

/** A sequence number this service issued, or undefined. */
export function parseSequence(s: string): (SeqPosition & { streamTag: string; shard: number }) | undefined {
  if (s.length !== SEQUENCE_DIGITS || !s.startsWith(PREFIX) || !/^\d+$/.test(s)) return undefined;
  let at = PREFIX.length;
  const field = (n: number): string => s.slice(at, (at += n));
  const ms = Number(field(MS_DIGITS));
  const sub = Number(field(SUB_DIGITS));
  const streamTag = field(TAG_DIGITS);
  const shard = Number(field(SHARD_DIGITS));
  if (!Number.isSafeInteger(ms)) return undefined;
  return { ms, sub, streamTag, shard };
}

/**
 * Issues strictly increasing positions. Seeded with the newest position stored before a restart, so
 * numbers keep increasing across restarts even if the wall clock stepped back (then the time part
 * runs ahead of the clock until it catches up).
 */
export class SequenceClock {
  private ms: number;
  private sub: number;

  constructor(floor?: SeqPosition) {
    this.ms = floor?.ms ?? 0;
    this.sub = floor?.sub ?? 0;
  }

  next(now: number): SeqPosition {
    if (now > this.ms) {
      this.ms = now;
      this.sub = 0;
    } else if (this.sub >= MAX_SUB) {
      this.ms++;
      this.sub = 0;
    } else {
      this.sub++;
    }
    return { ms: this.ms, sub: this.sub };
  }

  /** The last position issued (LATEST iterators start after it). */
  last(): SeqPosition {
    return { ms: this.ms, sub: this.sub };
  }
}
