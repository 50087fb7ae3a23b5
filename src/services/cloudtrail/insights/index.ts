/**
 * CloudTrail Insights: ApiCallRateInsight and ApiErrorRateInsight for trails with insight selectors.
 * Every `cloudtrail.insightsIntervalMs` (AWS: one minute; also the counting interval — see
 * decide.ts for the rule) the interval that just ended is compared with the baseline over the
 * trailing `cloudtrail.insightsWindowMs` (AWS: 7 days); Start and End records go through the
 * recorder, so LookupEvents (EventCategory=insight), trail delivery and Lake see them.
 */
import type { Job } from '../../../server/module.ts';
import type { CloudTrailDeps } from '../deps.ts';
import { runInsightsPass, type PassDeps } from './evaluate.ts';
import { INSIGHTS_MIGRATIONS } from './schema.ts';
import { OpenInsightsStore } from './store.ts';

export async function insightsJobs(deps: CloudTrailDeps): Promise<Job[]> {
  const { env } = deps;
  await env.migrate('cloudtrail-insights', INSIGHTS_MIGRATIONS);
  const intervalMs = env.config.cloudtrail.insightsIntervalMs;
  const pass: PassDeps = {
    engine: deps.events.engine,
    recorder: deps.recorder,
    existingIds: (ids) => deps.events.existingIds(ids),
    trails: deps.trails,
    open: new OpenInsightsStore(env.db),
    intervalMs,
    windowMs: env.config.cloudtrail.insightsWindowMs,
    log: env.log,
  };
  // A pass runs just after each interval ends (aligned on multiples of it), with a grace for calls
  // answered right at the boundary to be recorded.
  const grace = Math.min(1000, Math.ceil(intervalMs / 10));
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const schedule = () => {
    const now = env.clock.now();
    timer = setTimeout(() => {
      running = runInsightsPass(pass, env.clock.now())
        .catch((err) => env.log.error({ err }, 'CloudTrail Insights pass failed; retrying next interval'))
        .finally(() => {
          running = undefined;
          if (timer) schedule();
        });
    }, intervalMs - (now % intervalMs) + grace);
    timer.unref();
  };
  return [{
    name: 'cloudtrail-insights',
    start: () => schedule(),
    stop: async () => {
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  }];
}
