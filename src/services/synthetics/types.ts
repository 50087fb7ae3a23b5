/** What Osprey keeps of a canary, a run and a group (the repository's records). */
import type { BaseScreenshot, VpcConfigOutput } from '@aws-sdk/client-synthetics';
import type { Scope } from '../../lib/arn.ts';

export type CanaryState = 'CREATING' | 'READY' | 'STARTING' | 'RUNNING' | 'UPDATING' | 'STOPPING' | 'STOPPED' | 'ERROR' | 'DELETING';
export type RunState = 'RUNNING' | 'PASSED' | 'FAILED';

/** A canary's configuration, as the API describes it (JSON in the canaries table). */
export interface CanaryConfig {
  runtimeVersion: string;
  handler: string;
  /** Set when the code came from S3Bucket/S3Key: `arn:aws:s3:::bucket/key[/version]`. */
  sourceLocationArn?: string;
  blueprintTypes?: string[];
  executionRoleArn: string;
  schedule: { expression: string; durationInSeconds: number; maxRetries: number };
  runConfig: { timeoutInSeconds: number; memoryInMB: number; activeTracing: boolean; environment: Record<string, string>; ephemeralStorage?: number };
  successRetentionDays: number;
  failureRetentionDays: number;
  artifactS3Location: string;
  vpcConfig?: VpcConfigOutput;
  visualReference?: { baseCanaryRunId: string; baseScreenshots: BaseScreenshot[] };
  artifactEncryption?: { EncryptionMode?: string; KmsKeyArn?: string };
  provisionedResourceCleanup?: string;
}

export interface CanaryRecord {
  name: string;
  id: string;
  config: CanaryConfig;
  codeSha: string;
  state: CanaryState;
  stateReason?: string;
  stateReasonCode?: string;
  createdAt: number;
  modifiedAt: number;
  lastStarted?: number;
  lastStopped?: number;
  tags: Record<string, string>;
}

export type StoredCanary = CanaryRecord & Scope;

export interface RunRecord {
  canaryId: string;
  id: string;
  scheduledRunId: string;
  retryAttempt: number;
  state: RunState;
  stateReason?: string;
  stateReasonCode?: 'CANARY_FAILURE' | 'EXECUTION_FAILURE';
  started: number;
  completed?: number;
  /** s3://bucket/prefix/canary/<region>/<name>-<id>/yyyy/mm/dd/hh/<runId> */
  artifactLocation: string;
  localDir: string;
  /** The finished run's result (runtime/job.ts CanaryResult), JSON. */
  result?: string;
}

export interface GroupRecord {
  id: string;
  name: string;
  createdAt: number;
  modifiedAt: number;
  tags: Record<string, string>;
}
