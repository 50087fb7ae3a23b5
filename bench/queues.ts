/**
 * SQS end to end: producers SendMessageBatch (10 × 200 B), consumers ReceiveMessage (10, long poll
 * 1 s) + DeleteMessageBatch, against a real server (`--modules sqs`). Reports messages/s fully
 * processed (sent, received and deleted), request latencies p50/p99 and the server's RSS and CPU.
 *
 * Clients: a lean SigV4 JSON client (bench/lib/signed-client.ts, the same bytes an SDK sends) so the
 * client's CPU, which shares this machine's cores with the server, stays small; `--sdk` uses SDK v3.
 * The same workload also runs against bench/lib/sqs-wire-ceiling-server.ts (HTTP + SigV4 +
 * JSON.parse, nothing stored): the most a Node implementation of these calls could move here.
 *
 * Options: --seconds N (10), --producers N (4), --consumers N (8), --sdk, --no-ceiling, --fsync (the
 * server's `fsync` setting: every commit reaches the disk before the answer);
 * BENCH_PROF=1 writes the server's (and the ceiling's) CPU profile to /tmp/prof (/tmp/profc);
 * BENCH_PERF=1 starts the server with --perf-basic-prof (for `perf record`).
 *
 * Eight consumers by default: each consumer makes two calls per ten messages to a producer's one,
 * so with as many consumers as producers the backlog grows and half of what is sent is processed,
 * the wire ceiling's included (the default until 2026-12-07 was four).
 */
import { SQSClient, CreateQueueCommand, SendMessageBatchCommand, ReceiveMessageCommand, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, sdkConfig } from '../test/helpers/server.ts';
import { SignedJsonClient } from './lib/signed-client.ts';
import { freePort, startPeer } from './lib/peer-process.ts';
import { cpuSeconds, percentile, printTable, rssMb } from './lib/stats.ts';

const here = dirname(fileURLToPath(import.meta.url));

