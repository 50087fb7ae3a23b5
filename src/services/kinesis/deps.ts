/** What the Kinesis handlers share (built once by the module), and how a request names its stream. */
import type { Clock } from '../../lib/clock.ts';
import { arn, parseArn } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { KinesisRecordStore } from '../../store/telemetry/index.ts';
import type { HashRange } from './hash-keys.ts';
import type { ShardIterators } from './iterators.ts';
import type { KinesisRepo, ShardRow, StreamRow } from './repo.ts';
import type { MetaChanges } from '../../store/meta/changes.ts';
import type { SequenceClock } from './sequence.ts';

/** AWS's default quotas (Kinesis Data Streams quotas page), raised per `kinesis.<quota>` in config `quotas`. */
export interface KinesisLimits {
  /** Open shards per account and Region (500 in the largest Regions). */
  shards: number;
  /** On-demand streams per account and Region. */
  onDemandStreams: number;
}

export function kinesisLimits(quotas: Readonly<Record<string, number>>): KinesisLimits {
  return { shards: quotas['kinesis.shards'] ?? 500, onDemandStreams: quotas['kinesis.onDemandStreams'] ?? 50 };
}

export interface KinesisDeps {
  repo: KinesisRepo;
  records: KinesisRecordStore;
  clock: Clock;
  seq: SequenceClock;
  iterators: ShardIterators;
  limits: KinesisLimits;
  routes: OpenShardCache;
}

/** The `env.changes` topic of a stream's shards (key: the stream's row id). */
const SHARDS_TOPIC = 'kinesis.shards';

/**
 * A stream's open shards sorted by hash range, cached per stream (PutRecords routes every record
 * through them). A reshard or delete on another node drops the copy here too (env.changes).
 */
export class OpenShardCache {
  private readonly cache = new Map<number, Array<HashRange & { idx: number }>>();

  constructor(private readonly repo: KinesisRepo, private readonly changes?: MetaChanges) {
    changes?.subscribe(SHARDS_TOPIC, (key) => this.drop(key === undefined ? undefined : Number(key)));
  }

  /** Bumped by forget: a read that started before a reshard does not cache the shards it replaced. */
  private generation = 0;

  async get(stream: number): Promise<Array<HashRange & { idx: number }>> {
    let list = this.cache.get(stream);
    if (!list) {
      const generation = this.generation;
      list = (await this.repo.shards(stream)).filter((s) => s.closedAt === undefined)
        .map((s) => ({ idx: s.idx, start: s.hashStart, end: s.hashEnd }))
        .sort((a, b) => (a.start < b.start ? -1 : 1));
      if (generation === this.generation) this.cache.set(stream, list);
    }
    return list;
  }

  /** After any change to the stream's shards (committed): here at once, on the other nodes by signal. */
  forget(stream: number): void {
    this.drop(stream);
    void this.changes?.publish(SHARDS_TOPIC, String(stream));
  }

  private drop(stream: number | undefined): void {
    this.generation++;
    if (stream === undefined || !Number.isFinite(stream)) this.cache.clear();
    else this.cache.delete(stream);
  }
}

export const shardIdOf = (idx: number): string => `shardId-${String(idx).padStart(12, '0')}`;

/** shardId-000000000007 → 7 (also accepts the bare number form some tools print). */
export function shardIndexOf(shardId: string): number | undefined {
  const m = /^(?:shardId-)?(\d{1,12})$/.exec(shardId);
  return m ? Number(m[1]) : undefined;
}

export const streamArnOf = (s: Pick<StreamRow, 'account' | 'region' | 'name'>): string => arn('kinesis', s, `stream/${s.name}`);

export const streamNotFound = (name: string, account: string): ServiceError =>
  new ServiceError('ResourceNotFoundException', `Stream ${name} under account ${account} not found.`);

export const shardNotFound = (shardId: string, s: StreamRow): ServiceError =>
  new ServiceError('ResourceNotFoundException', `Shard ${shardId} in stream ${s.name} under account ${s.account} does not exist`);

export const invalidArgument = (message: string): ServiceError => new ServiceError('InvalidArgumentException', message);

/** A stream ARN → its name, checked against the caller's account and Region. */
export function streamNameFromArn(ctx: Ctx, value: string): string {
  const a = parseArn(value);
  const m = a && a.service === 'kinesis' ? /^stream\/([a-zA-Z0-9_.-]+)$/.exec(a.resource) : null;
  if (!a || !m) throw invalidArgument(`StreamARN ${value} is not a Kinesis stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>).`);
  if (a.account !== ctx.account) {
    throw new ServiceError('AccessDeniedException', `User: ${ctx.principalArn} is not authorized to access ${value}: the stream belongs to another account.`);
  }
  if (a.region !== ctx.region) throw streamNotFound(m[1]!, ctx.account);
  return m[1]!;
}

/** The stream a request names by StreamName or StreamARN (both must then agree). */
export async function resolveStream(deps: KinesisDeps, ctx: Ctx, input: { StreamName?: string; StreamARN?: string }): Promise<StreamRow> {
  const byArn = input.StreamARN !== undefined ? streamNameFromArn(ctx, input.StreamARN) : undefined;
  if (byArn !== undefined && input.StreamName !== undefined && byArn !== input.StreamName) {
    throw invalidArgument(`StreamName ${input.StreamName} and StreamARN ${input.StreamARN} name different streams.`);
  }
  const name = byArn ?? input.StreamName;
  if (name === undefined) throw invalidArgument('Either StreamName or StreamARN must be provided.');
  const s = await deps.repo.stream(ctx.account, ctx.region, name);
  if (!s) throw streamNotFound(name, ctx.account);
  return s;
}

/** Shards still listed: open ones and closed ones whose records are within the retention period. */
export async function liveShards(deps: KinesisDeps, s: StreamRow): Promise<ShardRow[]> {
  const horizon = deps.clock.now() - s.retentionHours * 3_600_000;
  return (await deps.repo.shards(s.id)).filter((sh) => sh.closedAt === undefined || sh.closedAt >= horizon);
}
