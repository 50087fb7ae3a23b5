/**
 * The object encodings of Firehose's CompressionFormat and the file extension AWS's object name
 * format adds for each: GZIP (.gz), ZIP (.zip, one entry), Snappy (.snappy: the Snappy framing
 * format, stream identifier + CRC-32C-checked chunks) and HADOOP_SNAPPY (.hsnappy: Hadoop's
 * BlockCompressorStream layout, what Hadoop/Spark/Athena's SnappyCodec reads). Raw Snappy blocks
 * come from snappyjs; the framings are written here.
 */
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { zipSync } from 'fflate';
import * as snappy from 'snappyjs';

export type CompressionFormat = 'UNCOMPRESSED' | 'GZIP' | 'ZIP' | 'Snappy' | 'HADOOP_SNAPPY';

export const COMPRESSION_EXTENSION: Record<CompressionFormat, string> = {
  UNCOMPRESSED: '', GZIP: '.gz', ZIP: '.zip', Snappy: '.snappy', HADOOP_SNAPPY: '.hsnappy',
};

/** The S3 Content-Encoding AWS sets on compressed objects. */
export const CONTENT_ENCODING: Partial<Record<CompressionFormat, string>> = { GZIP: 'gzip', Snappy: 'snappy', HADOOP_SNAPPY: 'hadoop-snappy' };

const gzipAsync = promisify(gzip);

/**
 * `entryName` names the single file inside a ZIP object. GZIP runs on libuv's thread pool: an
 * 8 MiB buffer compressed inline held up every request for ~100 ms.
 */
export async function compress(format: CompressionFormat, data: Buffer, entryName: string): Promise<Buffer> {
  switch (format) {
    case 'GZIP': return gzipAsync(data);
    case 'ZIP': return Buffer.from(zipSync({ [entryName]: new Uint8Array(data.buffer, data.byteOffset, data.length) }));
    case 'Snappy': return snappyFramed(data);
    case 'HADOOP_SNAPPY': return hadoopSnappy(data);
    default: return data;
  }
}

/** The framing format's chunks hold at most 64 KiB of input each. */
const FRAME_INPUT = 65_536;
const STREAM_IDENTIFIER = Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]);

function snappyFramed(data: Buffer): Buffer {
  const out: Buffer[] = [STREAM_IDENTIFIER];
  for (let at = 0; at < data.length; at += FRAME_INPUT) {
    const chunk = data.subarray(at, at + FRAME_INPUT);
    const packed = snappy.compress(chunk);
    // Chunk type 0x00 (compressed) or 0x01 (stored) when compression does not pay.
    const stored = packed.length >= chunk.length;
    const body = stored ? chunk : packed;
    const header = Buffer.alloc(8);
    const len = body.length + 4;
    header[0] = stored ? 0x01 : 0x00;
    header[1] = len & 0xff;
    header[2] = (len >> 8) & 0xff;
    header[3] = (len >> 16) & 0xff;
    header.writeUInt32LE(maskedCrc32c(chunk), 4);
    out.push(header, body);
  }
  return Buffer.concat(out);
}

/** Hadoop's BlockCompressorStream: per block, BE uncompressed length, then BE compressed length + bytes. */
const HADOOP_BLOCK = 256 * 1024;

function hadoopSnappy(data: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; at += HADOOP_BLOCK) {
    const chunk = data.subarray(at, at + HADOOP_BLOCK);
    const packed = snappy.compress(chunk);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(chunk.length, 0);
    header.writeUInt32BE(packed.length, 4);
    out.push(header, packed);
  }
  return Buffer.concat(out);
}

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(data: Buffer): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC32C_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The framing format stores CRCs rotated and offset, so a CRC of CRC-bearing data stays useful. */
function maskedCrc32c(data: Buffer): number {
  const c = crc32c(data);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Reads the framing format back (tests, and anyone checking what Osprey wrote). */
export function unframeSnappy(data: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    const type = data[at]!;
    const len = data[at + 1]! | (data[at + 2]! << 8) | (data[at + 3]! << 16);
    const body = data.subarray(at + 4, at + 4 + len);
    if (type === 0x00) out.push(snappy.uncompress(body.subarray(4)));
    else if (type === 0x01) out.push(body.subarray(4));
    at += 4 + len;
  }
  return Buffer.concat(out);
}

/** Reads Hadoop's block layout back. */
export function unblockHadoopSnappy(data: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let at = 0; at < data.length;) {
    const raw = data.readUInt32BE(at);
    at += 4;
    let got = 0;
    while (got < raw) {
      const n = data.readUInt32BE(at);
      const block = snappy.uncompress(data.subarray(at + 4, at + 4 + n));
      out.push(block);
      got += block.length;
      at += 4 + n;
    }
  }
  return Buffer.concat(out);
}
