/**
 * KinesisStreamAsSource: reads the source stream only through the Kinesis API (ListShards,
 * GetShardIterator, GetRecords via env.call), like any consumer. Each shard's position is kept in
 * the metadata store in the same transaction as the records read from it, so a restart resumes
 * AFTER_SEQUENCE_NUMBER and every record is delivered at least once. Parents are read to their end
 * before their children (splits and merges), as the Kinesis Client Library does.
 */
import type { Shard } from '@aws-sdk/client-kinesis';
import { parseArn } from '../../lib/arn.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { Env } from '../../server/module.ts';
import type { ServiceMetrics } from '../../server/service-metrics.ts';
import type { DeliveryControl } from './deps.ts';
import type { FirehoseRepo, StreamRow } from './repo.ts';

export interface KinesisSourceOptions {
  env: Env;
  repo: FirehoseRepo;
  delivery: DeliveryControl;
  metrics: ServiceMetrics;
  pollMs: number;
}

/** GetRecords pages read from one shard per poll, so one busy shard cannot starve the others. */
const PAGES_PER_POLL = 10;
const RECORDS_PER_PAGE = 1000;

export class KinesisSourcePoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly warned = new Set<number>();

  constructor(private readonly o: KinesisSourceOptions) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.pollAll().finally(() => (this.running = undefined));
    }, this.o.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  async pollAll(): Promise<void> {
    for (const s of await this.o.repo.all()) {
      if (this.stopped) return;
      if (s.type !== 'KinesisStreamAsSource' || !s.source) continue;
      try {
        await this.pollStream(s);
        this.warned.delete(s.id);
      } catch (err) {
        // Once per outage, not every second.
        if (!this.warned.has(s.id)) this.o.env.log.warn({ err, stream: s.name, source: s.source.streamArn }, 'firehose: cannot read the source Kinesis stream');
        this.warned.add(s.id);
      }
    }
  }

  private ctxFor(s: StreamRow): Ctx {
    const region = parseArn(s.source!.streamArn)?.region ?? s.region;
    return this.o.env.serviceCtx({ account: s.account, region, principalArn: s.source!.roleArn });
  }

  private async shards(ctx: Ctx, streamArn: string): Promise<Shard[]> {
    const out: Shard[] = [];
    let token: string | undefined;
    do {
      const r = await this.o.env.call('kinesis', 'ListShards', ctx, token ? { NextToken: token } : { StreamARN: streamArn });
      out.push(...(r.Shards ?? []));
      token = r.NextToken;
    } while (token);
    return out;
  }

  private async pollStream(s: StreamRow): Promise<void> {
    const ctx = this.ctxFor(s);
    const shards = await this.shards(ctx, s.source!.streamArn);
    const known = new Set(shards.map((x) => x.ShardId!));
    const checkpoints = await this.o.repo.checkpoints(s.id);
    for (const shard of shards) {
      const cp = checkpoints.get(shard.ShardId!);
      if (cp?.closed) continue;
      const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter((p): p is string => p !== undefined && known.has(p));
      // A child waits until its parents were read to their end (ordering across splits/merges).
      if (parents.some((p) => !checkpoints.get(p)?.closed)) continue;
      const isChild = [shard.ParentShardId, shard.AdjacentParentShardId].some((p) => p !== undefined && (known.has(p) || checkpoints.has(p)));
      await this.readShard(s, ctx, shard.ShardId!, cp?.sequenceNumber, isChild);
    }
  }

  private async iterator(s: StreamRow, ctx: Ctx, shardId: string, after: string | undefined, isChild: boolean): Promise<string | undefined> {
    const base = { StreamARN: s.source!.streamArn, ShardId: shardId };
    const r = after
      ? await this.o.env.call('kinesis', 'GetShardIterator', ctx, { ...base, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after })
      // A new stream starts where it was created (DeliveryStartTimestamp); a child shard from its start.
      : isChild
        ? await this.o.env.call('kinesis', 'GetShardIterator', ctx, { ...base, ShardIteratorType: 'TRIM_HORIZON' })
        : await this.o.env.call('kinesis', 'GetShardIterator', ctx, { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(s.source!.startAt) });
    return r.ShardIterator;
  }

  private async readShard(s: StreamRow, ctx: Ctx, shardId: string, after: string | undefined, isChild: boolean): Promise<void> {
    let it = await this.iterator(s, ctx, shardId, after, isChild);
    for (let page = 0; it && page < PAGES_PER_POLL && !this.stopped; page++) {
      const r = await this.o.env.call('kinesis', 'GetRecords', ctx, { ShardIterator: it, Limit: RECORDS_PER_PAGE, StreamARN: s.source!.streamArn });
      const records = r.Records ?? [];
      const closed = r.NextShardIterator === undefined || r.NextShardIterator === null;
      const now = this.o.env.clock.now();
      const rows = records.map((x) => ({ arrivedAt: now, data: Buffer.from(x.Data ?? new Uint8Array()) }));
      const last = records.length > 0 ? records[records.length - 1]!.SequenceNumber : undefined;
      if (rows.length > 0 || closed) {
        const seqs = await this.o.repo.addShardRecords(s.id, shardId, rows, last, closed);
        if (seqs.length > 0) this.o.delivery.added(s, seqs.map((seq, i) => ({ seq, ...rows[i]! })));
        const dims = { DeliveryStreamName: s.name };
        this.o.metrics.observe(s, 'DataReadFromKinesisStream.Records', dims, rows.length, 'Count');
        this.o.metrics.observe(s, 'DataReadFromKinesisStream.Bytes', dims, rows.reduce((n, x) => n + x.data.length, 0), 'Bytes');
      }
      if (closed || records.length === 0) return;
      it = r.NextShardIterator;
    }
  }
}
