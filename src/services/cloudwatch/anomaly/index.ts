/**
 * Anomaly detection: detectors (PutAnomalyDetector & co.), the models behind ANOMALY_DETECTION_BAND
 * and band alarms, and the job that refits them as data arrives.
 */
import { leaseOf } from '../../../jobs/leased-task.ts';
import { oneNodeTask } from '../../../jobs/telemetry-task.ts';
import type { Env } from '../../../server/module.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { GetMetricDataInput, GetMetricDataResult } from '../get-metric-data/index.ts';
import { anomalyHandlers } from './handlers.ts';
import { AnomalyModels } from './models.ts';
import { ANOMALY_MIGRATIONS, AnomalyStore } from './repo.ts';
import { trainingQuery } from './training-query.ts';

export { AnomalyModels } from './models.ts';
export { detectorMetricOf } from './detector.ts';

const REFRESH_TICK_MS = 60_000;

type GetMetricData = (ctx: Ctx, input: GetMetricDataInput) => Promise<Pick<GetMetricDataResult, 'MetricDataResults'>>;

export async function createAnomaly(env: Env, getMetricData: GetMetricData) {
  await env.migrate('cloudwatch-anomaly', ANOMALY_MIGRATIONS);
  const repo = new AnomalyStore(env.db);
  const ctxFor = (s: { account: string; region: string }) => env.serviceCtx({ ...s, principalArn: 'arn:aws:iam::aws:role/cloudwatch-anomaly-detection' });
  // Models older than anomalyRetrainSeconds (15 minutes) are refitted: the band follows new data.
  const retrainMs = env.config.anomalyRetrainSeconds * 1000;
  const models = new AnomalyModels({ repo, query: trainingQuery(getMetricData, ctxFor), clock: env.clock, log: env.log, retrainMs, changes: env.changes });
  const refresh = async () => {
    const started = performance.now();
    const n = await models.refresh();
    if (n > 0) env.log.info({ models: n, ms: Math.round(performance.now() - started) }, 'anomaly models refitted');
  };
  // The models are shared metadata: one node of a cluster refits them (the `cloudwatch.anomaly`
  // lease), at the refresh interval, whatever the telemetry (a model written by every node in turn
  // would flap between their data when each keeps its own).
  const task = oneNodeTask({ ...leaseOf(env, 'cloudwatch.anomaly'), intervalMs: Math.min(REFRESH_TICK_MS, retrainMs), task: refresh });
  return {
    models,
    handlers: anomalyHandlers(models, repo),
    job: {
      name: 'anomaly-models',
      start: () => task.start(),
      stop: () => task.stop(),
    },
  };
}
