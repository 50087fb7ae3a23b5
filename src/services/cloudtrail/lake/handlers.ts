/**
 * CloudTrail Lake: event data stores (stores.ts) and SQL queries over them (queries.ts), compiled
 * to ClickHouse (sql/) over the store's rows (source.ts: `trail_events` filtered by the store's
 * scope, selectors, start and retention; archive.ts: stores keeping more than 90 days). The event
 * history itself is LookupEvents; a store created with default selectors sees the management
 * events recorded since its creation. The job archives, expires, removes stores whose 7-day
 * pending deletion ended and query results older than 7 days, and fails queries whose node is gone
 * (a query runs on the node that started it, over that node's telemetry).
 */
import type { ServiceHandlers } from '../../../protocol/operations.ts';
import { telemetryTaskOf } from '../../../jobs/telemetry-task.ts';
import type { Env, Job } from '../../../server/module.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { LakeArchive } from './archive.ts';
import { lakeDataEvents, type LakeDataEvents } from './data-events.ts';
import { queryHandlers } from './queries.ts';
import { LakeRepo } from './repo.ts';
import { PENDING_DELETION_MS, storeHandlers } from './stores.ts';

const COPY_MS = 5_000;
const EXPIRE_MS = 3600_000;
const RESULTS_KEPT_MS = 7 * 86_400_000;

/** `dataEvents`: for the call recorder, which data calls stores select (see data-events.ts). */
export async function lakeHandlers(deps: CloudTrailDeps): Promise<{ handlers: ServiceHandlers<'cloudtrail'>; jobs: Job[]; dataEvents: LakeDataEvents }> {
  const { env } = deps;
  const repo = await LakeRepo.open(env.db, env.telemetryScope.id);
  const archive = new LakeArchive(deps.events.engine, repo, env.log);
  const maxSeq = async () => {
    // Records of calls answered before the store existed are stored first, so they fall below its start.
    await deps.recorder.flush();
    return deps.events.maxSeq();
  };
  const handlers: ServiceHandlers<'cloudtrail'> = {
    ...storeHandlers({ repo, maxSeq }),
    ...queryHandlers({
      repo, engine: deps.events.engine, flush: () => deps.recorder.flush(), log: env.log, node: env.nodeId,
      source: (store, now) => archive.source(store, now),
    }),
  };
  return { handlers, jobs: [lakeJob(env, repo, archive)], dataEvents: lakeDataEvents(repo) };
}

/**
 * Over this node's telemetry (or, with a shared server, on one node under the lease): archive
 * copies every few seconds, the hourly sweep; and on any node, failing the queries of nodes that
 * are gone — at start (a crashed predecessor's) and once per lease period (a cluster node's: it is
 * gone once its heartbeat is a lease period old).
 */
function lakeJob(env: Env, repo: LakeRepo, archive: LakeArchive): Job {
  const failAbandoned = async () => {
    const now = env.clock.now();
    const live = (await env.nodes.list()).filter((n) => n.lastSeen > now - env.config.leaseMs).map((n) => n.nodeId);
    const failed = await repo.failAbandoned([...new Set([env.nodeId, ...live])]);
    if (failed > 0) env.log.warn({ failed }, 'Lake queries of a node that is gone were failed');
  };
  const sweep = async (now: number) => {
    for (const s of repo.allStores()) {
      if (s.status === 'PENDING_DELETION' && s.updated + PENDING_DELETION_MS <= now) await repo.remove(s.arn);
    }
    await repo.dropQueriesBefore(now - RESULTS_KEPT_MS);
    await archive.expire(now);
  };
  let lastSweep = Number.NEGATIVE_INFINITY;
  let lastCheck = Number.NEGATIVE_INFINITY;
  const task = telemetryTaskOf(env, 'cloudtrail-lake', COPY_MS, async () => {
    const now = Date.now();
    await archive.copyAll(now);
    if (now - lastCheck >= env.config.leaseMs) {
      lastCheck = now;
      await failAbandoned();
    }
    if (now - lastSweep >= EXPIRE_MS) {
      lastSweep = now;
      await sweep(now);
    }
  });
  return {
    name: 'cloudtrail-lake',
    start: async () => {
      await failAbandoned().catch((err: unknown) => env.log.error({ err }, 'failing abandoned Lake queries failed; retrying'));
      await archive.start().catch((err: unknown) => env.log.error({ err }, 'Lake archive start failed'));
      task.start();
      task.kick();
    },
    // No last copy: the records stay in trail_events, and the next start (or holder) copies them.
    stop: () => task.stop(),
  };
}
