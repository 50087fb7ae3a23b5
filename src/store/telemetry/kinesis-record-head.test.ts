import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SqlEngine } from './engine.ts';
import { KinesisRecordCodec, type KinesisRecordRow } from './kinesis-record-codec.ts';
import { KinesisRecordHead, shardKey } from './kinesis-record-head.ts';

const row = (shard: number, ms: number, sub: number, data = `d${ms}.${sub}`): KinesisRecordRow => ({
  account: '000000000000', region: 'us-east-1', stream: 's', shard, arrival: ms, sub, partitionKey: 'p', data: Buffer.from(data),
});

function fakeEngine(): SqlEngine & { inserted: Buffer[]; release(): void } {
  let release: () => void = () => undefined;
  const inserted: Buffer[] = [];
  return {
    inserted,
    release: () => release(),
    insert: async (_t, _c, payload) => {
      inserted.push(Buffer.from(payload));
      await new Promise<void>((r) => { release = r; });
    },
    query: async () => [], exec: async () => undefined, select: async () => ({ columns: [], rows: [], bytesRead: 0, rowsRead: 0 }), close: async () => undefined,
  };
}

test('the codec round-trips binary data, and the head keeps the WAL body for the insert', () => {
  const codec = new KinesisRecordCodec();
  const rows = [row(0, 1, 0, '\u0000\u00ff'), { ...row(1, 1, 1), data: Buffer.from([0, 255, 10, 10, 13]) }];
  const decoded = codec.decode(codec.encode(rows));
  assert.deepEqual(decoded, rows);
});

test('rows stay readable until the batch holding them is in the engine; then the flushed position moves', async () => {
  const engine = fakeEngine();
  const codec = new KinesisRecordCodec();
  const head = new KinesisRecordHead(engine, codec);
  const first = [row(0, 10, 0), row(1, 10, 1), row(0, 10, 2)];
  codec.encode(first);
  head.add(first);
  const key = shardKey('s', 0);
  assert.deepEqual(head.after(key, { ms: 0, sub: -1 }, 10).map((r) => r.sub), [0, 2]);
  assert.deepEqual(head.after(key, { ms: 10, sub: 0 }, 10).map((r) => r.sub), [2]);
  const batch = head.drain();
  const later = [row(0, 11, 0)];
  head.add(later);
  const inserting = batch.insert('t');
  // In flight: still served from memory, alongside the newer row.
  assert.deepEqual(head.after(key, { ms: 0, sub: -1 }, 10).map((r) => r.arrival), [10, 10, 11]);
  assert.equal(head.flushed(key), undefined);
  await new Promise((r) => setImmediate(r));
  engine.release();
  await inserting;
  assert.deepEqual(head.after(key, { ms: 0, sub: -1 }, 10).map((r) => r.arrival), [11]);
  assert.deepEqual(head.flushed(key), { ms: 10, sub: 2 });
  assert.deepEqual(head.flushed(shardKey('s', 1)), { ms: 10, sub: 1 });
  assert.deepEqual(head.newest(), { ms: 11, sub: 0 });
  assert.equal(engine.inserted.length, 1);
});
