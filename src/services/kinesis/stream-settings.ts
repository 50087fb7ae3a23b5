/**
 * Per-stream settings: retention (Increase/DecreaseStreamRetentionPeriod), capacity mode
 * (UpdateStreamMode), server-side encryption (Start/StopStreamEncryption: the KMS key is recorded
 * and reported; records are stored as Osprey stores all telemetry, see the README), enhanced
 * monitoring (Enable/DisableEnhancedMonitoring: recorded and reported) and DescribeLimits.
 */
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { invalidArgument, resolveStream, streamArnOf, type KinesisDeps } from './deps.ts';
import type { StreamRow } from './repo.ts';

const MIN_RETENTION_HOURS = 24;
const MAX_RETENTION_HOURS = 8760;
const SHARD_METRICS = [
  'IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords', 'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds',
];

function checkRetention(hours: number): void {
  if (hours < MIN_RETENTION_HOURS) {
    throw invalidArgument(`Minimum allowed retention period is ${MIN_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too short.`);
  }
  if (hours > MAX_RETENTION_HOURS) {
    throw invalidArgument(`Maximum allowed retention period is ${MAX_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too long.`);
  }
}

export async function increaseStreamRetentionPeriod(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'IncreaseStreamRetentionPeriod'>): Promise<CallOutput<'kinesis', 'IncreaseStreamRetentionPeriod'>> {
  const s = await resolveStream(deps, ctx, input);
  const hours = input.RetentionPeriodHours!;
  checkRetention(hours);
  if (hours < s.retentionHours) {
    throw invalidArgument(`Requested retention period (${hours} hours) for stream ${s.name} can not be shorter than existing retention period (${s.retentionHours} hours). Use DecreaseRetentionPeriod API.`);
  }
  await deps.repo.updateStream({ ...s, retentionHours: hours });
  return {};
}

export async function decreaseStreamRetentionPeriod(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'DecreaseStreamRetentionPeriod'>): Promise<CallOutput<'kinesis', 'DecreaseStreamRetentionPeriod'>> {
  const s = await resolveStream(deps, ctx, input);
  const hours = input.RetentionPeriodHours!;
  checkRetention(hours);
  if (hours > s.retentionHours) {
    throw invalidArgument(`Requested retention period (${hours} hours) for stream ${s.name} can not be longer than existing retention period (${s.retentionHours} hours). Use IncreaseRetentionPeriod API.`);
  }
  await deps.repo.updateStream({ ...s, retentionHours: hours });
  return {};
}

export async function updateStreamMode(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'UpdateStreamMode'>): Promise<CallOutput<'kinesis', 'UpdateStreamMode'>> {
  const s = await resolveStream(deps, ctx, { StreamARN: input.StreamARN });
  const mode = input.StreamModeDetails!.StreamMode!;
  if (mode === s.mode) throw new ServiceError('ResourceInUseException', `Stream ${s.name} under account ${s.account} is already in ${mode} mode.`);
  if (mode === 'ON_DEMAND' && await deps.repo.onDemandStreamCount(ctx.account, ctx.region) >= deps.limits.onDemandStreams) {
    throw new ServiceError('LimitExceededException', `Account ${ctx.account} already has ${deps.limits.onDemandStreams} on-demand streams in ${ctx.region}, the maximum.`);
  }
  // The shards stay as they are: an on-demand stream keeps its shard count here (no automatic scaling).
  await deps.repo.updateStream({ ...s, mode });
  return {};
}

export async function startStreamEncryption(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'StartStreamEncryption'>): Promise<CallOutput<'kinesis', 'StartStreamEncryption'>> {
  const s = await resolveStream(deps, ctx, input);
  if (input.EncryptionType !== 'KMS') throw invalidArgument(`EncryptionType ${input.EncryptionType} is not valid for StartStreamEncryption; use KMS.`);
  await deps.repo.updateStream({ ...s, encryptionType: 'KMS', keyId: input.KeyId });
  return {};
}

export async function stopStreamEncryption(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'StopStreamEncryption'>): Promise<CallOutput<'kinesis', 'StopStreamEncryption'>> {
  const s = await resolveStream(deps, ctx, input);
  if (input.EncryptionType !== 'KMS') throw invalidArgument(`EncryptionType ${input.EncryptionType} is not valid for StopStreamEncryption; use KMS.`);
  await deps.repo.updateStream({ ...s, encryptionType: 'NONE', keyId: undefined });
  return {};
}

function metricsOf(requested: readonly string[]): string[] {
  return requested.includes('ALL') ? SHARD_METRICS : requested.filter((m, i) => requested.indexOf(m) === i);
}

async function setMetrics(deps: KinesisDeps, s: StreamRow, next: string[]): Promise<CallOutput<'kinesis', 'EnableEnhancedMonitoring'>> {
  const desired = SHARD_METRICS.filter((m) => next.includes(m));
  await deps.repo.updateStream({ ...s, shardMetrics: desired });
  return { StreamName: s.name, StreamARN: streamArnOf(s), CurrentShardLevelMetrics: [...s.shardMetrics], DesiredShardLevelMetrics: desired } as CallOutput<'kinesis', 'EnableEnhancedMonitoring'>;
}

export async function enableEnhancedMonitoring(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'EnableEnhancedMonitoring'>): Promise<CallOutput<'kinesis', 'EnableEnhancedMonitoring'>> {
  const s = await resolveStream(deps, ctx, input);
  return await setMetrics(deps, s, [...s.shardMetrics, ...metricsOf(input.ShardLevelMetrics ?? [])]);
}

export async function disableEnhancedMonitoring(deps: KinesisDeps, ctx: Ctx, input: CallInput<'kinesis', 'DisableEnhancedMonitoring'>): Promise<CallOutput<'kinesis', 'DisableEnhancedMonitoring'>> {
  const s = await resolveStream(deps, ctx, input);
  const off = metricsOf(input.ShardLevelMetrics ?? []);
  return await setMetrics(deps, s, s.shardMetrics.filter((m) => !off.includes(m)));
}

export async function describeLimits(deps: KinesisDeps, ctx: Ctx): Promise<CallOutput<'kinesis', 'DescribeLimits'>> {
  return {
    ShardLimit: deps.limits.shards, OpenShardCount: await deps.repo.openShardCount(ctx.account, ctx.region),
    OnDemandStreamCount: await deps.repo.onDemandStreamCount(ctx.account, ctx.region), OnDemandStreamCountLimit: deps.limits.onDemandStreams,
  };
}
