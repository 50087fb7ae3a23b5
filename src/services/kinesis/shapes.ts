/** Stream and shard rows → the API's shapes (Shard, ChildShard, StreamSummary, EnhancedMonitoring). */
import type { ChildShard, EnhancedMetrics, MetricsName, Shard, StreamModeDetails } from '@aws-sdk/client-kinesis';
import { decimalOfHex } from './hash-keys.ts';
import { shardIdOf } from './deps.ts';
import type { ShardRow, StreamRow } from './repo.ts';

export function shardShape(s: ShardRow): Shard {
  return {
    ShardId: shardIdOf(s.idx),
    ...(s.parent !== undefined ? { ParentShardId: shardIdOf(s.parent) } : {}),
    ...(s.adjacentParent !== undefined ? { AdjacentParentShardId: shardIdOf(s.adjacentParent) } : {}),
    HashKeyRange: { StartingHashKey: decimalOfHex(s.hashStart), EndingHashKey: decimalOfHex(s.hashEnd) },
    SequenceNumberRange: { StartingSequenceNumber: s.startingSeq, ...(s.endingSeq ? { EndingSequenceNumber: s.endingSeq } : {}) },
  };
}

/** The shards a closed shard was split or merged into, with all their parents (GetRecords at the shard's end). */
export function childShards(all: readonly ShardRow[], parent: number, parentsOf: (child: ShardRow) => number[]): ChildShard[] {
  return all.filter((c) => parentsOf(c).includes(parent)).map((c) => ({
    ShardId: shardIdOf(c.idx),
    ParentShards: parentsOf(c).map(shardIdOf),
    HashKeyRange: { StartingHashKey: decimalOfHex(c.hashStart), EndingHashKey: decimalOfHex(c.hashEnd) },
  }));
}

export const modeShape = (s: StreamRow): StreamModeDetails => ({ StreamMode: s.mode });

export const monitoringShape = (s: StreamRow): EnhancedMetrics[] => [{ ShardLevelMetrics: s.shardMetrics as MetricsName[] }];

export const encryptionShape = (s: StreamRow): { EncryptionType: 'NONE' | 'KMS'; KeyId?: string } =>
  s.encryptionType === 'KMS' ? { EncryptionType: 'KMS', KeyId: s.keyId } : { EncryptionType: 'NONE' };
