/**
 * SQS end to end: producers SendMessageBatch (10 × 200 B), consumers ReceiveMessage (10, long poll)
 * + DeleteMessageBatch, against a real server (`--modules sqs`). Reports messages/s fully
 * processed (sent, received and deleted), request latencies p50/p99 and the server's RSS.
 * Options: --seconds N (default 10), --producers N (4), --consumers N (4).
 */
import { SQSClient, CreateQueueCommand, SendMessageBatchCommand, ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { readFileSync } from 'node:fs';
import { startTestServer, sdkConfig } from '../test/helpers/server.ts';

const arg = (args: string[], name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : 0);

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const seconds = arg(args, 'seconds', 10);
  const producers = arg(args, 'producers', 4);
  const consumers = arg(args, 'consumers', 4);
  const server = await startTestServer({ modules: ['sqs'] });
  try {
    const sqs = new SQSClient({ ...sdkConfig(server.url) });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench' }));
    const body = 'x'.repeat(200);
    let stop = false;
    let sent = 0;
    let done = 0;
    const sendLat: number[] = [];
    const recvLat: number[] = [];
    const producer = async () => {
      for (let n = 0; !stop; n++) {
        const t = performance.now();
        await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: body })) }));
        sendLat.push(performance.now() - t);
        sent += 10;
      }
    };
    const consumer = async () => {
      while (!stop) {
        const t = performance.now();
        const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
        recvLat.push(performance.now() - t);
        if (!r.Messages) continue;
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: r.Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
        done += r.Messages.length;
      }
    };
    const started = performance.now();
    const all = [...Array.from({ length: producers }, producer), ...Array.from({ length: consumers }, consumer)];
    await new Promise((r) => setTimeout(r, seconds * 1000));
    stop = true;
    await Promise.all(all);
    const elapsed = (performance.now() - started) / 1000;
    const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
    const rssMb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    const result = {
      seconds: elapsed, producers, consumers,
      sentPerSec: Math.round(sent / elapsed), processedPerSec: Math.round(done / elapsed),
      sendBatchP50Ms: pct(sendLat, 0.5), sendBatchP99Ms: pct(sendLat, 0.99),
      receiveP50Ms: pct(recvLat, 0.5), receiveP99Ms: pct(recvLat, 0.99), serverRssMb: Math.round(rssMb),
    };
    console.table(result);
    return result;
  } finally {
    await server.stop();
    server.cleanup();
  }
}
