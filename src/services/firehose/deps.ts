/** What the Firehose handlers share; built once by the module. */
import { arn } from '../../lib/arn.ts';
import type { Clock } from '../../lib/clock.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { ServiceMetrics } from '../../server/service-metrics.ts';
import type { ExportDestinations } from '../../store/buckets/sinks.ts';
import type { CommitGroup } from '../../store/meta/commit-group.ts';
import { invalid, type CompiledDestination, type S3Target } from './destination.ts';
import type { FirehoseRepo, StreamKey, StreamRow } from './repo.ts';

/** The delivery engine as the handlers see it (delivery.ts). */
export interface DeliveryControl {
  /** Records just committed for a stream. */
  added(stream: StreamRow, records: { seq: number; arrivedAt: number; data: Buffer }[]): void;
  /** The stream's configuration changed (or it was deleted): rebuild its buffers. */
  changed(streamId: number): void;
}

export interface FirehoseDeps {
  repo: FirehoseRepo;
  commits: CommitGroup;
  clock: Clock;
  buckets: Pick<ExportDestinations, 'has' | 'bucket'>;
  /** The accounts that own a mapped bucket (export.bucketOwners). */
  owners: (bucket: string) => readonly string[];
  delivery: DeliveryControl;
  metrics: ServiceMetrics;
}

export const streamArn = (k: StreamKey): string => arn('firehose', k, `deliverystream/${k.name}`);

export function notFound(ctx: Ctx, name: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Firehose ${name} under account ${ctx.account} not found.`);
}

export async function resolveStream(deps: FirehoseDeps, ctx: Ctx, name: string | undefined): Promise<StreamRow> {
  const s = await deps.repo.get({ account: ctx.account, region: ctx.region, name: name ?? '' });
  if (!s) throw notFound(ctx, name ?? '');
  return s;
}

/** A bucket the caller may deliver into: mapped by the operator and owned by the caller's account. */
export function checkBucket(deps: FirehoseDeps, account: string, t: S3Target): void {
  if (!deps.buckets.has(t.bucket)) {
    throw invalid(`Bucket ${t.bucket} does not exist here: Osprey delivers only to buckets mapped to file:///absolute/dir or s3://bucket[@http(s)://endpoint] in the config file (export.buckets) or OSPREY_EXPORT_BUCKETS.`);
  }
  if (!deps.owners(t.bucket).includes(account)) {
    throw invalid(`Access was denied to bucket ${t.bucket}: account ${account} does not own it (export.bucketOwners).`);
  }
}

export function checkBuckets(deps: FirehoseDeps, account: string, d: CompiledDestination): void {
  checkBucket(deps, account, d.kind === 's3' ? d.s3 : d.backup);
  if (d.kind === 's3' && d.sourceBackup) checkBucket(deps, account, d.sourceBackup);
}
