/**
 * Query history retention: Athena keeps query executions for 45 days; older ones (and the result
 * copies Osprey keeps for GetQueryResults) are deleted hourly. Results written to an OutputLocation
 * are the bucket's to expire, as on AWS.
 */
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { Job } from '../../server/module.ts';
import type { AthenaRepo } from './repo.ts';
import { removeResult } from './results.ts';

export const HISTORY_DAYS = 45;
const EVERY_MS = 3_600_000;

export async function expireHistory(repo: AthenaRepo, resultsDir: string, now: number): Promise<number> {
  let removed = 0;
  for (;;) {
    const batch = await repo.expiredQueries(now - HISTORY_DAYS * 86_400_000, 500);
    for (const q of batch) {
      removeResult(resultsDir, q, q.id);
      await repo.deleteQuery(q, q.id);
    }
    removed += batch.length;
    if (batch.length < 500) return removed;
  }
}

export function historyRetentionJob(repo: AthenaRepo, resultsDir: string, clock: Clock, log: Logger): Job {
  let timer: NodeJS.Timeout | undefined;
  const tick = () => void expireHistory(repo, resultsDir, clock.now()).catch((err) => log.warn({ err }, 'athena: query history retention failed'));
  return {
    name: 'athena-history-retention',
    start: () => {
      tick();
      timer = setInterval(tick, EVERY_MS);
      timer.unref();
    },
    stop: async () => clearInterval(timer),
  };
}
