/** PutMetricAlarm and PutCompositeAlarm: validate like CloudWatch, store, evaluate at once. */
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { AlarmKind } from '../../../store/meta/alarms.ts';
import type { AlarmDeps } from './deps.ts';
import { checkActions } from './actions.ts';
import { configHistory } from './history.ts';
import { validatePeriodLimits, INITIAL_REASON } from './evaluation/index.ts';
import { parseAlarmRule, referencedAlarms } from './composite/index.ts';
import { alarmNameFromArn } from './arn.ts';
import { parseStatistic } from '../statistics.ts';
import { planQueries } from '../get-metric-data/queries.ts';

const validation = (m: string) => new ServiceError('ValidationError', m);
const MAX_ALARMS = 10_000;
const BAND_OPERATORS = new Set(['LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold']);

export async function putMetricAlarm(d: AlarmDeps, ctx: Ctx, input: Record<string, any>): Promise<Record<string, never>> {
  if (input.ThresholdMetricId !== undefined || BAND_OPERATORS.has(input.ComparisonOperator)) {
    throw validation('Anomaly detection alarms (ThresholdMetricId and the band comparison operators) need an anomaly detector; ' +
      'this server has no anomaly detection models yet.');
  }
  if (input.EvaluationCriteria !== undefined || input.EvaluationInterval !== undefined) {
    throw validation('EvaluationCriteria (PromQL alarms) is not supported by this server.');
  }
  if (input.ComparisonOperator === undefined) throw new ServiceError('MissingParameter', 'The parameter ComparisonOperator is required.');
  if (input.EvaluationPeriods === undefined) throw new ServiceError('MissingParameter', 'The parameter EvaluationPeriods is required.');
  if (input.Threshold === undefined) throw new ServiceError('MissingParameter', 'The parameter Threshold is required.');
  checkOption('EvaluateLowSampleCountPercentile', input.EvaluateLowSampleCountPercentile, ['evaluate', 'ignore']);
  checkOption('TreatMissingData', input.TreatMissingData, ['breaching', 'notBreaching', 'ignore', 'missing']);
  const single = input.MetricName !== undefined || input.Namespace !== undefined || input.Statistic !== undefined
    || input.ExtendedStatistic !== undefined || input.Period !== undefined || input.Dimensions !== undefined || input.Unit !== undefined;
  let period: number;
  if (input.Metrics !== undefined) {
    if (single) {
      throw validation('Metrics list cannot be combined with MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions, Period or Unit.');
    }
    const metrics = input.Metrics as { Id: string; ReturnData?: boolean; MetricStat?: { Period: number }; Period?: number }[];
    const returned = metrics.filter((m) => m.ReturnData !== false);
    if (returned.length !== 1) throw validation('Exactly one element of the metrics list should return data.');
    planQueries(metrics as never); // ids, expressions and statistics checked like GetMetricData
    period = metrics.find((m) => m.MetricStat)?.MetricStat?.Period ?? returned[0]!.Period ?? 60;
  } else {
    for (const p of ['MetricName', 'Namespace', 'Period'] as const) {
      if (input[p] === undefined) throw new ServiceError('MissingParameter', `The parameter ${p} is required.`);
    }
    if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
      throw new ServiceError('InvalidParameterCombination', 'Exactly one of Statistic and ExtendedStatistic must be specified.');
    }
    if (input.ExtendedStatistic !== undefined) {
      const s = parseStatistic(input.ExtendedStatistic);
      if (s === undefined || s.kind === 'standard') throw new ServiceError('InvalidParameterValue', `The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is invalid.`);
    }
    period = input.Period;
  }
  const problem = validatePeriodLimits(period, input.EvaluationPeriods, input.DatapointsToAlarm);
  if (problem !== undefined) throw validation(problem);
  checkActions(input);
  return store(d, ctx, 'MetricAlarm', input);
}

/**
 * The model types these as any string of 1–255 characters; the API reference lists the values
 * (EvaluateLowSampleCountPercentile: evaluate | ignore; TreatMissingData: breaching | notBreaching |
 * ignore | missing). Case matters, as in the documented values.
 */
function checkOption(param: string, option: unknown, allowed: readonly string[]): void {
  if (option === undefined || allowed.includes(option as string)) return;
  const list = `${allowed.slice(0, -1).join(', ')} and ${allowed[allowed.length - 1]}`;
  throw validation(`Option ${String(option)} is not supported. Supported options for parameter ${param} are ${list}.`);
}

export async function putCompositeAlarm(d: AlarmDeps, ctx: Ctx, input: Record<string, any>): Promise<Record<string, never>> {
  let refs: string[];
  try {
    refs = referencedAlarms(parseAlarmRule(input.AlarmRule));
  } catch (e) {
    throw validation((e as Error).message);
  }
  for (const r of refs) {
    const name = alarmNameFromArn(r, ctx) ?? r;
    if (name === input.AlarmName) throw validation('A composite alarm cannot refer to itself in its AlarmRule.');
    if (d.repo.get(ctx.account, ctx.region, name) === undefined) throw validation(`Could not find alarm ${r} referred to in the AlarmRule.`);
  }
  if (input.ActionsSuppressor !== undefined) {
    const name = alarmNameFromArn(input.ActionsSuppressor, ctx) ?? input.ActionsSuppressor;
    if (d.repo.get(ctx.account, ctx.region, name) === undefined) throw validation(`Could not find ActionsSuppressor alarm ${input.ActionsSuppressor}.`);
  } else if (input.ActionsSuppressorWaitPeriod !== undefined || input.ActionsSuppressorExtensionPeriod !== undefined) {
    throw validation('ActionsSuppressorWaitPeriod and ActionsSuppressorExtensionPeriod require ActionsSuppressor.');
  }
  checkActions(input);
  return store(d, ctx, 'CompositeAlarm', input);
}

async function store(d: AlarmDeps, ctx: Ctx, kind: AlarmKind, input: Record<string, any>): Promise<Record<string, never>> {
  const existing = d.repo.get(ctx.account, ctx.region, input.AlarmName);
  if (existing !== undefined && existing.kind !== kind) {
    throw validation(`An alarm named ${input.AlarmName} already exists as a ${existing.kind === 'MetricAlarm' ? 'metric' : 'composite'} alarm.`);
  }
  if (existing === undefined && d.repo.list({ account: ctx.account, region: ctx.region, offset: MAX_ALARMS, limit: 1 }).length > 0) {
    throw new ServiceError('LimitExceeded', `The maximum number of alarms (${MAX_ALARMS}) for this account and region has been reached.`);
  }
  const { Tags, ...config } = input;
  const now = ctx.clock.now();
  const tags = Object.fromEntries(((Tags ?? []) as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]));
  const record = { account: ctx.account, region: ctx.region, name: input.AlarmName as string, kind, config, configUpdatedAt: now, tags };
  d.repo.put(record, configHistory(record, existing === undefined ? 'Create' : 'Update', now), INITIAL_REASON);
  d.runner.kickAlarm(record);
  return {};
}
