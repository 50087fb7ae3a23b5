import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQSClient, CreateQueueCommand, SendMessageBatchCommand, ReceiveMessageCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { startTestServer, sdkConfig } from './helpers/server.ts';

test('SIGKILL during SendMessageBatch ×3: every acknowledged message survives; visibility timeouts survive restarts', { timeout: 180_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-sqs-crash-'));
  const acked = new Set<string>();
  try {
    for (let round = 0; round < 3; round++) {
      const server = await startTestServer({ dataDir, modules: ['sqs'] });
      const sqs = new SQSClient(sdkConfig(server.url));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'crash' }));
      let stop = false;
      const writer = async (w: number) => {
        for (let n = 0; !stop; n++) {
          const Entries = Array.from({ length: 10 }, (_, i) => ({ Id: `e${i}`, MessageBody: `r${round}-w${w}-${n}-${i}` }));
          try {
            const r = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
            for (const s of r.Successful ?? []) acked.add(Entries.find((e) => e.Id === s.Id)!.MessageBody);
          } catch {
            return;
          }
        }
      };
      const writers = [0, 1, 2, 3].map(writer);
      await new Promise((r) => setTimeout(r, 700));
      await server.kill();
      stop = true;
      await Promise.all(writers);
    }
    const server = await startTestServer({ dataDir, modules: ['sqs'] });
    const sqs = new SQSClient(sdkConfig(server.url));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'crash' }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    assert.ok(Number(attrs.Attributes!.ApproximateNumberOfMessages) >= acked.size, `${attrs.Attributes!.ApproximateNumberOfMessages} < ${acked.size}`);
    const seen = new Set<string>();
    for (;;) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600 }));
      if (!r.Messages) break;
      for (const m of r.Messages) seen.add(m.Body!);
    }
    for (const body of acked) assert.ok(seen.has(body), `lost ${body}`);
    // Everything is now in flight for 10 minutes: a kill and restart must not make it visible.
    await server.kill();
    const again = await startTestServer({ dataDir, modules: ['sqs'] });
    const sqs2 = new SQSClient(sdkConfig(again.url));
    const r = await sqs2.send(new ReceiveMessageCommand({ QueueUrl: `${again.url}/${QueueUrl!.split('/')[3]}/crash` }));
    assert.equal(r.Messages, undefined);
    await again.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
