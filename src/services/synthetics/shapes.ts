/** Records → the API's output shapes (Canary, CanaryRun, Group). */
import type { Canary, CanaryRun, Group } from '@aws-sdk/client-synthetics';
import type { Scope } from '../../lib/arn.ts';
import { canaryArn, engineArn, groupArn } from './names.ts';
import type { CanaryRecord, GroupRecord, RunRecord } from './types.ts';

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

export function canaryShape(s: Scope, c: CanaryRecord): Canary {
  const cfg = c.config;
  return {
    Id: c.id,
    Name: c.name,
    Code: { SourceLocationArn: cfg.sourceLocationArn ?? `${canaryArn(s, c.name)}/code/${c.codeSha.slice(0, 16)}`, Handler: cfg.handler, ...(cfg.blueprintTypes ? { BlueprintTypes: cfg.blueprintTypes } : {}) } as Canary['Code'],
    ExecutionRoleArn: cfg.executionRoleArn,
    Schedule: { Expression: cfg.schedule.expression, DurationInSeconds: cfg.schedule.durationInSeconds, RetryConfig: { MaxRetries: cfg.schedule.maxRetries } } as Canary['Schedule'],
    RunConfig: { TimeoutInSeconds: cfg.runConfig.timeoutInSeconds, MemoryInMB: cfg.runConfig.memoryInMB, ActiveTracing: cfg.runConfig.activeTracing, ...(cfg.runConfig.ephemeralStorage ? { EphemeralStorage: cfg.runConfig.ephemeralStorage } : {}) },
    SuccessRetentionPeriodInDays: cfg.successRetentionDays,
    FailureRetentionPeriodInDays: cfg.failureRetentionDays,
    Status: { State: c.state, StateReason: c.stateReason, StateReasonCode: c.stateReasonCode as NonNullable<Canary['Status']>['StateReasonCode'] },
    Timeline: { Created: date(c.createdAt), LastModified: date(c.modifiedAt), LastStarted: date(c.lastStarted), LastStopped: date(c.lastStopped) },
    ArtifactS3Location: cfg.artifactS3Location.replace(/^s3:\/\//, ''),
    EngineArn: engineArn(s, c.name, c.id),
    RuntimeVersion: cfg.runtimeVersion,
    VpcConfig: cfg.vpcConfig,
    VisualReference: cfg.visualReference ? { BaseCanaryRunId: cfg.visualReference.baseCanaryRunId, BaseScreenshots: cfg.visualReference.baseScreenshots } : undefined,
    Tags: Object.keys(c.tags).length ? c.tags : undefined,
    ArtifactConfig: cfg.artifactEncryption ? { S3Encryption: cfg.artifactEncryption as NonNullable<Canary['ArtifactConfig']>['S3Encryption'] } : undefined,
    ...(cfg.provisionedResourceCleanup ? { ProvisionedResourceCleanup: cfg.provisionedResourceCleanup } : {}),
  };
}

export function runShape(name: string, r: RunRecord): CanaryRun {
  return {
    Id: r.id,
    Name: name,
    Status: { State: r.state, StateReason: r.stateReason, StateReasonCode: r.stateReasonCode },
    Timeline: { Started: date(r.started), Completed: date(r.completed) },
    ArtifactS3Location: r.artifactLocation.replace(/^s3:\/\//, ''),
    // Newer models' members (ScheduledRunId, RetryAttempt, TestResult): clients without them ignore them.
    ...({ ScheduledRunId: r.scheduledRunId, RetryAttempt: r.retryAttempt } as object),
  };
}

export function groupShape(s: Scope, g: GroupRecord): Group {
  return { Id: g.id, Name: g.name, Arn: groupArn(s, g.id), Tags: g.tags, CreatedTime: date(g.createdAt), LastModifiedTime: date(g.modifiedAt) };
}
