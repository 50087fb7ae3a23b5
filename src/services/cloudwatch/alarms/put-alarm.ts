/** PutMetricAlarm and PutCompositeAlarm: validate like CloudWatch, store, evaluate at once. */
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { AlarmDefinition } from '../../../store/meta/alarms.ts';
import type { AlarmDeps } from './deps.ts';
import { checkActions } from './actions.ts';
import { configHistory } from './history.ts';
import { validatePeriodLimits, INITIAL_REASON } from './evaluation/index.ts';
import { parseAlarmRule, referencedAlarms } from './composite/index.ts';
import { alarmNameFromArn } from './arn.ts';
import { compositeAlarmConfig, metricAlarmConfig, tagsOf, type CheckedMetricAlarm } from './config.ts';
import { parseStatistic } from '../statistics.ts';
import { planQueries, type PlannedQuery } from '../get-metric-data/queries.ts';
import { bandTarget } from '../get-metric-data/band.ts';
import type { DetectorMetric } from '../anomaly/detector.ts';
import { metricQueryOf, required } from '../inputs.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

const validation = (m: string) => new ServiceError('ValidationError', m);
const MAX_ALARMS = 10_000;
const BAND_OPERATORS: ReadonlySet<string> = new Set(['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold']);

export async function putMetricAlarm(d: AlarmDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'PutMetricAlarm'>): Promise<CallOutput<'cloudwatch', 'PutMetricAlarm'>> {
  const checked = checkMetricAlarm(input, ctx.account);
  const config = metricAlarmConfig(input, checked);
  checkActions(config);
  const out = await store(d, ctx, { account: ctx.account, region: ctx.region, name: config.AlarmName, kind: 'MetricAlarm', config,
    configUpdatedAt: ctx.clock.now(), tags: tagsOf(input.Tags) });
  // Alarming on a band creates its detector, as in CloudWatch.
  if (checked.detector) await d.bands?.ensure(ctx, checked.detector);
  return out;
}

/** CloudWatch's checks, in its order; returns the members the stored record needs narrowed. */
function checkMetricAlarm(input: CallInput<'cloudwatch', 'PutMetricAlarm'>, account: string): CheckedMetricAlarm & { detector?: DetectorMetric } {
  let detector: DetectorMetric | undefined;
  if (input.EvaluationCriteria !== undefined || input.EvaluationInterval !== undefined) {
    throw validation('EvaluationCriteria (PromQL alarms) is not supported by this server.');
  }
  const ComparisonOperator = required(input.ComparisonOperator, 'ComparisonOperator');
  const EvaluationPeriods = required(input.EvaluationPeriods, 'EvaluationPeriods');
  const band = input.ThresholdMetricId !== undefined || BAND_OPERATORS.has(ComparisonOperator);
  const Threshold = band ? checkBandThreshold(input, ComparisonOperator) : required(input.Threshold, 'Threshold');
  const EvaluateLowSampleCountPercentile = checkOption('EvaluateLowSampleCountPercentile', input.EvaluateLowSampleCountPercentile, ['evaluate', 'ignore']);
  const TreatMissingData = checkOption('TreatMissingData', input.TreatMissingData, ['breaching', 'notBreaching', 'ignore', 'missing']);
  const single = input.MetricName !== undefined || input.Namespace !== undefined || input.Statistic !== undefined
    || input.ExtendedStatistic !== undefined || input.Period !== undefined || input.Dimensions !== undefined || input.Unit !== undefined;
  let period: number;
  let Metrics: CheckedMetricAlarm['Metrics'];
  if (input.Metrics !== undefined) {
    if (single) {
      throw validation('Metrics list cannot be combined with MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period or Unit.');
    }
    const metrics = input.Metrics.map((m, i) => metricQueryOf(m, `Metrics.member.${i + 1}`));
    const returned = metrics.filter((m) => m.ReturnData !== false && m.Id !== input.ThresholdMetricId);
    if (returned.length !== 1) throw validation('Exactly one element of the metrics list should return data.');
    const planned = planQueries(metrics); // ids, expressions and statistics checked like GetMetricData
    if (band) detector = checkBandQueries(planned, input.ThresholdMetricId!, returned[0]!.Id, account);
    period = metrics.find((m) => m.MetricStat)?.MetricStat?.Period ?? returned[0]!.Period ?? 60;
    Metrics = metrics;
  } else {
    if (band) throw validation('An alarm on an anomaly detection band needs the Metrics list: the metric and its ANOMALY_DETECTION_BAND expression.');
    required(input.MetricName, 'MetricName');
    required(input.Namespace, 'Namespace');
    period = required(input.Period, 'Period');
    if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
      throw new ServiceError('InvalidParameterCombination', 'Exactly one of Statistic and ExtendedStatistic must be specified.');
    }
    if (input.ExtendedStatistic !== undefined) {
      const s = parseStatistic(input.ExtendedStatistic);
      if (s === undefined || s.kind === 'standard') throw new ServiceError('InvalidParameterValue', `The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is invalid.`);
    }
  }
  const problem = validatePeriodLimits(period, EvaluationPeriods, input.DatapointsToAlarm);
  if (problem !== undefined) throw validation(problem);
  return { ComparisonOperator, EvaluationPeriods, Threshold, ThresholdMetricId: input.ThresholdMetricId, EvaluateLowSampleCountPercentile, TreatMissingData, Metrics, detector };
}

