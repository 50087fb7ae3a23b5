/**
 * Run retention: runs older than SuccessRetentionPeriodInDays (PASSED) or
 * FailureRetentionPeriodInDays (FAILED) are deleted with their local artifact copies. Objects already
 * written to the artifact bucket are the bucket's to expire (an S3 lifecycle rule on AWS).
 */
import { rmSync } from 'node:fs';
import type { Logger } from '../../../lib/logger.ts';
import type { SyntheticsRepo } from '../repo.ts';

const DAY_MS = 86_400_000;

export async function applyRetention(repo: SyntheticsRepo, now: number, log: Logger): Promise<number> {
  let removed = 0;
  const all = await repo.canariesIn(['CREATING', 'READY', 'STARTING', 'RUNNING', 'UPDATING', 'STOPPING', 'STOPPED', 'ERROR']);
  for (const c of all) {
    const expired = await repo.expiredRuns(c, c.id, now - c.config.successRetentionDays * DAY_MS, now - c.config.failureRetentionDays * DAY_MS);
    for (const r of expired) {
      try {
        rmSync(r.localDir, { recursive: true, force: true });
        await repo.deleteRun(c, c.id, r.id);
        removed++;
      } catch (err) {
        log.warn({ err, canary: c.name, run: r.id }, 'synthetics: could not delete an expired run');
      }
    }
  }
  return removed;
}
