/**
 * CloudTrail Lake: event data stores (stores.ts) and SQL queries over them (queries.ts), compiled
 * to ClickHouse (sql/) over the store's rows (source.ts: `trail_events` filtered by the store's
 * scope, selectors, start and retention; archive.ts: stores keeping more than 90 days). The event
 * history itself is LookupEvents; a store created with default selectors sees the management
 * events recorded since its creation. The job archives, expires, removes stores whose 7-day
 * pending deletion ended and query results older than 7 days, and fails queries a previous process
 * left running.
 */
import type { ServiceHandlers } from '../../../protocol/operations.ts';
import type { Job } from '../../../server/module.ts';
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
  const repo = await LakeRepo.open(deps.env.db);
  const archive = new LakeArchive(deps.events.engine, repo, deps.env.log);
  const maxSeq = async () => {
    // Records of calls answered before the store existed are stored first, so they fall below its start.
    await deps.recorder.flush();
    return deps.events.maxSeq();
  };
  const handlers: ServiceHandlers<'cloudtrail'> = {
    ...storeHandlers({ repo, maxSeq }),
    ...queryHandlers({
      repo, engine: deps.events.engine, flush: () => deps.recorder.flush(), log: deps.env.log,
      source: (store, now) => archive.source(store, now),
    }),
  };
  return { handlers, jobs: [lakeJob(repo, archive, deps.env.log)], dataEvents: lakeDataEvents(repo) };
}

function lakeJob(repo: LakeRepo, archive: LakeArchive, log: CloudTrailDeps['env']['log']): Job {
  let copyTimer: NodeJS.Timeout | undefined;
  let expireTimer: NodeJS.Timeout | undefined;
  const sweep = async () => {
    const now = Date.now();
    const removed: string[] = [];
    for (const s of repo.allStores()) {
      if (s.status === 'PENDING_DELETION' && s.updated + PENDING_DELETION_MS <= now) {
        await repo.remove(s.arn);
        removed.push(s.id);
      }
    }
    await repo.dropQueriesBefore(now - RESULTS_KEPT_MS);
    await archive.expire(now, removed);
  };
  const failed = (what: string) => (err: unknown) => log.error({ err }, `Lake ${what} failed; retrying`);
  return {
    name: 'cloudtrail-lake',
    start: async () => {
      await repo.failUnfinished();
      await archive.start().catch(failed('archive start'));
      await sweep().catch(failed('expiry'));
      copyTimer = setInterval(() => void archive.copyAll(Date.now()).catch(() => undefined), COPY_MS);
      expireTimer = setInterval(() => void sweep().catch(failed('expiry')), EXPIRE_MS);
      copyTimer.unref();
      expireTimer.unref();
    },
    stop: async () => {
      clearInterval(copyTimer);
      clearInterval(expireTimer);
      await archive.copyAll(Date.now()).catch(() => undefined);
    },
  };
}
