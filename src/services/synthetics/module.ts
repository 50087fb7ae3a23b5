/**
 * The CloudWatch Synthetics module: canaries (code zip, schedule, run config, retention, visual
 * reference), their runs in real Chromium through the runtime child process, groups and tags. Runs
 * publish CloudWatchSynthetics metrics, a log stream and EventBridge events through env.call/bus.
 */
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { leaseGated } from '../../jobs/lease-gated-job.ts';
import { leaseOf } from '../../jobs/leased-task.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import { exportDestinationsFrom } from '../../store/buckets/sinks.ts';
import { artifactRoute } from './artifact-route.ts';
import { createCanary, deleteCanary, describeCanaries, getCanary, updateCanary } from './canaries.ts';
import { findChromium } from './chromium.ts';
import type { SyntheticsDeps } from './deps.ts';
import { associateResource, createGroup, deleteGroup, disassociateResource, getGroup, listAssociatedGroups, listGroupResources, listGroups } from './groups.ts';
import { startCanary, stopCanary } from './lifecycle.ts';
import { SyntheticsStore } from './repo.ts';
import { createCanaryRunner } from './runner/index.ts';
import { describeCanariesLastRun, describeRuntimeVersions, getCanaryRuns } from './runs-api.ts';
import { SYNTHETICS_MIGRATIONS } from './schema.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';
import './operations.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CANARY_RUNTIME_BUNDLE = join(ROOT, 'dist', 'canary-runtime.cjs');

export async function createSynthetics(env: Env): Promise<ServiceModule<'synthetics'>> {
  await env.migrate('synthetics', SYNTHETICS_MIGRATIONS);
  const repo = new SyntheticsStore(env.db);
  const buckets = exportDestinationsFrom(env.config.export);
  const root = join(env.dataDir, 'synthetics');
  const artifactsRoot = join(root, 'artifacts');
  const chromium = findChromium(env.config.syntheticsChromium);
  const runner = createCanaryRunner({
    repo, buckets, root, artifactsRoot, db: env.db, clock: env.clock, concurrency: env.config.syntheticsConcurrency, leaseMs: env.config.leaseMs,
    chromiumPath: chromium ?? 'chromium-not-found', bundlePath: CANARY_RUNTIME_BUNDLE,
    env: { call: env.call, serviceCtx: env.serviceCtx, bus: env.bus, log: env.log },
  });
  const deps: SyntheticsDeps = { repo, clock: env.clock, log: env.log, buckets, changed: () => runner.wake(), artifactsRoot };
  const handlers: ServiceHandlers<'synthetics'> = {
    CreateCanary: (ctx, input) => createCanary(deps, ctx, input),
    UpdateCanary: (ctx, input) => updateCanary(deps, ctx, input),
    DeleteCanary: (ctx, input) => deleteCanary(deps, ctx, input),
    GetCanary: (ctx, input) => getCanary(deps, ctx, input),
    DescribeCanaries: (ctx, input) => describeCanaries(deps, ctx, input),
    StartCanary: (ctx, input) => startCanary(deps, ctx, input),
    StopCanary: (ctx, input) => stopCanary(deps, ctx, input),
    GetCanaryRuns: (ctx, input) => getCanaryRuns(deps, ctx, input),
    DescribeCanariesLastRun: (ctx, input) => describeCanariesLastRun(deps, ctx, input),
    DescribeRuntimeVersions: (ctx, input) => describeRuntimeVersions(deps, ctx, input),
    CreateGroup: (ctx, input) => createGroup(deps, ctx, input),
    GetGroup: (ctx, input) => getGroup(deps, ctx, input),
    DeleteGroup: (ctx, input) => deleteGroup(deps, ctx, input),
    ListGroups: (ctx, input) => listGroups(deps, ctx, input),
    AssociateResource: (ctx, input) => associateResource(deps, ctx, input),
    DisassociateResource: (ctx, input) => disassociateResource(deps, ctx, input),
    ListGroupResources: (ctx, input) => listGroupResources(deps, ctx, input),
    ListAssociatedGroups: (ctx, input) => listAssociatedGroups(deps, ctx, input),
    TagResource: (ctx, input) => tagResource(deps, ctx, input),
    UntagResource: (ctx, input) => untagResource(deps, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(deps, ctx, input),
  };
  if (!chromium) env.log.warn('synthetics: no Chromium found (install chromium or set syntheticsChromium); canary runs will fail with EXECUTION_FAILURE');
  // A source checkout whose runtime changed since `npm install` gets a fresh bundle before any run.
  const bundle = {
    name: 'synthetics-runtime-bundle',
    async start() {
      try {
        const script = join(ROOT, 'scripts', 'build-canary-runtime.mjs');
        const { buildCanaryRuntime } = (await import(pathToFileURL(script).href)) as { buildCanaryRuntime(o: { ifStale: boolean }): Promise<string> };
        await buildCanaryRuntime({ ifStale: true });
      } catch (err) {
        env.log.error({ err }, 'synthetics: the canary runtime bundle could not be built; runs will fail until `npm install` builds it');
      }
    },
    stop: async () => {},
  };
  // One node of a cluster runs canaries: a dead holder's canaries move to another within a lease period.
  const leased = leaseGated(runner, leaseOf(env, 'synthetics.canaries'));
  return {
    name: 'synthetics', handlers, routes: [artifactRoute(repo)], jobs: [bundle, leased],
    close: () => buckets.close(),
  };
}
