/**
 * What an alarm state change sends: the SNS notification (subject + JSON message, as CloudWatch
 * writes them), the Lambda alarm-action event and the "CloudWatch Alarm State Change" bus event.
 */
import { randomUUID } from 'node:crypto';
import type { AlarmDimension, AlarmRecord, AlarmStateValue, MetricAlarmConfig } from '../../../store/meta/alarms.ts';
import type { AwsEvent } from '../../../server/facts.ts';
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

/** What an alarm's subject becomes so SNS accepts it: printable ASCII, at most 100 characters (none if nothing is left). */
export function sanitizeSubject(subject: string): string | undefined {
  const s = subject.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?').trim().slice(0, 100);
  return s === '' ? undefined : s;
}

export function snsMessage(f: StateChangeFacts): string {
  const a = f.alarm;
  const c = a.config;
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
  if (a.kind === 'CompositeAlarm') return JSON.stringify({ ...base, AlarmRule: a.config.AlarmRule });
  const m = a.config;
  const trigger: Record<string, unknown> = m.Metrics
    ? { Metrics: m.Metrics }
    : {
      MetricName: m.MetricName, Namespace: m.Namespace,
      StatisticType: m.ExtendedStatistic ? 'ExtendedStatistic' : 'Statistic',
      Statistic: m.ExtendedStatistic ?? String(m.Statistic ?? '').toUpperCase(),
      Unit: m.Unit ?? null,
      Dimensions: (m.Dimensions ?? []).map((d) => ({ value: d.Value, name: d.Name })),
      Period: m.Period,
    };
  return JSON.stringify({
    ...base,
    Trigger: {
      ...trigger,
      EvaluationPeriods: m.EvaluationPeriods,
      ...(m.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: m.DatapointsToAlarm } : {}),
      ComparisonOperator: m.ComparisonOperator,
      ...(m.ThresholdMetricId !== undefined ? { ThresholdMetricId: m.ThresholdMetricId } : { Threshold: m.Threshold }),
      TreatMissingData: m.TreatMissingData ?? 'missing',
      EvaluateLowSampleCountPercentile: m.EvaluateLowSampleCountPercentile ?? '',
    },
  });
}

/** The event a Lambda alarm action receives (CloudWatch "Lambda alarm actions"). */
export function lambdaEvent(f: StateChangeFacts): Record<string, unknown> {
  const a = f.alarm;
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
      configuration: a.kind === 'CompositeAlarm'
        ? { alarmRule: a.config.AlarmRule, description: a.config.AlarmDescription }
        : { description: a.config.AlarmDescription, metrics: metricsOf(a.config) },
    },
  };
}

/** The EventBridge "CloudWatch Alarm State Change" event. */
export function stateChangeEvent(f: StateChangeFacts): AwsEvent {
  const a = f.alarm;
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
      configuration: a.kind === 'CompositeAlarm'
        ? { alarmRule: a.config.AlarmRule, description: a.config.AlarmDescription, actionsSuppressor: a.config.ActionsSuppressor }
        : { description: a.config.AlarmDescription, metrics: metricsOf(a.config) },
    },
  };
}

const dimensionMap = (list: readonly AlarmDimension[] | undefined) => Object.fromEntries((list ?? []).map((d) => [d.Name, d.Value]));

function metricsOf(c: MetricAlarmConfig): unknown[] {
  if (c.Metrics) {
    return c.Metrics.map((m) => ({
      id: m.Id, returnData: m.ReturnData ?? true,
      ...(m.Expression ? { expression: m.Expression, label: m.Label } : {}),
      ...(m.MetricStat ? { metricStat: { metric: { namespace: m.MetricStat.Metric.Namespace, name: m.MetricStat.Metric.MetricName,
        dimensions: dimensionMap(m.MetricStat.Metric.Dimensions) }, period: m.MetricStat.Period, stat: m.MetricStat.Stat } } : {}),
    }));
  }
  return [{
    id: 'm1', returnData: true,
    metricStat: {
      metric: { namespace: c.Namespace, name: c.MetricName, dimensions: dimensionMap(c.Dimensions) },
      period: c.Period, stat: c.ExtendedStatistic ?? c.Statistic,
    },
  }];
}
