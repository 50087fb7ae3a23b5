/** CloudTrail Insights: not built yet; PutInsightSelectors is stored, no Insights events are raised. */
import type { Job } from '../../../server/module.ts';
import type { CloudTrailDeps } from '../deps.ts';

export function insightsJobs(deps: CloudTrailDeps): Job[] {
  void deps;
  return [];
}
