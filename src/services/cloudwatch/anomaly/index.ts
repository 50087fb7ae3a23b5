/**
 * Anomaly detection: detectors (PutAnomalyDetector & co.), the models behind ANOMALY_DETECTION_BAND
 * and band alarms, and the job that refits them as data arrives.
 */
import type { Env } from '../../../server/module.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { GetMetricDataInput, GetMetricDataResult } from '../get-metric-data/index.ts';
import { anomalyHandlers } from './handlers.ts';
import { AnomalyModels } from './models.ts';
import { ANOMALY_MIGRATIONS, SqliteAnomalyRepo } from './repo.ts';
import { trainingQuery } from './training-query.ts';

export { AnomalyModels } from './models.ts';
export { detectorMetricOf } from './detector.ts';

/** Models older than this are refitted by the job (the band follows new data within ~15 minutes). */
export const RETRAIN_MS = 15 * 60_000;
const REFRESH_TICK_MS = 60_000;

type GetMetricData = (ctx: Ctx, input: GetMetricDataInput) => Promise<Pick<GetMetricDataResult, 'MetricDataResults'>>;

export function createAnomaly(env: Env, getMetricData: GetMetricData) {
  env.migrate('cloudwatch-anomaly', ANOMALY_MIGRATIONS);
  const repo = new SqliteAnomalyRepo(env.db);
  const ctxFor = (s: { account: string; region: string }) => env.serviceCtx({ ...s, principalArn: 'arn:aws:iam::aws:role/cloudwatch-anomaly-detection' });
  const models = new AnomalyModels({ repo, query: trainingQuery(getMetricData, ctxFor), clock: env.clock, log: env.log, retrainMs: RETRAIN_MS });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = models.refresh().catch((e: unknown) => env.log.warn({ err: e }, 'anomaly model refresh failed')).finally(() => (running = undefined));
  };
  return {
    models,
    handlers: anomalyHandlers(models, repo),
    job: {
      name: 'anomaly-models',
      start: () => { timer = setInterval(tick, REFRESH_TICK_MS); timer.unref?.(); },
      stop: async () => { if (timer) clearInterval(timer); await running; },
    },
  };
}
