/**
 * Amazon Data Firehose (awsJson1_1): DirectPut and Kinesis-sourced delivery streams that buffer
 * records durably in SQLite and deliver them to the operator's buckets (export.buckets, S3 object
 * naming, prefixes, dynamic partitioning, compression, processors) or to HTTP endpoints (Firehose's
 * request format, retries, S3 backup), with AWS/Firehose metrics and CloudWatch Logs error logging.
 */
import { effectiveAccessKeys } from '../../config/config.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import { ServiceMetrics } from '../../server/service-metrics.ts';
import { bucketOwnersFrom } from '../../store/buckets/owners.ts';
import { exportDestinationsFrom } from '../../store/buckets/sinks.ts';
import { CommitGroup } from '../../store/meta/commit-group.ts';
import { DeliveryEngine } from './delivery.ts';
import { leaseGated } from '../../jobs/lease-gated-job.ts';
import { leaseOf } from '../../jobs/leased-task.ts';
import type { FirehoseDeps } from './deps.ts';
import { deliveryErrorLog } from './error-log.ts';
import { KinesisSourcePoller } from './kinesis-source.ts';
import { putRecord, putRecordBatch } from './put.ts';
import { FirehoseRepo } from './repo.ts';
import { FIREHOSE_MIGRATIONS } from './schema.ts';
import { createDeliveryStream, deleteDeliveryStream, describeDeliveryStream, listDeliveryStreams, updateDestination } from './streams.ts';
import { listTagsForDeliveryStream, startEncryption, stopEncryption, tagDeliveryStream, untagDeliveryStream } from './tags.ts';
import './operations.ts';

const METRICS_FLUSH_MS = 5_000;
/** How often due buffers are looked for: the finest interval a buffer can be delivered at. */
const DELIVERY_TICK_MS = 200;
const KINESIS_POLL_MS = 1_000;

export async function createFirehose(env: Env): Promise<ServiceModule<'firehose'>> {
  await env.migrate('firehose', FIREHOSE_MIGRATIONS);
  const repo = new FirehoseRepo(env.db);
  const buckets = exportDestinationsFrom(env.config.export);
  const owners = bucketOwnersFrom(env.config.export.bucketOwners, effectiveAccessKeys(env.config).map((k) => k.accountId));
  const metrics = new ServiceMetrics('AWS/Firehose', (points) => env.telemetry.metricPoints.append(points), () => env.clock.now(), env.log);
  const delivery = new DeliveryEngine({
    repo, clock: env.clock, writer: { buckets, owners }, metrics, errorLog: deliveryErrorLog(env), log: env.log, tickMs: DELIVERY_TICK_MS,
    adoptStored: env.db.dialect === 'postgres',
  });
  const deps: FirehoseDeps = { repo, commits: new CommitGroup(env.db), clock: env.clock, buckets, owners, delivery, metrics };
  const kinesis = new KinesisSourcePoller({ env, repo, delivery, metrics, pollMs: KINESIS_POLL_MS });
  const handlers: ServiceHandlers<'firehose'> = {
    CreateDeliveryStream: (ctx, input) => createDeliveryStream(deps, ctx, input),
    DeleteDeliveryStream: (ctx, input) => deleteDeliveryStream(deps, ctx, input),
    DescribeDeliveryStream: (ctx, input) => describeDeliveryStream(deps, ctx, input),
    ListDeliveryStreams: (ctx, input) => listDeliveryStreams(deps, ctx, input),
    UpdateDestination: (ctx, input) => updateDestination(deps, ctx, input),
    PutRecord: (ctx, input) => putRecord(deps, ctx, input),
    PutRecordBatch: (ctx, input) => putRecordBatch(deps, ctx, input),
    TagDeliveryStream: (ctx, input) => tagDeliveryStream(deps, ctx, input),
    UntagDeliveryStream: (ctx, input) => untagDeliveryStream(deps, ctx, input),
    ListTagsForDeliveryStream: (ctx, input) => listTagsForDeliveryStream(deps, ctx, input),
    StartDeliveryStreamEncryption: (ctx, input) => startEncryption(deps, ctx, input),
    StopDeliveryStreamEncryption: (ctx, input) => stopEncryption(deps, ctx, input),
  };
  return {
    name: 'firehose',
    handlers,
    jobs: [
      // One node of a cluster delivers and reads Kinesis sources: the holder of this lease; records
      // put on the other nodes are in the store, where the holder finds them (adoptStored).
      leaseGated({
        name: 'firehose-delivery',
        start: async () => { await delivery.start(); kinesis.start(); },
        stop: async () => { await kinesis.stop(); await delivery.stop(); },
      }, leaseOf(env, 'firehose.delivery')),
      { name: 'firehose-metrics', start: () => metrics.start(METRICS_FLUSH_MS), stop: () => metrics.stop() },
    ],
    close: () => buckets.close(),
  };
}
