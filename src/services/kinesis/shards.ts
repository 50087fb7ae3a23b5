/**
 * Shards: ListShards (paging, ShardFilter), SplitShard, MergeShards, UpdateShardCount. Resharding
 * closes parent shards at an EndingSequenceNumber and opens children that name them; PutRecords
 * routes to the children from the moment the change commits, and readers of a parent get its
 * ChildShards once they reach its end.
 */
import type { ShardFilter } from '@aws-sdk/client-kinesis';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import {
  invalidArgument, liveShards, resolveStream, shardIdOf, shardIndexOf, shardNotFound, streamArnOf, type KinesisDeps,
} from './deps.ts';
import { adjacent, bigOf, evenRanges, hexOf, hexOfDecimal, overlaps, type HashRange } from './hash-keys.ts';
import type { NewShard, ShardRow, StreamRow } from './repo.ts';
import { formatSequence, streamTagOf } from './sequence.ts';
import { shardShape } from './shapes.ts';
import { checkShardQuota } from './streams.ts';

/** ListShards' NextToken stays valid this long (then ExpiredNextTokenException), as on AWS. */
const NEXT_TOKEN_TTL_MS = 300_000;
const rangeOf = (s: ShardRow): HashRange => ({ start: s.hashStart, end: s.hashEnd });

/** The shards a shard was made from: those its reshard closed, overlapping its keys (split: 1, merge: 2, uniform scaling: 1+). */
export function parentsOf(child: ShardRow, all: readonly ShardRow[]): number[] {
  if (child.parent === undefined) return [];
  const closed = all.filter((p) => p.closedAt === child.createdAt && overlaps(rangeOf(p), rangeOf(child))).map((p) => p.idx);
  const named = [child.parent, ...(child.adjacentParent !== undefined ? [child.adjacentParent] : [])];
  return [...named, ...closed.filter((i) => !named.includes(i))];
}

interface ListToken { n: string; a: number; f?: ShardFilter & { Timestamp?: number | Date }; t: number }

function readToken(token: string, now: number): ListToken {
  let t: ListToken;
  try {
    t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ListToken;
  } catch {
    throw invalidArgument(`NextToken ${token} is not a token ListShards returned.`);
  }
  if (typeof t.n !== 'string' || typeof t.a !== 'number' || typeof t.t !== 'number') throw invalidArgument(`NextToken ${token} is not a token ListShards returned.`);
  if (now - t.t > NEXT_TOKEN_TTL_MS) throw new ServiceError('ExpiredNextTokenException', `The NextToken ${token} has expired: it is valid for ${NEXT_TOKEN_TTL_MS / 1000} seconds.`);
  if (t.f?.Timestamp !== undefined) t.f.Timestamp = new Date(t.f.Timestamp);
  return t;
}

/** Whether a shard held records at time `t` (created at or before, closed after). */
const openAt = (s: ShardRow, t: number): boolean => s.createdAt <= t && (s.closedAt === undefined || s.closedAt > t);

function applyFilter(shards: ShardRow[], f: ShardFilter | undefined, stream: StreamRow, now: number): ShardRow[] {
  if (!f) return shards;
  const ts = (): number => {
    if (!f.Timestamp) throw invalidArgument(`ShardFilter type ${f.Type} requires a Timestamp.`);
    return Math.max(f.Timestamp.getTime(), stream.createdAt);
  };
  const trimHorizon = Math.max(now - stream.retentionHours * 3_600_000, stream.createdAt);
  switch (f.Type) {
    case 'AFTER_SHARD_ID': {
      const after = f.ShardId !== undefined ? shardIndexOf(f.ShardId) : undefined;
      if (after === undefined) throw invalidArgument('ShardFilter type AFTER_SHARD_ID requires a valid ShardId.');
      return shards.filter((s) => s.idx > after);
    }
    case 'AT_LATEST': return shards.filter((s) => s.closedAt === undefined);
    case 'AT_TRIM_HORIZON': return shards.filter((s) => openAt(s, trimHorizon));
    case 'FROM_TRIM_HORIZON': return shards;
    case 'AT_TIMESTAMP': { const t = ts(); return shards.filter((s) => openAt(s, t)); }
    case 'FROM_TIMESTAMP': { const t = ts(); return shards.filter((s) => s.closedAt === undefined || s.closedAt > t); }
    default: throw invalidArgument(`ShardFilter type ${String(f.Type)} is not valid.`);
  }
}

export async function listShards(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'ListShards'>): Promise<CallOutput<'kinesis', 'ListShards'>> {
  const now = deps.clock.now();
  let name: string | undefined;
  let after = -1;
  let filter = input.ShardFilter;
  if (input.NextToken !== undefined) {
    if (input.StreamName !== undefined || input.StreamARN !== undefined) {
      throw invalidArgument('NextToken and StreamName (or StreamARN) cannot be provided together.');
    }
    const t = readToken(input.NextToken, now);
    name = t.n;
    after = t.a;
    filter = t.f as ShardFilter | undefined;
  }
  const s = await resolveStream(deps, ctx, name !== undefined ? { StreamName: name } : input);
  if (input.ExclusiveStartShardId !== undefined) {
    const i = shardIndexOf(input.ExclusiveStartShardId);
    if (i === undefined) throw invalidArgument(`ExclusiveStartShardId ${input.ExclusiveStartShardId} is not a shard id.`);
    after = Math.max(after, i);
  }
  const shards = applyFilter(await liveShards(deps, s), filter, s, now).filter((sh) => sh.idx > after);
  const limit = input.MaxResults ?? 1000;
  const page = shards.slice(0, limit);
  const more = shards.length > limit;
  const token: ListToken | undefined = more ? { n: s.name, a: page.at(-1)!.idx, ...(filter ? { f: filter } : {}), t: now } : undefined;
  return { Shards: page.map(shardShape), ...(token ? { NextToken: Buffer.from(JSON.stringify(token)).toString('base64url') } : {}) };
}

