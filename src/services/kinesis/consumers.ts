/**
 * Enhanced fan-out consumers: RegisterStreamConsumer, DeregisterStreamConsumer,
 * DescribeStreamConsumer, ListStreamConsumers. They are registered and listed as on AWS (ACTIVE at
 * once); reading through them needs SubscribeToShard, which Osprey does not serve (see records-get).
 */
import type { Consumer } from '@aws-sdk/client-kinesis';
import { decodePageToken, encodePageToken } from '../../lib/page-token.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { invalidArgument, resolveStream, streamArnOf, streamNameFromArn, type KinesisDeps } from './deps.ts';
import type { ConsumerRow, StreamRow } from './repo.ts';
import { checkTags } from './tag-rules.ts';

/** Kinesis quota: 20 registered consumers per stream. */
const MAX_CONSUMERS = 20;

export const consumerArnOf = (s: StreamRow, c: ConsumerRow): string => `${streamArnOf(s)}/consumer/${c.name}:${Math.floor(c.createdAt / 1000)}`;

const consumerShape = (s: StreamRow, c: ConsumerRow): Consumer => ({
  ConsumerName: c.name, ConsumerARN: consumerArnOf(s, c), ConsumerStatus: 'ACTIVE', ConsumerCreationTimestamp: new Date(c.createdAt),
});

const consumerNotFound = (name: string, s: StreamRow): ServiceError =>
  new ServiceError('ResourceNotFoundException', `Consumer ${name} under stream ${s.name} under account ${s.account} not found.`);

/** A consumer ARN → its stream and consumer (both must exist, with the ARN's creation time). */
export async function resolveConsumerArn(deps: KinesisDeps, ctx: Ctx, consumerArn: string): Promise<{ stream: StreamRow; consumer: ConsumerRow }> {
  const m = /^(arn:[^:]+:kinesis:[^:]+:\d{12}:stream\/[a-zA-Z0-9_.-]+)\/consumer\/([a-zA-Z0-9_.-]+):(\d+)$/.exec(consumerArn);
  if (!m) throw invalidArgument(`ConsumerARN ${consumerArn} is not a Kinesis consumer ARN.`);
  const stream = await deps.repo.stream(ctx.account, ctx.region, streamNameFromArn(ctx, m[1]!));
  const consumer = stream && (await deps.repo.consumer(stream.id, m[2]!));
  if (!stream || !consumer || Math.floor(consumer.createdAt / 1000) !== Number(m[3])) {
    throw new ServiceError('ResourceNotFoundException', `Consumer ${consumerArn} not found.`);
  }
  return { stream, consumer };
}

/** A consumer named by ConsumerARN, or by StreamARN + ConsumerName. */
async function resolveConsumer(deps: KinesisDeps, ctx: Ctx, input: { StreamARN?: string; ConsumerName?: string; ConsumerARN?: string }) {
  if (input.ConsumerARN !== undefined) return await resolveConsumerArn(deps, ctx, input.ConsumerARN);
  if (input.StreamARN === undefined || input.ConsumerName === undefined) {
    throw invalidArgument('Either ConsumerARN, or StreamARN and ConsumerName, must be provided.');
  }
  const stream = await resolveStream(deps, ctx, { StreamARN: input.StreamARN });
  const consumer = await deps.repo.consumer(stream.id, input.ConsumerName);
  if (!consumer) throw consumerNotFound(input.ConsumerName, stream);
  return { stream, consumer };
}

export async function registerStreamConsumer(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'RegisterStreamConsumer'>): Promise<CallOutput<'kinesis', 'RegisterStreamConsumer'>> {
  const stream = await resolveStream(deps, ctx, { StreamARN: input.StreamARN });
  const name = input.ConsumerName!;
  if (await deps.repo.consumer(stream.id, name)) {
    throw new ServiceError('ResourceInUseException', `Consumer ${name} under stream ${stream.name} under account ${stream.account} already exists.`);
  }
  if ((await deps.repo.consumers(stream.id)).length >= MAX_CONSUMERS) {
    throw new ServiceError('LimitExceededException', `Stream ${stream.name} already has ${MAX_CONSUMERS} registered consumers, the maximum.`);
  }
  const tags = input.Tags ?? {};
  checkTags(tags);
  const consumer: ConsumerRow = { stream: stream.id, name, createdAt: deps.clock.now(), tags };
  await deps.repo.insertConsumer(consumer);
  return { Consumer: consumerShape(stream, consumer) };
}

export async function deregisterStreamConsumer(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'DeregisterStreamConsumer'>): Promise<CallOutput<'kinesis', 'DeregisterStreamConsumer'>> {
  const { stream, consumer } = await resolveConsumer(deps, ctx, input);
  await deps.repo.deleteConsumer(stream.id, consumer.name);
  return {};
}

export async function describeStreamConsumer(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'DescribeStreamConsumer'>): Promise<CallOutput<'kinesis', 'DescribeStreamConsumer'>> {
  const { stream, consumer } = await resolveConsumer(deps, ctx, input);
  return { ConsumerDescription: { ...consumerShape(stream, consumer), StreamARN: streamArnOf(stream) } } as CallOutput<'kinesis', 'DescribeStreamConsumer'>;
}

export async function listStreamConsumers(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'ListStreamConsumers'>): Promise<CallOutput<'kinesis', 'ListStreamConsumers'>> {
  const stream = await resolveStream(deps, ctx, { StreamARN: input.StreamARN });
  const after = input.NextToken !== undefined
    ? decodePageToken(input.NextToken, () => new ServiceError('ExpiredNextTokenException', `NextToken ${input.NextToken} is not valid for this stream.`))
    : '';
  const limit = input.MaxResults ?? 100;
  const all = (await deps.repo.consumers(stream.id)).filter((c) => c.name > after);
  const page = all.slice(0, limit);
  return { Consumers: page.map((c) => consumerShape(stream, c)), ...(all.length > limit ? { NextToken: encodePageToken(page.at(-1)!.name) } : {}) };
}
