import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisClient, CreateStreamCommand, PutRecordsCommand, ListShardsCommand, GetShardIteratorCommand, GetRecordsCommand } from '@aws-sdk/client-kinesis';
import { startTestServer, sdkConfig } from './helpers/server.ts';

test('SIGKILL during concurrent PutRecords ×3: every acknowledged record is readable after restart, in order, numbers still increasing', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-kinesis-crash-'));
  // Per writer: the acknowledged payloads and their sequence numbers, in acknowledgement order.
  const acked = new Map<string, { data: string; seq: string }[]>();
  try {
    for (let round = 0; round < 3; round++) {
      const server = await startTestServer({ dataDir, modules: ['kinesis'] });
      const k = new KinesisClient(sdkConfig(server.url));
      if (round === 0) await k.send(new CreateStreamCommand({ StreamName: 'crash', ShardCount: 2 }));
      let stop = false;
      const writer = async (w: number) => {
        const key = `writer-${w}`;
        const list = acked.get(key) ?? [];
        acked.set(key, list);
        for (let n = 0; !stop; n++) {
          const Records = Array.from({ length: 50 }, (_, i) => ({ PartitionKey: key, Data: Buffer.from(`r${round}-${key}-${n}-${i}`) }));
          try {
            const r = await k.send(new PutRecordsCommand({ StreamName: 'crash', Records }));
            r.Records!.forEach((x, i) => list.push({ data: `r${round}-${key}-${n}-${i}`, seq: x.SequenceNumber! }));
          } catch {
            return;
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      await new Promise((r) => setTimeout(r, 700 + round * 300));
      await server.kill();
      stop = true;
      await Promise.all(writers);
      k.destroy();
    }
    const server = await startTestServer({ dataDir, modules: ['kinesis'] });
    const k = new KinesisClient(sdkConfig(server.url));
    try {
      const stored = new Map<string, { data: string; seq: string; key: string }[]>();
      for (const s of (await k.send(new ListShardsCommand({ StreamName: 'crash' }))).Shards!) {
        let it = (await k.send(new GetShardIteratorCommand({ StreamName: 'crash', ShardId: s.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
        for (;;) {
          const r = await k.send(new GetRecordsCommand({ ShardIterator: it }));
          for (const x of r.Records!) {
            const list = stored.get(x.PartitionKey!) ?? [];
            stored.set(x.PartitionKey!, list);
            list.push({ data: Buffer.from(x.Data!).toString(), seq: x.SequenceNumber!, key: x.PartitionKey! });
          }
          if (r.Records!.length === 0) break;
          it = r.NextShardIterator;
        }
      }
      let total = 0;
      for (const [key, list] of acked) {
        const got = stored.get(key) ?? [];
        const bySeq = new Map(got.map((g) => [g.seq, g.data]));
        for (const a of list) assert.equal(bySeq.get(a.seq), a.data, `acknowledged ${a.data} (${a.seq}) not readable`);
        // Per partition key (one shard): stored order is sequence order, and acknowledged records keep their order.
        for (let i = 1; i < got.length; i++) assert.ok(got[i - 1]!.seq < got[i]!.seq);
        for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.seq < list[i]!.seq, `${key}: sequence numbers must keep increasing across restarts`);
        total += list.length;
      }
      assert.ok(total > 0, 'some records were acknowledged');
      const put = await k.send(new PutRecordsCommand({ StreamName: 'crash', Records: [{ PartitionKey: 'writer-0', Data: Buffer.from('after') }] }));
      const last = acked.get('writer-0')!.at(-1);
      if (last) assert.ok(put.Records![0]!.SequenceNumber! > last.seq);
    } finally {
      k.destroy();
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
