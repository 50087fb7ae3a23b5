/**
 * Log events in the write-ahead log (issue 17): one record per PutLogEvents request, whose body is
 * exactly the RowBinary the head later inserts into `log_events`.
 *
 * Record: a version byte (1), then each row's LOG_EVENT_COLUMNS in RowBinary (row-binary.ts):
 * account, region, log_group, log_stream (String), ts, ingest_ts (Int64), seq (UInt64), message,
 * key_id (String, '' = plain text). ~275 bytes per 200-byte message.
 *
 * Why the WAL holds insert-ready bytes: a row is then encoded once, on its request, and the head
 * only keeps the record's bytes (see encodedBody) — no second encode and no row objects held until
 * the flush. Deduplicating the four key columns per request would make records ~15 % smaller but
 * cost a second encode per row; the WAL write is not the bottleneck (page-cache writes, one
 * writev per group).
 *
 * Strings are stored as UTF-8; an unpaired UTF-16 surrogate becomes U+FFFD (LogEventRow.message).
 */
import type { WalCodec } from '../ingest/types.ts';
import { RowBinaryWriter } from './row-binary.ts';
import type { LogEventRow } from './log-events.ts';

/** The columns of a record's rows, in order: the INSERT's column list. message_bytes is MATERIALIZED. */
export const LOG_EVENT_COLUMNS = ['account', 'region', 'log_group', 'log_stream', 'ts', 'ingest_ts', 'seq', 'message', 'key_id'] as const;

const VERSION = 1;
const UINT64_MAX = (1n << 64n) - 1n;
const TWO_32 = 0x100000000;

export class LogWalCodec implements WalCodec<LogEventRow> {
  /** Reused for every record; each record gets an exact-size copy (take()). */
  private readonly writer = new RowBinaryWriter(256 * 1024);
  /**
   * The record bodies of rows this codec encoded or decoded, by row array: the pipeline passes the
   * same array to encode() and then to the head's add() (and decode()'s result to add() on replay),
   * so the head reuses the bytes instead of encoding the rows again. Weak: an array the head never
   * sees (a failed WAL write) does not pin its bytes.
   */
  private readonly bodies = new WeakMap<readonly LogEventRow[], Buffer>();

  encode(rows: readonly LogEventRow[]): Buffer {
    const record = this.encodeRecord(rows);
    this.bodies.set(rows, record.subarray(1));
    return record;
  }

  decode(payload: Buffer): LogEventRow[] {
    if (payload.length === 0 || payload[0] !== VERSION) {
      throw new Error(`log WAL record: unknown version ${payload[0] ?? '(empty record)'}`);
    }
    const rows = decodeRows(payload, 1);
    this.bodies.set(rows, payload.subarray(1));
    return rows;
  }

  /**
   * These rows as RowBinary (a record without its version byte): the bytes encode()/decode() saw
   * for this very array, else a fresh encoding (rows the pipeline put in one record with others).
   * Each array's bytes are handed out once.
   */
  encodedBody(rows: readonly LogEventRow[]): Buffer {
    const body = this.bodies.get(rows);
    if (body !== undefined) {
      this.bodies.delete(rows);
      return body;
    }
    return this.encodeRecord(rows).subarray(1);
  }

  private encodeRecord(rows: readonly LogEventRow[]): Buffer {
    // Everything is validated before a byte is written: a bad row fails its request only.
    for (let i = 0; i < rows.length; i++) checkRow(rows[i]!, i);
    const w = this.writer;
    w.reset();
    w.uint8(VERSION);
    for (const r of rows) {
      w.string(r.account);
      w.string(r.region);
      w.string(r.logGroup);
      w.string(r.logStream);
      w.int64(r.ts);
      w.int64(r.ingestTs);
      w.uint64Big(r.seq);
      w.string(r.message);
      w.string(r.keyId ?? '');
    }
    // An exact-size copy. allocUnsafe + copy, not take()'s Buffer.from: that zero-fills a fresh
    // ~275 kB allocation per request first, 3.6 % of the server's CPU in an ingest-logs profile.
    const bytes = w.bytes();
    const record = Buffer.allocUnsafe(bytes.length);
    bytes.copy(record);
    return record;
  }
}

function checkRow(r: LogEventRow, i: number): void {
  if (typeof r.message !== 'string' || typeof r.account !== 'string' || typeof r.region !== 'string' ||
      typeof r.logGroup !== 'string' || typeof r.logStream !== 'string' || (r.keyId !== undefined && typeof r.keyId !== 'string')) {
    throw new TypeError(`log event ${i}: account, region, logGroup, logStream, message and keyId must be strings`);
  }
  if (!Number.isSafeInteger(r.ts)) throw new RangeError(`log event ${i}: ts must be an integer number of ms, got ${r.ts}`);
  if (!Number.isSafeInteger(r.ingestTs)) throw new RangeError(`log event ${i}: ingestTs must be an integer number of ms, got ${r.ingestTs}`);
  if (typeof r.seq !== 'bigint' || r.seq < 0n || r.seq > UINT64_MAX) throw new RangeError(`log event ${i}: seq must be a UInt64 bigint, got ${String(r.seq)}`);
}

/** Reads RowBinary rows from `at` to the end of `buf`; throws on a truncated or malformed body. */
function decodeRows(buf: Buffer, at: number): LogEventRow[] {
  const rows: LogEventRow[] = [];
  let pos = at;
  const need = (n: number) => {
    if (pos + n > buf.length) throw new Error(`log WAL record: truncated at byte ${pos}`);
  };
  const str = (): string => {
    let len = 0;
    let mul = 1;
    for (;;) {
      need(1);
      const b = buf[pos++]!;
      len += (b & 0x7f) * mul;
      if (b < 0x80) break;
      mul *= 0x80;
    }
    need(len);
    const s = buf.toString('utf8', pos, pos + len);
    pos += len;
    return s;
  };
  const int64 = (): number => {
    need(8);
    const v = buf.readInt32LE(pos + 4) * TWO_32 + buf.readUInt32LE(pos);
    pos += 8;
    return v;
  };
  while (pos < buf.length) {
    const account = str(), region = str(), logGroup = str(), logStream = str();
    const ts = int64(), ingestTs = int64();
    need(8);
    const seq = buf.readBigUInt64LE(pos);
    pos += 8;
    const message = str(), keyId = str();
    rows.push({ account, region, logGroup, logStream, ts, ingestTs, seq, message, ...(keyId ? { keyId } : {}) });
  }
  return rows;
}