/** Resharding is for provisioned streams; on-demand streams manage their shards themselves. */
function provisioned(s: StreamRow, op: string): void {
  if (s.mode === 'ON_DEMAND') throw new ServiceError('ValidationException', `${op} is not supported for stream ${s.name} in ON_DEMAND mode.`);
}

async function openShard(deps: KinesisDeps, s: StreamRow, shardId: string): Promise<ShardRow> {
  const idx = shardIndexOf(shardId);
  const sh = idx === undefined ? undefined : await deps.repo.shard(s.id, idx);
  if (!sh) throw shardNotFound(shardId, s);
  if (sh.closedAt !== undefined) throw new ServiceError('ResourceInUseException', `Shard ${shardId} in stream ${s.name} under account ${s.account} has already been merged or split, and thus is not eligible for merging or splitting.`);
  return sh;
}

/**
 * Commits a reshard: `close` shards get EndingSequenceNumbers, `open` ones (made by `make` with
 * indexes from the stream's counter) get StartingSequenceNumbers after them. Answers once every
 * record already accepted for a closed shard is readable, so a reader that reaches a parent's end
 * has all of it.
 */
async function reshard(deps: KinesisDeps, s: StreamRow, close: number[], make: (firstIdx: number, now: number) => NewShard[]): Promise<void> {
  const now = deps.clock.now();
  const tag = streamTagOf(s.streamId);
  const closing = close.map((idx) => ({ idx, endingSeq: formatSequence(deps.seq.next(now), idx, tag) }));
  await deps.repo.reshard(s, { close: closing, open: make(s.nextShard, now), closedAt: now });
  deps.routes.forget(s.id);
  await deps.records.settled();
}

function child(deps: KinesisDeps, s: StreamRow, idx: number, range: HashRange, parents: number[], now: number): NewShard {
  return {
    idx, parent: parents[0], adjacentParent: parents[1], hashStart: range.start, hashEnd: range.end,
    startingSeq: formatSequence(deps.seq.next(now), idx, streamTagOf(s.streamId)), endingSeq: undefined, createdAt: now, closedAt: undefined,
  };
}

export async function splitShard(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'SplitShard'>): Promise<CallOutput<'kinesis', 'SplitShard'>> {
  const s = await resolveStream(deps, ctx, input);
  provisioned(s, 'SplitShard');
  const parent = await openShard(deps, s, input.ShardToSplit!);
  const key = hexOfDecimal(input.NewStartingHashKey!);
  if (key === undefined || key <= parent.hashStart || key > parent.hashEnd) {
    throw invalidArgument(`NewStartingHashKey ${input.NewStartingHashKey} used in SplitShard() on shard ${input.ShardToSplit} in stream ${s.name} under account ${s.account} ` +
      `is not both greater than one plus the shard's StartingHashKey and less than the shard's EndingHashKey.`);
  }
  await checkShardQuota(deps, ctx, 1);
  const below = hexOf(bigOf(key) - 1n);
  await reshard(deps, s, [parent.idx], (first, now) => [
    child(deps, s, first, { start: parent.hashStart, end: below }, [parent.idx], now),
    child(deps, s, first + 1, { start: key, end: parent.hashEnd }, [parent.idx], now),
  ]);
  return {};
}

export async function mergeShards(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'MergeShards'>): Promise<CallOutput<'kinesis', 'MergeShards'>> {
  const s = await resolveStream(deps, ctx, input);
  provisioned(s, 'MergeShards');
  const a = await openShard(deps, s, input.ShardToMerge!);
  const b = await openShard(deps, s, input.AdjacentShardToMerge!);
  if (!adjacent(rangeOf(a), rangeOf(b)) && !adjacent(rangeOf(b), rangeOf(a))) {
    throw invalidArgument(`Shards ${shardIdOf(a.idx)} and ${shardIdOf(b.idx)} in stream ${s.name} under account ${s.account} are not an adjacent pair of shards eligible for merging`);
  }
  const range = { start: a.hashStart < b.hashStart ? a.hashStart : b.hashStart, end: a.hashEnd > b.hashEnd ? a.hashEnd : b.hashEnd };
  await reshard(deps, s, [a.idx, b.idx], (first, now) => [child(deps, s, first, range, [a.idx, b.idx], now)]);
  return {};
}

export async function updateShardCount(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'UpdateShardCount'>): Promise<CallOutput<'kinesis', 'UpdateShardCount'>> {
  const s = await resolveStream(deps, ctx, input);
  provisioned(s, 'UpdateShardCount');
  const open = (await deps.repo.shards(s.id)).filter((sh) => sh.closedAt === undefined);
  const current = open.length;
  const target = input.TargetShardCount!;
  if (target > current * 2) {
    throw invalidArgument(`UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: ${current} Target shard count: ${target}`);
  }
  if (target * 2 < current) {
    throw invalidArgument(`UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: ${current} Target shard count: ${target}`);
  }
  if (target === current) throw invalidArgument(`Stream ${s.name} under account ${s.account} already has ${current} open shards.`);
  await checkShardQuota(deps, ctx, target - current);
  // Uniform scaling: every open shard closes and `target` children split the key space evenly,
  // each naming the old shards its range overlaps.
  await reshard(deps, s, open.map((sh) => sh.idx), (first, now) => evenRanges(target).map((r, i) =>
    child(deps, s, first + i, r, open.filter((p) => overlaps(rangeOf(p), r)).map((p) => p.idx), now)));
  return { StreamName: s.name, StreamARN: streamArnOf(s), CurrentShardCount: current, TargetShardCount: target };
}