const arg = (args: string[], name: string, def: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const p = (xs: number[], q: number) => Math.round(percentile([...xs].sort((a, b) => a - b), q) * 10) / 10;

/** The three calls of the workload, whichever client makes them. */
interface QueueApi {
  send(bodies: string[]): Promise<void>;
  receive(): Promise<string[]>;
  delete(handles: string[]): Promise<void>;
  close(): void;
}

async function leanApi(url: string): Promise<QueueApi> {
  const api = new SignedJsonClient(url, 'sqs', 'AmazonSQS', '1.0');
  const call = async (op: string, body: string, reuse = false) => {
    const r = await api.call(op, body, reuse);
    if (r.status !== 200) throw new Error(`${op} ${r.status}: ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body || '{}') as Record<string, unknown>;
  };
  const { QueueUrl } = (await call('CreateQueue', JSON.stringify({ QueueName: 'bench' }))) as { QueueUrl: string };
  const receiveBody = JSON.stringify({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
  return {
    send: async (bodies) => void (await call('SendMessageBatch', JSON.stringify({ QueueUrl, Entries: bodies.map((b, i) => ({ Id: `m${i}`, MessageBody: b })) }))),
    receive: async () => ((await call('ReceiveMessage', receiveBody, true)).Messages as { ReceiptHandle: string }[] | undefined ?? []).map((m) => m.ReceiptHandle),
    delete: async (handles) => void (await call('DeleteMessageBatch', JSON.stringify({ QueueUrl, Entries: handles.map((h, i) => ({ Id: `d${i}`, ReceiptHandle: h })) }))),
    close: () => api.close(),
  };
}

async function sdkApi(url: string): Promise<QueueApi> {
  const sqs = new SQSClient({ ...sdkConfig(url) });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench' }));
  return {
    send: async (bodies) => void (await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: bodies.map((b, i) => ({ Id: `m${i}`, MessageBody: b })) }))),
    receive: async () => ((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? []).map((m) => m.ReceiptHandle!),
    delete: async (handles) => void (await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: handles.map((h, i) => ({ Id: `d${i}`, ReceiptHandle: h })) }))),
    close: () => sqs.destroy(),
  };
}

interface Workload { seconds: number; producers: number; consumers: number }

/** Runs producers and consumers for the given time; processed = received and deleted. */
async function drive(api: QueueApi, w: Workload, serverPid: number) {
  const body = 'x'.repeat(200);
  const bodies = Array.from({ length: 10 }, () => body);
  let stop = false;
  let sent = 0;
  let done = 0;
  const sendLat: number[] = [];
  const recvLat: number[] = [];
  const delLat: number[] = [];
  const producer = async () => {
    while (!stop) {
      const t = performance.now();
      await api.send(bodies);
      sendLat.push(performance.now() - t);
      sent += 10;
    }
  };
  const consumer = async () => {
    while (!stop) {
      const t = performance.now();
      const handles = await api.receive();
      recvLat.push(performance.now() - t);
      if (handles.length === 0) continue;
      const t2 = performance.now();
      await api.delete(handles);
      delLat.push(performance.now() - t2);
      done += handles.length;
    }
  };
  const cpu0 = cpuSeconds(serverPid);
  const client0 = process.cpuUsage();
  const started = performance.now();
  const all = [...Array.from({ length: w.producers }, producer), ...Array.from({ length: w.consumers }, consumer)];
  await new Promise((r) => setTimeout(r, w.seconds * 1000));
  stop = true;
  await Promise.all(all);
  const elapsed = (performance.now() - started) / 1000;
  return {
    sentPerSec: Math.round(sent / elapsed), processedPerSec: Math.round(done / elapsed),
    sendBatchP50Ms: p(sendLat, 50), sendBatchP99Ms: p(sendLat, 99), receiveP50Ms: p(recvLat, 50), receiveP99Ms: p(recvLat, 99),
    deleteBatchP50Ms: p(delLat, 50), deleteBatchP99Ms: p(delLat, 99),
    serverCpuPct: Math.round(((cpuSeconds(serverPid) - cpu0) / elapsed) * 100),
    // CPU per message holds still when other processes load the machine; rates and latencies do not.
    serverCpuUsPerMessage: done > 0 ? Math.round(((cpuSeconds(serverPid) - cpu0) * 1e6) / done) : 0,
    // Consumers racing for a short backlog get partial batches: more calls per message than 3 per 10.
    messagesPerReceive: recvLat.length > 0 ? +(done / recvLat.length).toFixed(1) : 0,
    callsPerSec: Math.round((sendLat.length + recvLat.length + delLat.length) / elapsed),
    clientCpuPct: Math.round(((process.cpuUsage(client0).user + process.cpuUsage(client0).system) / 1e4 / elapsed)),
    serverRssMb: Math.round(rssMb(serverPid)),
  };
}

async function benchOsprey(w: Workload, sdk: boolean, fsync: boolean) {
  const server = await startTestServer({
    modules: ['sqs'], nodeArgs: process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : process.env.BENCH_PERF ? ['--perf-basic-prof'] : [], env: fsync ? { OSPREY_FSYNC: 'true' } : {},
  });
  try {
    const api = await (sdk ? sdkApi : leanApi)(server.url);
    const r = await drive(api, w, server.child.pid!);
    api.close();
    return r;
  } finally {
    await server.stop();
    server.cleanup();
  }
}

async function benchCeiling(w: Workload, sdk: boolean) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = await startPeer('sqs-wire-ceiling', process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/profc'] : []), '--import', 'tsx', join(here, 'lib', 'sqs-wire-ceiling-server.ts'), String(port)], url, '/health');
  try {
    const api = await (sdk ? sdkApi : leanApi)(url);
    const r = await drive(api, w, server.child.pid!);
    api.close();
    return r;
  } finally {
    await server.stop();
  }
}

export async function run(args: string[]): Promise<Record<string, unknown>> {
  const w: Workload = { seconds: arg(args, 'seconds', 10), producers: arg(args, 'producers', 4), consumers: arg(args, 'consumers', 8) };
  const sdk = args.includes('--sdk');
  const fsync = args.includes('--fsync');
  const osprey = await benchOsprey(w, sdk, fsync);
  const ceiling = args.includes('--no-ceiling') ? undefined : await benchCeiling(w, sdk);
  const ratio = ceiling ? +(osprey.processedPerSec / ceiling.processedPerSec).toFixed(2) : undefined;
  printTable(`queues: ${w.producers} producers (SendMessageBatch 10 × 200 B) + ${w.consumers} consumers (ReceiveMessage 10 + DeleteMessageBatch), ${sdk ? 'SDK v3' : 'lean SigV4 client'}${fsync ? ', fsync' : ''}, ${w.seconds} s`,
    Object.keys(osprey).map((k) => ({ measure: k, osprey: osprey[k as keyof typeof osprey], wireCeiling: ceiling?.[k as keyof typeof osprey] ?? '' })));
  if (ratio !== undefined) console.log(`end-to-end / wire ceiling (messages processed): ${ratio}`);
  return { ...w, client: sdk ? 'sdk-v3' : 'lean', fsync, queues: osprey, queuesWireCeiling: ceiling, processedVsCeiling: ratio };
}
