// Kinesis Data Streams as the Data streams page reads it: the client (made on first use), each stream
// with its summary, and a stream's shards.
import {
  DescribeStreamSummaryCommand, KinesisClient, ListShardsCommand, paginateListStreams, type Shard, type StreamDescriptionSummary,
} from '@aws-sdk/client-kinesis';
import type { ClientConfig } from '../aws.ts';
import { collect } from '../aws.ts';
import { usePageClient } from '../page-client.ts';

const makeKinesis = (cfg: ClientConfig) => new KinesisClient(cfg);

export const useKinesis = (): KinesisClient => usePageClient(makeKinesis);

/** Kinesis's retention bounds, in hours: one day to a year. */
export const MIN_RETENTION_HOURS = 24;
export const MAX_RETENTION_HOURS = 8760;

export async function describeStream(k: KinesisClient, name: string): Promise<StreamDescriptionSummary> {
  return (await k.send(new DescribeStreamSummaryCommand({ StreamName: name }))).StreamDescriptionSummary!;
}

/** Every stream of the account and region with its summary (one DescribeStreamSummary each). */
export async function listStreams(k: KinesisClient): Promise<StreamDescriptionSummary[]> {
  const names = await collect(paginateListStreams({ client: k }, {}), (p) => p.StreamNames);
  const out = await Promise.all(names.map((n) => describeStream(k, n).catch(() => undefined)));
  return out.filter((s): s is StreamDescriptionSummary => s !== undefined);
}

/** All the stream's shards, open and closed (ListShards; a NextToken call names no stream, as AWS requires). */
export async function listShards(k: KinesisClient, name: string): Promise<Shard[]> {
  const out: Shard[] = [];
  let token: string | undefined;
  do {
    const r = await k.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: name }));
    out.push(...(r.Shards ?? []));
    token = r.NextToken;
  } while (token);
  return out;
}

/** A closed shard has an ending sequence number; it takes no more records (it was split or merged). */
export const isOpen = (s: Shard): boolean => !s.SequenceNumberRange?.EndingSequenceNumber;

export const modeOf = (s: StreamDescriptionSummary): string => (s.StreamModeDetails?.StreamMode === 'ON_DEMAND' ? 'On-demand' : 'Provisioned');
