/**
 * CreateDeliveryStream, DeleteDeliveryStream, DescribeDeliveryStream, ListDeliveryStreams and
 * UpdateDestination. A new stream is CREATING for a moment and then ACTIVE, as clients that poll
 * DescribeDeliveryStream expect; VersionId starts at 1 and grows with every UpdateDestination.
 */
import type { DeliveryStreamDescription } from '@aws-sdk/client-firehose';
import { parseArn } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { checkBuckets, resolveStream, streamArn, type FirehoseDeps } from './deps.ts';
import { DESTINATION_ID, describeDestination, mergeUpdate } from './describe.ts';
import { compileDestination, destinationOfCreate, invalid } from './destination.ts';
import type { KinesisSource, StreamRow } from './repo.ts';
import { checkTags } from './tags.ts';

/** How long a new stream reports CREATING. */
export const CREATING_MS = 500;
/** AWS's default quota of Firehose streams per account and Region. */
const MAX_STREAMS = 5000;

export async function createDeliveryStream(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'CreateDeliveryStream'>): Promise<CallOutput<'firehose', 'CreateDeliveryStream'>> {
  const name = input.DeliveryStreamName!;
  const type = input.DeliveryStreamType ?? 'DirectPut';
  if (type !== 'DirectPut' && type !== 'KinesisStreamAsSource') {
    throw invalid(`DeliveryStreamType ${type} is not supported: Osprey runs DirectPut and KinesisStreamAsSource streams.`);
  }
  let source: KinesisSource | undefined;
  if (type === 'KinesisStreamAsSource') {
    const k = input.KinesisStreamSourceConfiguration;
    if (!k) throw invalid('KinesisStreamSourceConfiguration is required when DeliveryStreamType is KinesisStreamAsSource.');
    const a = parseArn(k.KinesisStreamARN ?? '');
    if (a?.service !== 'kinesis' || !a.resource.startsWith('stream/')) throw invalid(`KinesisStreamARN ${k.KinesisStreamARN} is not a Kinesis stream ARN.`);
    source = { streamArn: k.KinesisStreamARN!, roleArn: k.RoleARN!, startAt: ctx.clock.now() };
  } else if (input.KinesisStreamSourceConfiguration) {
    throw invalid('KinesisStreamSourceConfiguration is only valid when DeliveryStreamType is KinesisStreamAsSource.');
  }
  const destination = destinationOfCreate(input);
  checkBuckets(deps, ctx.account, compileDestination(destination));
  checkTags(input.Tags ?? []);
  const enc = input.DeliveryStreamEncryptionConfigurationInput;
  if (enc && type !== 'DirectPut') throw invalid('Server-side encryption is only configurable for DirectPut streams; a Kinesis source is encrypted by the stream.');
  const key = { account: ctx.account, region: ctx.region, name };
  if (await deps.repo.get(key)) throw new ServiceError('ResourceInUseException', `Firehose ${name} under accountId ${ctx.account} already exists`);
  if ((await deps.repo.count(ctx.account, ctx.region)) >= MAX_STREAMS) {
    throw new ServiceError('LimitExceededException', `You have already consumed your firehose quota of ${MAX_STREAMS} hoses. Firehose names: ${name}`);
  }
  const now = ctx.clock.now();
  await deps.repo.insert({
    ...key, type, version: 1, destination, source, tags: input.Tags ?? [], createdAt: now, updatedAt: now,
    encryption: enc ? { KeyType: enc.KeyType!, ...(enc.KeyARN ? { KeyARN: enc.KeyARN } : {}), Status: 'ENABLED' } : undefined,
  });
  return { DeliveryStreamARN: streamArn(key) };
}

export async function deleteDeliveryStream(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'DeleteDeliveryStream'>): Promise<CallOutput<'firehose', 'DeleteDeliveryStream'>> {
  const s = await resolveStream(deps, ctx, input.DeliveryStreamName);
  // Buffered records go with the stream, as on AWS.
  await deps.repo.delete(s.id);
  deps.delivery.changed(s.id);
  return {};
}

const statusOf = (deps: FirehoseDeps, s: StreamRow) => (deps.clock.now() - s.createdAt < CREATING_MS ? 'CREATING' : 'ACTIVE');

export function describeStream(deps: FirehoseDeps, s: StreamRow): DeliveryStreamDescription {
  return {
    DeliveryStreamName: s.name,
    DeliveryStreamARN: streamArn(s),
    DeliveryStreamStatus: statusOf(deps, s),
    DeliveryStreamType: s.type,
    VersionId: String(s.version),
    CreateTimestamp: new Date(s.createdAt),
    ...(s.version > 1 ? { LastUpdateTimestamp: new Date(s.updatedAt) } : {}),
    DeliveryStreamEncryptionConfiguration: s.encryption ?? { Status: 'DISABLED' },
    Source: s.source
      ? { KinesisStreamSourceDescription: { KinesisStreamARN: s.source.streamArn, RoleARN: s.source.roleArn, DeliveryStartTimestamp: new Date(s.source.startAt) } }
      : { DirectPutSourceDescription: { ThroughputHintInMBs: 5 } },
    Destinations: [describeDestination(s.destination)],
    HasMoreDestinations: false,
  };
}

export async function describeDeliveryStream(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'DescribeDeliveryStream'>): Promise<CallOutput<'firehose', 'DescribeDeliveryStream'>> {
  const s = await resolveStream(deps, ctx, input.DeliveryStreamName);
  const d = describeStream(deps, s);
  // One destination: starting after it leaves none.
  if (input.ExclusiveStartDestinationId === DESTINATION_ID) d.Destinations = [];
  return { DeliveryStreamDescription: d };
}

export async function listDeliveryStreams(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'ListDeliveryStreams'>): Promise<CallOutput<'firehose', 'ListDeliveryStreams'>> {
  const limit = input.Limit ?? 10;
  const names = await deps.repo.names(ctx.account, ctx.region, input.DeliveryStreamType, input.ExclusiveStartDeliveryStreamName ?? '', limit + 1);
  return { DeliveryStreamNames: names.slice(0, limit), HasMoreDeliveryStreams: names.length > limit };
}

export async function updateDestination(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'UpdateDestination'>): Promise<CallOutput<'firehose', 'UpdateDestination'>> {
  const s = await resolveStream(deps, ctx, input.DeliveryStreamName);
  if (input.CurrentDeliveryStreamVersionId !== String(s.version)) {
    throw new ServiceError('ConcurrentModificationException', `Cannot update firehose: ${s.name} since the current version id: ${s.version} and specified version id: ${input.CurrentDeliveryStreamVersionId} do not match`);
  }
  if (input.DestinationId !== DESTINATION_ID) throw invalid(`Destination Id ${input.DestinationId} not found.`);
  const { DeliveryStreamName: _n, CurrentDeliveryStreamVersionId: _v, DestinationId: _d, ...update } = input;
  const destination = mergeUpdate(s.destination, update);
  checkBuckets(deps, ctx.account, compileDestination(destination));
  await deps.repo.update(s.id, { version: s.version + 1, destination, updatedAt: ctx.clock.now() });
  deps.delivery.changed(s.id);
  return {};
}
