/**
 * The WAL's on-disk format (pure functions; wal.ts does the I/O).
 *
 * A segment file `<n>.wal` = a 16-byte header, then frames:
 *
 *   segment header: "OSPWAL01" (8 bytes) | next LSN when the segment was created (u64 LE)
 *   frame:          crc32 (u32 LE) | payload length (u32 LE) | LSN (u64 LE) | payload
 *
 * The CRC-32 covers the length, the LSN and the payload, so a torn or zero-filled tail, a bit flip
 * and a frame from a stale position all fail it. LSNs strictly increase within and across segments;
 * they need not be contiguous (a failed write's LSNs are never reused). The segment header keeps
 * the LSN sequence going after every record has been released (the directory then holds only an
 * empty segment).
 *
 * CRC-32 is zlib's (node:zlib crc32, Node ≥ 20.15): measured here 3 GB/s on 1 KB buffers and
 * 5 GB/s on 1 MB, ~90 ns per call on tiny ones — no dependency needed.
 */
import { crc32 } from 'node:zlib';

export const SEGMENT_MAGIC = Buffer.from('OSPWAL01', 'latin1');
export const SEGMENT_HEADER_BYTES = 16;
export const FRAME_HEADER_BYTES = 16;
/** A payload larger than this is refused on append and read as corruption. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024 * 1024;

const TWO_32 = 2 ** 32;

/** LSNs are JS numbers: exact up to 2^53, i.e. ~285 years at a million records a second. */
function writeU64(buf: Buffer, value: number, at: number): void {
  buf.writeUInt32LE(value % TWO_32, at);
  buf.writeUInt32LE(Math.floor(value / TWO_32), at + 4);
}

function readU64(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * TWO_32;
}

export function segmentHeader(nextLsn: number): Buffer {
  const b = Buffer.allocUnsafe(SEGMENT_HEADER_BYTES);
  SEGMENT_MAGIC.copy(b, 0);
  writeU64(b, nextLsn, 8);
  return b;
}

/** The frame header for `payload` at `lsn` (the payload itself is written from its own buffer). */
export function frameHeader(lsn: number, payload: Buffer): Buffer {
  // allocUnsafe of 16 bytes is a slice of Node's shared pool: no allocation per record.
  const h = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  h.writeUInt32LE(payload.length, 4);
  writeU64(h, lsn, 8);
  h.writeUInt32LE(crc32(payload, crc32(h.subarray(4, FRAME_HEADER_BYTES))), 0);
  return h;
}

export interface WalRecord {
  lsn: number;
  /** A view into the segment's bytes: copy it if kept beyond replay. */
  payload: Buffer;
}

export interface SegmentScan {
  /** The segment header's starting LSN, or undefined when the header is missing or bad. */
  startLsn: number | undefined;
  records: WalRecord[];
  /** Bytes of valid header + frames: where the next frame would go. */
  goodBytes: number;
  lastLsn: number | undefined;
  /** Why the scan stopped before the end of the data, if it did. */
  problem?: string;
}

/**
 * Reads a segment's frames, verifying each; stops at the first frame that is short, fails its CRC
 * or does not advance the LSN. Records with LSN ≤ `skipThrough` are verified but not returned.
 */
export function scanSegment(data: Buffer, afterLsn: number, skipThrough: number): SegmentScan {
  if (data.length < SEGMENT_HEADER_BYTES || !data.subarray(0, 8).equals(SEGMENT_MAGIC)) {
    const problem = data.length === 0 ? undefined : `bad or short segment header (${data.length} bytes)`;
    return { startLsn: undefined, records: [], goodBytes: 0, lastLsn: undefined, problem };
  }
  const startLsn = readU64(data, 8);
  const records: WalRecord[] = [];
  let at = SEGMENT_HEADER_BYTES;
  let prev = afterLsn;
  let lastLsn: number | undefined;
  let problem: string | undefined;
  while (at < data.length) {
    if (data.length - at < FRAME_HEADER_BYTES) {
      problem = `short frame header at offset ${at}`;
      break;
    }
    const len = data.readUInt32LE(at + 4);
    if (len > MAX_PAYLOAD_BYTES || data.length - at - FRAME_HEADER_BYTES < len) {
      problem = `short frame at offset ${at} (payload length ${len})`;
      break;
    }
    const end = at + FRAME_HEADER_BYTES + len;
    const payload = data.subarray(at + FRAME_HEADER_BYTES, end);
    if (crc32(payload, crc32(data.subarray(at + 4, at + FRAME_HEADER_BYTES))) !== data.readUInt32LE(at)) {
      problem = `checksum mismatch at offset ${at}`;
      break;
    }
    const lsn = readU64(data, at + 8);
    if (lsn <= prev) {
      problem = `LSN ${lsn} does not follow ${prev} at offset ${at}`;
      break;
    }
    if (lsn > skipThrough) records.push({ lsn, payload });
    prev = lastLsn = lsn;
    at = end;
  }
  return { startLsn, records, goodBytes: at, lastLsn, problem };
}
