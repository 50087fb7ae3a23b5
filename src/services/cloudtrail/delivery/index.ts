/**
 * Trail delivery: every `cloudtrail.deliveryIntervalMs` (AWS: about every 5 minutes), or sooner once
 * 1,000 new records were stored, each trail's new records go to its log group and bucket
 * (pass.ts says how failures are retried). Wiring (module.ts): `...deliveryJobs(deps, digestLedger)`.
 */
import { telemetryTaskOf } from '../../../jobs/telemetry-task.ts';
import type { Job } from '../../../server/module.ts';
import type { CloudTrailDeps } from '../deps.ts';
import type { DigestLedger } from '../digest/ledger.ts';
import { BucketDestination, type NotificationStatus } from './bucket.ts';
import { LogGroupDestination } from './log-group.ts';
import { DeliveryPass } from './pass.ts';
import { BATCH_RECORDS, readPending } from './read.ts';

export function deliveryJobs(deps: CloudTrailDeps, ledger: DigestLedger): Job[] {
  const { env } = deps;
  const { buckets } = deps;
  const notified = async (trailArn: string, status: NotificationStatus) => {
    if (deps.trails.get(trailArn)) await deps.trails.updateStatus(trailArn, status);
  };
  const pass = new DeliveryPass({
    trails: deps.trails,
    flush: () => deps.recorder.flush(),
    read: (trail, cursor, window) => readPending(deps.events.engine, trail, cursor, window),
    destinations: [
      new BucketDestination({ buckets, ledger, env, log: env.log, notified }),
      new LogGroupDestination(env),
    ],
    now: () => env.clock.now(),
    log: env.log,
  });

  let stored = 0;
  // Each node delivers the records its own telemetry holds; with a shared store, one node (a lease).
  const task = telemetryTaskOf(env, 'cloudtrail-delivery', env.config.cloudtrail.deliveryIntervalMs, () => {
    stored = 0;
    return pass.run();
  });
  let unsubscribe: (() => void) | undefined;
  return [{
    name: 'cloudtrail-delivery',
    start: () => {
      // A full log file's worth of new records is delivered without waiting for the interval.
      unsubscribe = env.bus.subscribe('trail.recorded', (f) => {
        stored += f.events.length;
        if (stored >= BATCH_RECORDS) task.kick();
      });
      task.start();
    },
    stop: async () => {
      unsubscribe?.();
      await task.stop();
    },
  }];
}
