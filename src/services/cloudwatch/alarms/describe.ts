/** DescribeAlarms and DescribeAlarmsForMetric: stored alarms in the MetricAlarm / CompositeAlarm shapes. */
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { AlarmKind, AlarmRecord, AlarmStateValue } from '../../../store/meta/alarms.ts';
import type { AlarmDeps } from './deps.ts';
import { alarmArn } from './arn.ts';
import { decodeOffset, encodeOffset } from '../offset-token.ts';

export function alarmView(a: AlarmRecord): Record<string, unknown> {
  const { Tags: _tags, ...config } = a.config as Record<string, unknown>;
  const state = {
    StateValue: a.stateValue, StateReason: a.stateReason,
    ...(a.stateReasonData ? { StateReasonData: a.stateReasonData } : {}),
    StateUpdatedTimestamp: new Date(a.stateUpdatedAt),
    StateTransitionedTimestamp: new Date(a.stateTransitionedAt),
  };
  const common = {
    AlarmArn: alarmArn(a), AlarmConfigurationUpdatedTimestamp: new Date(a.configUpdatedAt),
    ActionsEnabled: config.ActionsEnabled ?? true,
    OKActions: config.OKActions ?? [], AlarmActions: config.AlarmActions ?? [], InsufficientDataActions: config.InsufficientDataActions ?? [],
  };
  if (a.kind === 'CompositeAlarm') {
    return {
      ...config, ...common, ...state,
      ...(a.suppressedBy ? { ActionsSuppressedBy: a.suppressedBy, ActionsSuppressedReason: a.suppressedReason ?? '' } : { ActionsSuppressedBy: 'None' }),
    };
  }
  return { Dimensions: config.Metrics ? undefined : [], ...config, ...common, ...state };
}

const TYPES = new Set(['MetricAlarm', 'CompositeAlarm']);

export function describeAlarms(d: AlarmDeps, ctx: Ctx, input: {
  AlarmNames?: string[]; AlarmNamePrefix?: string; AlarmTypes?: AlarmKind[]; ChildrenOfAlarmName?: string; ParentsOfAlarmName?: string;
  StateValue?: AlarmStateValue; ActionPrefix?: string; MaxRecords?: number; NextToken?: string;
}) {
  if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined) {
    throw new ServiceError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be specified together.');
  }
  const relation = input.ChildrenOfAlarmName ?? input.ParentsOfAlarmName;
  if (relation !== undefined && (input.AlarmNames || input.AlarmNamePrefix || input.StateValue || input.ActionPrefix)) {
    throw new ServiceError('InvalidParameterCombination',
      'ChildrenOfAlarmName and ParentsOfAlarmName cannot be combined with AlarmNames, AlarmNamePrefix, StateValue or ActionPrefix.');
  }
  for (const t of input.AlarmTypes ?? []) if (!TYPES.has(t)) throw new ServiceError('InvalidParameterValue', `The value ${t} for parameter AlarmTypes is invalid.`);
  // "If you omit this parameter, only metric alarms are returned, even if composite alarms exist."
  const kinds = input.AlarmTypes && input.AlarmTypes.length > 0 ? input.AlarmTypes : ['MetricAlarm' as const];
  const limit = input.MaxRecords ?? 50;
  const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
  let rows: AlarmRecord[];
  if (relation !== undefined) {
    const all = d.repo.list({ account: ctx.account, region: ctx.region, offset: 0, limit: 1_000_000 });
    if (input.ChildrenOfAlarmName !== undefined) {
      const parent = all.find((a) => a.name === input.ChildrenOfAlarmName && a.kind === 'CompositeAlarm');
      const children = new Set(parent ? d.runner.composites.children(parent) : []);
      rows = all.filter((a) => children.has(a.name));
    } else {
      const child = all.find((a) => a.name === input.ParentsOfAlarmName);
      rows = child ? d.runner.composites.parentsOf(child) : [];
    }
    rows = rows.filter((a) => kinds.includes(a.kind)).slice(offset, offset + limit + 1);
  } else {
    rows = d.repo.list({
      account: ctx.account, region: ctx.region, names: input.AlarmNames, namePrefix: input.AlarmNamePrefix, kinds,
      state: input.StateValue, offset: 0, limit: 1_000_000,
    });
    if (input.ActionPrefix !== undefined) {
      const p = input.ActionPrefix;
      rows = rows.filter((a) => ['OKActions', 'AlarmActions', 'InsufficientDataActions']
        .some((k) => ((a.config as Record<string, string[] | undefined>)[k] ?? []).some((x) => x.startsWith(p))));
    }
    rows = rows.slice(offset, offset + limit + 1);
  }
  const page = rows.slice(0, limit);
  return {
    MetricAlarms: page.filter((a) => a.kind === 'MetricAlarm').map(alarmView),
    CompositeAlarms: page.filter((a) => a.kind === 'CompositeAlarm').map(alarmView),
    NextToken: rows.length > limit ? encodeOffset(offset + limit) : undefined,
  };
}

export function describeAlarmsForMetric(d: AlarmDeps, ctx: Ctx, input: {
  MetricName: string; Namespace: string; Statistic?: string; ExtendedStatistic?: string; Dimensions?: { Name: string; Value: string }[]; Period?: number; Unit?: string;
}) {
  const dims = (x: { Name: string; Value: string }[] | undefined) => JSON.stringify([...(x ?? [])].sort((a, b) => a.Name.localeCompare(b.Name)));
  const alarms = d.repo.list({ account: ctx.account, region: ctx.region, kinds: ['MetricAlarm'], offset: 0, limit: 1_000_000 }).filter((a) => {
    const c = a.config as Record<string, any>;
    if (c.Metrics) {
      return (c.Metrics as any[]).some((m) => m.MetricStat?.Metric.MetricName === input.MetricName && m.MetricStat?.Metric.Namespace === input.Namespace
        && (input.Dimensions === undefined || dims(m.MetricStat.Metric.Dimensions) === dims(input.Dimensions)));
    }
    return c.MetricName === input.MetricName && c.Namespace === input.Namespace
      && (input.Statistic === undefined || c.Statistic === input.Statistic)
      && (input.ExtendedStatistic === undefined || c.ExtendedStatistic === input.ExtendedStatistic)
      && (input.Period === undefined || c.Period === input.Period)
      && (input.Unit === undefined || c.Unit === input.Unit)
      && (input.Dimensions === undefined || dims(c.Dimensions) === dims(input.Dimensions));
  });
  return { MetricAlarms: alarms.map(alarmView) };
}

