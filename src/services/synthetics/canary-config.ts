/**
 * CreateCanary / UpdateCanary input → the stored CanaryConfig, with AWS's defaults and checks:
 * the runtime must be one Osprey runs, the schedule a canary schedule, the timeout no longer than
 * the frequency, memory a multiple of 64, environment variables not Lambda's reserved ones, and the
 * artifact bucket one the operator mapped.
 */
import type { CanaryRunConfigInput, CanaryScheduleInput, CreateCanaryRequest, UpdateCanaryRequest } from '@aws-sdk/client-synthetics';
import type { ExportDestinations } from '../../store/buckets/sinks.ts';
import { validation } from './names.ts';
import type { RuntimeFamily } from './runtime/job.ts';
import { runtimeFamily, unsupportedRuntimeMessage } from './runtimes.ts';
import { effectiveTimeout, parseCanarySchedule } from './schedule.ts';
import type { CanaryConfig } from './types.ts';

const DEFAULT_RETENTION_DAYS = 31;
const DEFAULT_MEMORY_MB = 1000;
/** Lambda's reserved environment variables (Lambda developer guide, "Defined runtime environment variables"). */
const RESERVED_ENV = /^(_HANDLER|_X_AMZN_TRACE_ID|AWS_.*|LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR)$/;

export interface ArtifactLocation {
  bucket: string;
  /** Key prefix without leading or trailing slashes ('' = the bucket's root). */
  prefix: string;
}

/** `s3://bucket/prefix` or `bucket/prefix`. */
export function parseArtifactLocation(raw: string, buckets: ExportDestinations): ArtifactLocation {
  const rest = raw.replace(/^s3:\/\//i, '');
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw validation(`ArtifactS3Location ${raw} is not a valid S3 location (s3://bucket-name/optional/prefix).`);
  if (!buckets.has(bucket)) {
    throw validation(`S3 bucket ${bucket} of ArtifactS3Location is not mapped in this Osprey: add it to export.buckets (OSPREY_EXPORT_BUCKETS), e.g. {"${bucket}": "file:///var/lib/osprey/${bucket}"}.`);
  }
  return { bucket, prefix };
}

export function familyOf(version: string): RuntimeFamily {
  const family = runtimeFamily(version);
  if (!family) throw validation(unsupportedRuntimeMessage(version));
  return family;
}

function scheduleOf(input: ScheduleInput, prev: CanaryConfig['schedule'] | undefined): CanaryConfig['schedule'] {
  const expression = input.Expression ?? prev?.expression;
  if (expression === undefined) throw validation('Schedule.Expression is required.');
  return {
    expression,
    durationInSeconds: input.DurationInSeconds ?? prev?.durationInSeconds ?? 0,
    maxRetries: input.RetryConfig?.MaxRetries ?? prev?.maxRetries ?? 0,
  };
}

function runConfigOf(input: RunConfigInput | undefined, prev: CanaryConfig['runConfig'] | undefined, expression: string, now: number): CanaryConfig['runConfig'] {
  const memory = input?.MemoryInMB ?? prev?.memoryInMB ?? DEFAULT_MEMORY_MB;
  if (input?.MemoryInMB !== undefined && input.MemoryInMB % 64 !== 0) throw validation(`RunConfig.MemoryInMB (${input.MemoryInMB}) must be a multiple of 64.`);
  const environment = input?.EnvironmentVariables ?? prev?.environment ?? {};
  for (const key of Object.keys(environment)) {
    if (RESERVED_ENV.test(key)) throw validation(`RunConfig.EnvironmentVariables: ${key} is a reserved environment variable name.`);
  }
  // A changed schedule re-derives the default timeout; an explicit one is checked against it.
  const timeout = effectiveTimeout(parseCanarySchedule(expression), input?.TimeoutInSeconds ?? (input ? undefined : prev?.timeoutInSeconds), now);
  return {
    timeoutInSeconds: timeout,
    memoryInMB: memory,
    activeTracing: input?.ActiveTracing ?? prev?.activeTracing ?? false,
    environment,
    ephemeralStorage: input?.EphemeralStorage ?? prev?.ephemeralStorage,
  };
}

function retention(v: number | undefined, prev: number | undefined): number {
  return v ?? prev ?? DEFAULT_RETENTION_DAYS;
}

/**
 * The members both operations share. The installed SDK's types predate members the service model
 * has (RetryConfig, EphemeralStorage, ProvisionedResourceCleanup); the wire layer passes them on,
 * so they are typed here.
 */
export type ScheduleInput = Partial<CanaryScheduleInput> & { RetryConfig?: { MaxRetries?: number } };
export type RunConfigInput = CanaryRunConfigInput & { EphemeralStorage?: number };
type ConfigInput = Partial<Pick<CreateCanaryRequest & UpdateCanaryRequest, 'RuntimeVersion' | 'ExecutionRoleArn' | 'SuccessRetentionPeriodInDays' | 'FailureRetentionPeriodInDays' | 'ArtifactS3Location' | 'VpcConfig' | 'ArtifactConfig'>>
  & { Schedule?: ScheduleInput; RunConfig?: RunConfigInput; ProvisionedResourceCleanup?: string };

/** The new configuration: `prev` (UpdateCanary) supplies what the input leaves out. Code members are the caller's. */
export function buildConfig(input: ConfigInput, code: { handler: string; sourceLocationArn?: string; blueprintTypes?: string[] }, buckets: ExportDestinations, now: number, prev?: CanaryConfig): CanaryConfig {
  const runtimeVersion = input.RuntimeVersion ?? prev?.runtimeVersion;
  if (!runtimeVersion) throw validation('RuntimeVersion is required.');
  familyOf(runtimeVersion);
  const schedule = scheduleOf(input.Schedule ?? {}, prev?.schedule);
  parseCanarySchedule(schedule.expression);
  const artifactS3Location = input.ArtifactS3Location ?? prev?.artifactS3Location;
  if (!artifactS3Location) throw validation('ArtifactS3Location is required.');
  parseArtifactLocation(artifactS3Location, buckets);
  if (input.VpcConfig?.SubnetIds?.length) {
    throw validation('VpcConfig: Osprey runs canaries on its own host network; a VPC (SubnetIds/SecurityGroupIds) cannot be applied. Omit VpcConfig.');
  }
  return {
    runtimeVersion,
    handler: code.handler,
    sourceLocationArn: code.sourceLocationArn,
    blueprintTypes: code.blueprintTypes,
    executionRoleArn: input.ExecutionRoleArn ?? prev?.executionRoleArn ?? '',
    schedule,
    runConfig: runConfigOf(input.RunConfig, prev?.runConfig, schedule.expression, now),
    successRetentionDays: retention(input.SuccessRetentionPeriodInDays, prev?.successRetentionDays),
    failureRetentionDays: retention(input.FailureRetentionPeriodInDays, prev?.failureRetentionDays),
    artifactS3Location,
    vpcConfig: prev?.vpcConfig,
    visualReference: prev?.visualReference,
    artifactEncryption: (input.ArtifactConfig?.S3Encryption as CanaryConfig['artifactEncryption']) ?? prev?.artifactEncryption,
    provisionedResourceCleanup: input.ProvisionedResourceCleanup ?? prev?.provisionedResourceCleanup,
  };
}
