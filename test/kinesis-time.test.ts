/**
 * Time-driven behaviour (iterator expiry, retention) against an in-process server whose clock the
 * test moves. The clock skew allowance is widened so the SDK's real-time signatures still verify.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KinesisClient, CreateStreamCommand, PutRecordCommand, GetShardIteratorCommand, GetRecordsCommand, IncreaseStreamRetentionPeriodCommand,
  SplitShardCommand, ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { defaultConfig } from '../src/config/config.ts';
import { ManualClock } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { startServer, type RunningServer } from '../src/server/app.ts';
import { sdkConfig } from './helpers/server.ts';

const HOUR = 3_600_000;
const clock = new ManualClock(Date.now());
const dataDir = mkdtempSync(join(tmpdir(), 'osprey-kinesis-time-'));
let server: RunningServer;
let k: KinesisClient;

before(async () => {
  server = await startServer(
    { ...defaultConfig(), dataDir, port: 0, emfPort: 0, xrayUdpPort: 0, xrayTcpPort: 0, retentionIntervalMs: 100, maxClockSkewSeconds: 30 * 86_400 },
    { clock, modules: ['kinesis'], log: createLogger('warn') },
  );
  k = new KinesisClient(sdkConfig(server.url));
});
after(async () => {
  k?.destroy();
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const trimHorizon = async (name: string, shard = 'shardId-000000000000') =>
  (await k.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
const texts = async (it: string) => (await k.send(new GetRecordsCommand({ ShardIterator: it }))).Records!.map((r) => Buffer.from(r.Data!).toString());

test('a shard iterator expires five minutes after it was issued (ExpiredIteratorException); its NextShardIterator is fresh', async () => {
  await k.send(new CreateStreamCommand({ StreamName: 'expiry', ShardCount: 1 }));
  await k.send(new PutRecordCommand({ StreamName: 'expiry', PartitionKey: 'p', Data: Buffer.from('a') }));
  const it = await trimHorizon('expiry');
  clock.advance(4 * 60_000);
  const r = await k.send(new GetRecordsCommand({ ShardIterator: it }));
  clock.advance(2 * 60_000);
  await assert.rejects(k.send(new GetRecordsCommand({ ShardIterator: it })), { name: 'ExpiredIteratorException' });
  assert.deepEqual((await k.send(new GetRecordsCommand({ ShardIterator: r.NextShardIterator }))).Records, []);
});

test('records past the retention period are not served, then deleted; expired closed shards leave ListShards', async () => {
  await k.send(new CreateStreamCommand({ StreamName: 'ret', ShardCount: 1 }));
  await k.send(new PutRecordCommand({ StreamName: 'ret', PartitionKey: 'p', Data: Buffer.from('old') }));
  await k.send(new SplitShardCommand({ StreamName: 'ret', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: String(1n << 127n) }));
  assert.deepEqual(await texts(await trimHorizon('ret')), ['old']);
  clock.advance(25 * HOUR);
  await k.send(new PutRecordCommand({ StreamName: 'ret', PartitionKey: 'p', ExplicitHashKey: '0', Data: Buffer.from('new') }));
  assert.deepEqual(await texts(await trimHorizon('ret', 'shardId-000000000001')), ['new']);
  // The closed parent's records all expired: it is no longer listed (nor readable).
  const deadline = Date.now() + 10_000;
  let shards: string[] = [];
  while (Date.now() < deadline) {
    shards = (await k.send(new ListShardsCommand({ StreamName: 'ret' }))).Shards!.map((s) => s.ShardId!);
    if (!shards.includes('shardId-000000000000')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(shards, ['shardId-000000000001', 'shardId-000000000002']);
  await assert.rejects(trimHorizon('ret'), { name: 'ResourceNotFoundException' });
});

test('the retention job deletes expired records: a longer retention afterwards does not bring them back', async () => {
  await k.send(new CreateStreamCommand({ StreamName: 'ret2', ShardCount: 1 }));
  await k.send(new PutRecordCommand({ StreamName: 'ret2', PartitionKey: 'p', Data: Buffer.from('old') }));
  clock.advance(25 * HOUR);
  await k.send(new PutRecordCommand({ StreamName: 'ret2', PartitionKey: 'p', Data: Buffer.from('new') }));
  assert.deepEqual(await texts(await trimHorizon('ret2')), ['new']);
  // Retention runs every 100 ms here; give it time to flush and delete.
  await new Promise((r) => setTimeout(r, 2000));
  await k.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'ret2', RetentionPeriodHours: 72 }));
  assert.deepEqual(await texts(await trimHorizon('ret2')), ['new']);
});
