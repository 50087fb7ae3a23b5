/**
 * The CloudTrail module: every API call to every Osprey service becomes a CloudTrail record (built
 * from the protocol layer's audit record, made durable in the recorder's log before the call is
 * answered), kept 90 days as event history (LookupEvents), delivered by trails to log groups and
 * buckets, published on the default event bus, queried through Lake and watched by Insights.
 */
import { join } from 'node:path';
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import { exportDestinationsFrom } from '../../store/buckets/sinks.ts';
import type { CloudTrailDeps } from './deps.ts';
import { deliveryJobs } from './delivery/index.ts';
import { digestHandlers, digestJobs, openDigestLedger } from './digest/index.ts';
import { lookupEvents } from './history/lookup-events.ts';
import { insightsJobs } from './insights/index.ts';
import { lakeHandlers } from './lake/handlers.ts';
import { callRecorder } from './recorder/call-recorder.ts';
import { TrailRecorder } from './recorder/recorder.ts';
import { CLOUDTRAIL_MIGRATIONS } from './schema.ts';
import { trailHandlers } from './trails/handlers.ts';
import { TrailStore } from './trails/repo.ts';

export async function createCloudtrail(env: Env): Promise<ServiceModule<'cloudtrail'>> {
  await env.migrate('cloudtrail', CLOUDTRAIL_MIGRATIONS);
  const events = env.telemetry.trailEvents;
  const recorder = await TrailRecorder.open({
    dir: join(env.dataDir, 'cloudtrail-log'), fsync: env.config.fsync, store: events, log: env.log,
    // Stored records reach other services (EventBridge's "AWS API Call via CloudTrail") as a fact.
    stored: (batch) => env.bus.publish({ kind: 'trail.recorded', events: batch }),
  });
  const trails = await TrailStore.open(env.db, env.telemetryScope.id);
  const deps: CloudTrailDeps = { env, events, recorder, trails, buckets: exportDestinationsFrom(env.config.export) };
  const lake = await lakeHandlers(deps);
  const digestLedger = await openDigestLedger(deps);
  const handlers: ServiceHandlers<'cloudtrail'> = {
    LookupEvents: (ctx, input) => lookupEvents(deps, ctx, input),
    ...trailHandlers(deps),
    ...lake.handlers,
    ...digestHandlers(deps),
  };
  return {
    name: 'cloudtrail',
    handlers,
    recorder: callRecorder(deps, lake.dataEvents),
    jobs: [recorder.job(), ...deliveryJobs(deps, digestLedger), ...(await insightsJobs(deps)), ...lake.jobs, ...digestJobs(deps, digestLedger)],
    close: async () => {
      trails.close();
      await recorder.close();
      await deps.buckets.close();
    },
  };
}
