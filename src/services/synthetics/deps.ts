/** What Synthetics' handlers and runner share. */
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { ExportDestinations } from '../../store/buckets/sinks.ts';
import type { SyntheticsRepo } from './repo.ts';

export interface SyntheticsDeps {
  repo: SyntheticsRepo;
  clock: Clock;
  log: Logger;
  /** The operator's buckets (`export.buckets`): code from S3Bucket/S3Key, artifacts to ArtifactS3Location. */
  buckets: ExportDestinations;
  /** A canary changed state or schedule: the runner looks again now. */
  changed(): void;
  /** Local copies of every run's artifacts: `<artifactsRoot>/<account>/<region>/<canaryId>/<runId>/`. */
  artifactsRoot: string;
}

/** Canaries per account per Region (CloudWatch Synthetics quotas: 200, adjustable → `synthetics.canaries`). */
export const MAX_CANARIES = 200;
/** Groups per account (quota 20) and canaries per group (10). */
export const MAX_GROUPS = 20;
export const MAX_GROUP_RESOURCES = 10;
