/**
 * Anomaly detection: detectors (PutAnomalyDetector & co.), the models behind ANOMALY_DETECTION_BAND
 * and band alarms, and the job that refits them as data arrives.
 */
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
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    const started = performance.now();
    running = models.refresh()
      .then((n) => { if (n > 0) env.log.info({ models: n, ms: Math.round(performance.now() - started) }, 'anomaly models refitted'); })
      .catch((e: unknown) => env.log.warn({ err: e }, 'anomaly model refresh failed'))
      .finally(() => (running = undefined));
  };
  return {
    models,
    handlers: anomalyHandlers(models, repo),
    job: {
      name: 'anomaly-models',
      start: () => { timer = setInterval(tick, Math.min(REFRESH_TICK_MS, retrainMs)); timer.unref?.(); },
      stop: async () => { if (timer) clearInterval(timer); await running; },
    },
  };
}
