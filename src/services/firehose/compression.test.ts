import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { compress, crc32c, unblockHadoopSnappy, unframeSnappy } from './compression.ts';

const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => `{"n":${i},"msg":"hello world"}\n`).join(''));

test('CRC-32C matches the published check value', () => {
  assert.equal(crc32c(Buffer.from('123456789')), 0xe3069283);
});

test('GZIP and ZIP objects decompress to the records', async () => {
  assert.deepEqual(gunzipSync(await compress('GZIP', data, 'x')), data);
  const files = unzipSync(await compress('ZIP', data, 'entry'));
  assert.deepEqual(Object.keys(files), ['entry']);
  assert.deepEqual(Buffer.from(files.entry!), data);
});

test('Snappy framing: stream identifier, chunks of at most 64 KiB, round trip', async () => {
  const framed = await compress('Snappy', data, 'x');
  assert.equal(framed.subarray(0, 10).toString('latin1'), '\xff\x06\x00\x00sNaPpY');
  assert.ok(framed.length < data.length / 2);
  assert.deepEqual(unframeSnappy(framed), data);
});

test('HADOOP_SNAPPY blocks round trip and start with the big-endian raw length', async () => {
  const blocks = await compress('HADOOP_SNAPPY', data, 'x');
  assert.equal(blocks.readUInt32BE(0), Math.min(data.length, 256 * 1024));
  assert.deepEqual(unblockHadoopSnappy(blocks), data);
});
