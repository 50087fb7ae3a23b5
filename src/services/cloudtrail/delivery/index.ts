/**
 * Trail delivery to log groups and buckets: not built yet. Trails are stored, selected and report
 * status, but nothing is written to their destinations (README "Limits and known gaps").
 */
import type { Job } from '../../../server/module.ts';
import type { CloudTrailDeps } from '../deps.ts';

export function deliveryJobs(deps: CloudTrailDeps): Job[] {
  void deps;
  return [];
}
