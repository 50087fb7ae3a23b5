/**
 * The typed alarm records stored for PutMetricAlarm / PutCompositeAlarm, built once from the
 * validated input: model member names in model order and absent members left out, so the stored
 * JSON, DescribeAlarms and the history items read as they did when the raw input (minus Tags) was
 * stored.
 */
import type { Tag } from '@aws-sdk/client-cloudwatch';
import type { AlarmConfig, AlarmStateValue, CompositeAlarmConfig, MetricAlarmConfig } from '../../../store/meta/alarms.ts';
import { compact, dimensionsOf, required } from '../inputs.ts';
import type { CallInput } from '../../../protocol/operations.ts';

export type { AlarmConfig, CompositeAlarmConfig, MetricAlarmConfig } from '../../../store/meta/alarms.ts';

/** What PutMetricAlarm validation settled: the members the record needs present or narrowed. */
export type CheckedMetricAlarm = Pick<MetricAlarmConfig,
  'EvaluationPeriods' | 'Threshold' | 'ThresholdMetricId' | 'ComparisonOperator' | 'TreatMissingData' | 'EvaluateLowSampleCountPercentile' | 'Metrics'>;

export function metricAlarmConfig(input: CallInput<'cloudwatch', 'PutMetricAlarm'>, v: CheckedMetricAlarm): MetricAlarmConfig {
  return compact({
    AlarmName: required(input.AlarmName, 'AlarmName'),
    AlarmDescription: input.AlarmDescription,
    ActionsEnabled: input.ActionsEnabled,
    OKActions: input.OKActions,
    AlarmActions: input.AlarmActions,
    InsufficientDataActions: input.InsufficientDataActions,
    MetricName: input.MetricName,
    Namespace: input.Namespace,
    Statistic: input.Statistic,
    ExtendedStatistic: input.ExtendedStatistic,
    Dimensions: input.Dimensions && dimensionsOf(input.Dimensions, 'Dimensions'),
    Period: input.Period,
    Unit: input.Unit,
    EvaluationPeriods: v.EvaluationPeriods,
    DatapointsToAlarm: input.DatapointsToAlarm,
    Threshold: v.Threshold,
    ThresholdMetricId: v.ThresholdMetricId,
    ComparisonOperator: v.ComparisonOperator,
    TreatMissingData: v.TreatMissingData,
    EvaluateLowSampleCountPercentile: v.EvaluateLowSampleCountPercentile,
    Metrics: v.Metrics,
  });
}

export function compositeAlarmConfig(input: CallInput<'cloudwatch', 'PutCompositeAlarm'>): CompositeAlarmConfig {
  return compact({
    ActionsEnabled: input.ActionsEnabled,
    AlarmActions: input.AlarmActions,
    AlarmDescription: input.AlarmDescription,
    AlarmName: required(input.AlarmName, 'AlarmName'),
    AlarmRule: required(input.AlarmRule, 'AlarmRule'),
    InsufficientDataActions: input.InsufficientDataActions,
    OKActions: input.OKActions,
    ActionsSuppressor: input.ActionsSuppressor,
    ActionsSuppressorWaitPeriod: input.ActionsSuppressorWaitPeriod,
    ActionsSuppressorExtensionPeriod: input.ActionsSuppressorExtensionPeriod,
  });
}

export function tagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t, i) => [required(t.Key, `Tags.member.${i + 1}.Key`), required(t.Value, `Tags.member.${i + 1}.Value`)]));
}

/** The three action lists, in the order CloudWatch checks them. */
export const ACTION_LISTS = ['OKActions', 'AlarmActions', 'InsufficientDataActions'] as const;

/** The actions an alarm takes on entering `state`. */
export function actionsFor(c: AlarmConfig, state: AlarmStateValue): string[] {
  return (state === 'ALARM' ? c.AlarmActions : state === 'OK' ? c.OKActions : c.InsufficientDataActions) ?? [];
}
