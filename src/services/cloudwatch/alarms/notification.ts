/**
 * What an alarm state change sends: the SNS notification (subject + JSON message, as CloudWatch
 * writes them), the Lambda alarm-action event and the "CloudWatch Alarm State Change" bus event.
 */
import { randomUUID } from 'node:crypto';
import type { AlarmRecord, AlarmStateValue } from '../../../store/meta/alarms.ts';
import type { BusEvent } from '../../../lib/event-bus.ts';
import { regionName } from './regions.ts';
import { alarmArn } from './arn.ts';

export interface StateChangeFacts {
  alarm: AlarmRecord;
  oldState: AlarmStateValue;
  newState: AlarmStateValue;
  reason: string;
  reasonData: string | null;
  at: number;
}

/** CloudWatch's timestamp spelling in notifications: 2026-11-22T07:00:00.000+0000. */
const cwTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

export function snsSubject(f: StateChangeFacts): string {
  // SNS caps subjects at 100 characters.
  return `${f.newState}: "${f.alarm.name}" in ${regionName(f.alarm.region)}`.slice(0, 100);
}

export function snsMessage(f: StateChangeFacts): string {
  const c = f.alarm.config as Record<string, any>;
  const base = {
    AlarmName: f.alarm.name,
    AlarmDescription: c.AlarmDescription ?? null,
    AWSAccountId: f.alarm.account,
    AlarmConfigurationUpdatedTimestamp: cwTime(f.alarm.configUpdatedAt),
    NewStateValue: f.newState,
    NewStateReason: f.reason,
    StateChangeTime: cwTime(f.at),
    Region: regionName(f.alarm.region),
    AlarmArn: alarmArn(f.alarm),
    OldStateValue: f.oldState,
    OKActions: c.OKActions ?? [],
    AlarmActions: c.AlarmActions ?? [],
    InsufficientDataActions: c.InsufficientDataActions ?? [],
  };
  if (f.alarm.kind === 'CompositeAlarm') return JSON.stringify({ ...base, AlarmRule: c.AlarmRule });
  const trigger: Record<string, unknown> = c.Metrics
    ? { Metrics: c.Metrics }
    : {
      MetricName: c.MetricName, Namespace: c.Namespace,
      StatisticType: c.ExtendedStatistic ? 'ExtendedStatistic' : 'Statistic',
      Statistic: c.ExtendedStatistic ?? String(c.Statistic ?? '').toUpperCase(),
      Unit: c.Unit ?? null,
      Dimensions: (c.Dimensions ?? []).map((d: { Name: string; Value: string }) => ({ value: d.Value, name: d.Name })),
      Period: c.Period,
    };
  return JSON.stringify({
    ...base,
    Trigger: {
      ...trigger,
      EvaluationPeriods: c.EvaluationPeriods,
      ...(c.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: c.DatapointsToAlarm } : {}),
      ComparisonOperator: c.ComparisonOperator,
      Threshold: c.Threshold,
      TreatMissingData: c.TreatMissingData ?? 'missing',
      EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile ?? '',
    },
  });
}

/** The event a Lambda alarm action receives (CloudWatch "Lambda alarm actions"). */
export function lambdaEvent(f: StateChangeFacts): Record<string, unknown> {
  const c = f.alarm.config as Record<string, any>;
  const state = (value: AlarmStateValue, reason: string, reasonData: string | null, ts: number) => ({
    value, reason, ...(reasonData ? { reasonData } : {}), timestamp: cwTime(ts),
  });
  return {
    source: 'aws.cloudwatch',
    alarmArn: alarmArn(f.alarm),
    accountId: f.alarm.account,
    time: cwTime(f.at),
    region: f.alarm.region,
    alarmData: {
      alarmName: f.alarm.name,
      state: state(f.newState, f.reason, f.reasonData, f.at),
      previousState: state(f.oldState, f.alarm.stateReason, f.alarm.stateReasonData, f.alarm.stateUpdatedAt),
      configuration: f.alarm.kind === 'CompositeAlarm'
        ? { alarmRule: c.AlarmRule, description: c.AlarmDescription }
        : { description: c.AlarmDescription, metrics: metricsOf(c) },
    },
  };
}

/** The EventBridge "CloudWatch Alarm State Change" event. */
export function stateChangeEvent(f: StateChangeFacts): BusEvent {
  const c = f.alarm.config as Record<string, any>;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: f.alarm.account,
    time: new Date(f.at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: f.alarm.region,
    resources: [alarmArn(f.alarm)],
    detail: {
      alarmName: f.alarm.name,
      state: { value: f.newState, reason: f.reason, ...(f.reasonData ? { reasonData: f.reasonData } : {}), timestamp: cwTime(f.at) },
      previousState: { value: f.oldState, reason: f.alarm.stateReason, timestamp: cwTime(f.alarm.stateUpdatedAt) },
      configuration: f.alarm.kind === 'CompositeAlarm'
        ? { alarmRule: c.AlarmRule, description: c.AlarmDescription, actionsSuppressor: c.ActionsSuppressor }
        : { description: c.AlarmDescription, metrics: metricsOf(c) },
    },
  };
}

function metricsOf(c: Record<string, any>): unknown[] {
  if (c.Metrics) {
    return (c.Metrics as any[]).map((m) => ({
      id: m.Id, returnData: m.ReturnData ?? true,
      ...(m.Expression ? { expression: m.Expression, label: m.Label } : {}),
      ...(m.MetricStat ? { metricStat: { metric: { namespace: m.MetricStat.Metric.Namespace, name: m.MetricStat.Metric.MetricName,
        dimensions: Object.fromEntries((m.MetricStat.Metric.Dimensions ?? []).map((d: any) => [d.Name, d.Value])) }, period: m.MetricStat.Period, stat: m.MetricStat.Stat } } : {}),
    }));
  }
  return [{
    id: 'm1', returnData: true,
    metricStat: {
      metric: { namespace: c.Namespace, name: c.MetricName, dimensions: Object.fromEntries((c.Dimensions ?? []).map((d: any) => [d.Name, d.Value])) },
      period: c.Period, stat: c.ExtendedStatistic ?? c.Statistic,
    },
  }];
}
