import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDeliveryStreamCommand, FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { bucketDirs, bucketMap, objects, s3Dest } from './helpers/firehose.ts';
import { startTestServer, sdkConfig } from './helpers/server.ts';
import { until } from './helpers/until.ts';

test('SIGKILL during PutRecordBatch ×3: every acknowledged record reaches the bucket after restart', { timeout: 240_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-fh-crash-'));
  const dirs = bucketDirs(['crash']);
  const env = { OSPREY_EXPORT_BUCKETS: bucketMap(dirs) };
  const acked = new Set<string>();
  try {
    for (let round = 0; round < 3; round++) {
      const server = await startTestServer({ dataDir, modules: ['firehose'], env });
      const fh = new FirehoseClient(sdkConfig(server.url));
      if (round === 0) {
        await fh.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'crash', ExtendedS3DestinationConfiguration: s3Dest('crash', { BufferingHints: { IntervalInSeconds: 1, SizeInMBs: 1 } }) }));
      }
      let stop = false;
      const writer = async (w: number) => {
        for (let n = 0; !stop; n++) {
          const lines = Array.from({ length: 50 }, (_, i) => `r${round}-w${w}-${n}-${i}`);
          try {
            const r = await fh.send(new PutRecordBatchCommand({ DeliveryStreamName: 'crash', Records: lines.map((l) => ({ Data: Buffer.from(`${l}\n`) })) }));
            r.RequestResponses!.forEach((x, i) => {
              if (!x.ErrorCode) acked.add(lines[i]!);
            });
          } catch {
            return;
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      await new Promise((r) => setTimeout(r, 1500));
      await server.kill();
      stop = true;
      await Promise.all(writers);
    }
    assert.ok(acked.size > 1000, `only ${acked.size} records acknowledged`);
    const server = await startTestServer({ dataDir, modules: ['firehose'], env });
    try {
      const missing = await until('every acknowledged record in the bucket', async () => {
        const seen = new Set<string>();
        for (const body of (await objects(dirs.crash!)).values()) for (const l of body.toString().split('\n')) if (l) seen.add(l);
        const lost = [...acked].filter((l) => !seen.has(l));
        return lost.length === 0 ? lost : undefined;
      }, 20_000);
      assert.deepEqual(missing, []);
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
