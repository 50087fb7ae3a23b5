/** DescribeAlarms and DescribeAlarmsForMetric: stored alarms in the MetricAlarm / CompositeAlarm shapes. */
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { ActionsSuppressedBy, CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmKind, AlarmRecord, CompositeAlarmRecord, MetricAlarmRecord } from '../../../store/meta/alarms.ts';
import { dimensionsOf, required, type DimensionValue } from '../inputs.ts';
import { ACTION_LISTS } from './config.ts';
import type { AlarmDeps } from './deps.ts';
import { alarmArn } from './arn.ts';
import { decodeOffset, encodeOffset } from '../offset-token.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

/** What DescribeAlarms answers for every alarm, whatever its kind. */
function commonView(a: AlarmRecord) {
  const c = a.config;
  return {
    AlarmArn: alarmArn(a), AlarmConfigurationUpdatedTimestamp: new Date(a.configUpdatedAt),
    ActionsEnabled: c.ActionsEnabled ?? true,
    OKActions: c.OKActions ?? [], AlarmActions: c.AlarmActions ?? [], InsufficientDataActions: c.InsufficientDataActions ?? [],
    StateValue: a.stateValue, StateReason: a.stateReason,
    ...(a.stateReasonData ? { StateReasonData: a.stateReasonData } : {}),
    StateUpdatedTimestamp: new Date(a.stateUpdatedAt),
    StateTransitionedTimestamp: new Date(a.stateTransitionedAt),
  };
}

export function metricAlarmView(a: MetricAlarmRecord): MetricAlarm {
  return { Dimensions: a.config.Metrics ? undefined : [], ...a.config, ...commonView(a) };
}

export function compositeAlarmView(a: CompositeAlarmRecord): CompositeAlarm {
  return {
    ...a.config, ...commonView(a),
    ...(a.suppressedBy ? { ActionsSuppressedBy: asSuppressedBy(a.suppressedBy), ActionsSuppressedReason: a.suppressedReason ?? '' } : { ActionsSuppressedBy: NOT_SUPPRESSED }),
  };
}

/**
 * An unsuppressed composite alarm answers ActionsSuppressedBy "None", as it did before handlers were
 * typed; the model's enum (WaitPeriod | ExtensionPeriod | Alarm), and so the SDK type, lacks that
 * value, hence the one widening here.
 */
const NOT_SUPPRESSED = 'None' as string as ActionsSuppressedBy;

/** The suppression reasons the composite evaluator stores are the model's ActionsSuppressedBy values. */
const SUPPRESSED_BY: Record<ActionsSuppressedBy, true> = { Alarm: true, ExtensionPeriod: true, WaitPeriod: true };
const isSuppressedBy = (v: string): v is ActionsSuppressedBy => Object.hasOwn(SUPPRESSED_BY, v);
const asSuppressedBy = (v: string): ActionsSuppressedBy | undefined => (isSuppressedBy(v) ? v : undefined);

const isMetric = (a: AlarmRecord): a is MetricAlarmRecord => a.kind === 'MetricAlarm';
const isComposite = (a: AlarmRecord): a is CompositeAlarmRecord => a.kind === 'CompositeAlarm';

const isKind = (t: string): t is AlarmKind => t === 'MetricAlarm' || t === 'CompositeAlarm';

export async function describeAlarms(d: AlarmDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'DescribeAlarms'>): Promise<CallOutput<'cloudwatch', 'DescribeAlarms'>> {
  if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined) {
    throw new ServiceError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be specified together.');
  }
  const relation = input.ChildrenOfAlarmName ?? input.ParentsOfAlarmName;
  if (relation !== undefined && (input.AlarmNames || input.AlarmNamePrefix || input.StateValue || input.ActionPrefix)) {
    throw new ServiceError('InvalidParameterCombination',
      'ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with AlarmNames, AlarmNamePrefix, StateValue or ActionPrefix.');
  }
  const types = (input.AlarmTypes ?? []).map((t) => {
    if (!isKind(t)) throw new ServiceError('InvalidParameterValue', `The value ${t} for parameter AlarmTypes is invalid.`);
    return t;
  });
  // "If you omit this parameter, only metric alarms are returned, even if composite alarms exist."
  const kinds: AlarmKind[] = types.length > 0 ? types : ['MetricAlarm'];
  const limit = input.MaxRecords ?? 50;
  const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
  let rows: AlarmRecord[];
  if (relation !== undefined) {
    const all = await d.repo.list({ account: ctx.account, region: ctx.region, offset: 0, limit: 1_000_000 });
    if (input.ChildrenOfAlarmName !== undefined) {
      const parent = all.filter(isComposite).find((a) => a.name === input.ChildrenOfAlarmName);
      const children = new Set(parent ? d.runner.composites.children(parent) : []);
      rows = all.filter((a) => children.has(a.name));
    } else {
      const child = all.find((a) => a.name === input.ParentsOfAlarmName);
      rows = child ? await d.runner.composites.parentsOf(child) : [];
    }
    rows = rows.filter((a) => kinds.includes(a.kind)).slice(offset, offset + limit + 1);
  } else {
    rows = await d.repo.list({
      account: ctx.account, region: ctx.region, names: input.AlarmNames, namePrefix: input.AlarmNamePrefix, kinds,
      state: input.StateValue, offset: 0, limit: 1_000_000,
    });
    if (input.ActionPrefix !== undefined) {
      const p = input.ActionPrefix;
      rows = rows.filter((a) => ACTION_LISTS.some((k) => (a.config[k] ?? []).some((x) => x.startsWith(p))));
    }
    rows = rows.slice(offset, offset + limit + 1);
  }
  const page = rows.slice(0, limit);
  return {
    MetricAlarms: page.filter(isMetric).map(metricAlarmView),
    CompositeAlarms: page.filter(isComposite).map(compositeAlarmView),
    NextToken: rows.length > limit ? encodeOffset(offset + limit) : undefined,
  };
}

export async function describeAlarmsForMetric(d: AlarmDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'DescribeAlarmsForMetric'>):
  Promise<CallOutput<'cloudwatch', 'DescribeAlarmsForMetric'>> {
  const metricName = required(input.MetricName, 'MetricName');
  const namespace = required(input.Namespace, 'Namespace');
  const wanted = input.Dimensions && dimensionsOf(input.Dimensions, 'Dimensions');
  const dims = (x: readonly DimensionValue[] | undefined) =>
    JSON.stringify((x ?? []).map((v) => [v.Name, v.Value]).sort((p, q) => p[0]!.localeCompare(q[0]!)));
  const all = await d.repo.list({ account: ctx.account, region: ctx.region, kinds: ['MetricAlarm'], offset: 0, limit: 1_000_000 });
  const alarms = all.filter(isMetric).filter((a) => {
    const c = a.config;
    if (c.Metrics) {
      return c.Metrics.some((m) => m.MetricStat?.Metric.MetricName === metricName && m.MetricStat.Metric.Namespace === namespace
        && (wanted === undefined || dims(m.MetricStat.Metric.Dimensions) === dims(wanted)));
    }
    return c.MetricName === metricName && c.Namespace === namespace
      && (input.Statistic === undefined || c.Statistic === input.Statistic)
      && (input.ExtendedStatistic === undefined || c.ExtendedStatistic === input.ExtendedStatistic)
      && (input.Period === undefined || c.Period === input.Period)
      && (input.Unit === undefined || c.Unit === input.Unit)
      && (wanted === undefined || dims(c.Dimensions) === dims(wanted));
  });
  return { MetricAlarms: alarms.map(metricAlarmView) };
}