/** A band alarm has no Threshold, a band operator and a ThresholdMetricId (CloudWatch's pairing). */
function checkBandThreshold(input: CallInput<'cloudwatch', 'PutMetricAlarm'>, op: string): undefined {
  if (input.ThresholdMetricId === undefined) {
    throw validation(`ThresholdMetricId is required with the comparison operator ${op}: it names the ANOMALY_DETECTION_BAND expression that sets the thresholds.`);
  }
  if (!BAND_OPERATORS.has(op)) {
    throw validation('An alarm with a ThresholdMetricId must use LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold or GreaterThanUpperThreshold.');
  }
  if (input.Threshold !== undefined) throw validation('Threshold cannot be specified together with ThresholdMetricId.');
  return undefined;
}

/** ThresholdMetricId is a returned ANOMALY_DETECTION_BAND of the metric the alarm watches. */
function checkBandQueries(planned: PlannedQuery[], bandId: string, watched: string, account: string): DetectorMetric {
  const p = planned.find((q) => q.id === bandId);
  if (p === undefined) throw validation(`ThresholdMetricId ${bandId} is not the Id of an element of the metrics list.`);
  if (p.input.ReturnData === false) throw validation(`The ThresholdMetricId query ${bandId} must return data.`);
  const target = bandTarget(planned, bandId, account);
  if (target === undefined) throw validation(`The ThresholdMetricId query ${bandId} must be an ANOMALY_DETECTION_BAND expression, such as ANOMALY_DETECTION_BAND(m1, 2).`);
  if (target.id !== watched) throw validation(`The band ${bandId} is drawn for ${target.id}, but the alarm watches ${watched}.`);
  return target.metric;
}

/**
 * The model types these as any string of 1–255 characters; the API reference lists the values
 * (EvaluateLowSampleCountPercentile: evaluate | ignore; TreatMissingData: breaching | notBreaching |
 * ignore | missing). Case matters, as in the documented values.
 */
function checkOption<T extends string>(param: string, option: string | undefined, allowed: readonly T[]): T | undefined {
  if (option === undefined) return undefined;
  const found = allowed.find((a) => a === option);
  if (found !== undefined) return found;
  const list = `${allowed.slice(0, -1).join(', ')} and ${allowed[allowed.length - 1]}`;
  throw validation(`Option ${option} is not supported. Supported options for parameter ${param} are ${list}.`);
}

export async function putCompositeAlarm(d: AlarmDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'PutCompositeAlarm'>): Promise<CallOutput<'cloudwatch', 'PutCompositeAlarm'>> {
  const config = compositeAlarmConfig(input);
  let refs: string[];
  try {
    refs = referencedAlarms(parseAlarmRule(config.AlarmRule));
  } catch (e) {
    throw validation((e as Error).message);
  }
  for (const r of refs) {
    const name = alarmNameFromArn(r, ctx) ?? r;
    if (name === config.AlarmName) throw validation('A composite alarm cannot refer to itself in its AlarmRule.');
    if (await d.repo.get(ctx.account, ctx.region, name) === undefined) throw validation(`Could not find alarm ${r} referred to in the AlarmRule.`);
  }
  if (config.ActionsSuppressor !== undefined) {
    const name = alarmNameFromArn(config.ActionsSuppressor, ctx) ?? config.ActionsSuppressor;
    if (await d.repo.get(ctx.account, ctx.region, name) === undefined) throw validation(`Could not find ActionsSuppressor alarm ${config.ActionsSuppressor}.`);
  } else if (config.ActionsSuppressorWaitPeriod !== undefined || config.ActionsSuppressorExtensionPeriod !== undefined) {
    throw validation('ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod require ActionsSuppressor.');
  }
  checkActions(config);
  return store(d, ctx, { account: ctx.account, region: ctx.region, name: config.AlarmName, kind: 'CompositeAlarm', config,
    configUpdatedAt: ctx.clock.now(), tags: tagsOf(input.Tags) });
}

async function store(d: AlarmDeps, ctx: Ctx, record: AlarmDefinition): Promise<Record<string, never>> {
  const existing = await d.repo.get(ctx.account, ctx.region, record.name);
  if (existing !== undefined && existing.kind !== record.kind) {
    throw validation(`An alarm named ${record.name} already exists as a ${existing.kind === 'MetricAlarm' ? 'metric' : 'composite'} alarm.`);
  }
  if (existing === undefined && (await d.repo.list({ account: ctx.account, region: ctx.region, offset: MAX_ALARMS, limit: 1 })).length > 0) {
    throw new ServiceError('LimitExceeded', `The maximum number of alarms (${MAX_ALARMS}) for this account and region has been reached.`);
  }
  await d.repo.put(record, configHistory(record, existing === undefined ? 'Create' : 'Update', record.configUpdatedAt), INITIAL_REASON);
  d.runner.kickAlarm(record);
  return {};
}
