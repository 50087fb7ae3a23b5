/** Alarm history items as CloudWatch writes them, and DescribeAlarmHistory. */
import type { Ctx } from '../../../protocol/service.ts';
import type { AlarmDefinition, AlarmKind, AlarmRecord, AlarmRepo, AlarmStateValue, HistoryItem } from '../../../store/meta/alarms.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import { decodeOffset, encodeOffset } from '../offset-token.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

const scope = (a: { account: string; region: string; name: string; kind: AlarmKind }) =>
  ({ account: a.account, region: a.region, alarmName: a.name, alarmType: a.kind });

export function configHistory(a: AlarmDefinition, type: 'Create' | 'Update' | 'Delete', at: number): HistoryItem {
  const verb = type === 'Create' ? 'created' : type === 'Update' ? 'updated' : 'deleted';
  const key = type === 'Create' ? 'createdAlarm' : type === 'Update' ? 'updatedAlarm' : 'deletedAlarm';
  return {
    ...scope(a), timestamp: at, itemType: 'ConfigurationUpdate', summary: `Alarm "${a.name}" ${verb}`,
    data: JSON.stringify({ version: '1.0', type, [key]: a.config }),
  };
}

export function stateHistory(a: AlarmRecord, newState: AlarmStateValue, reason: string, reasonData: string | null, at: number): HistoryItem {
  return {
    ...scope(a), timestamp: at, itemType: 'StateUpdate', summary: `Alarm updated from ${a.stateValue} to ${newState}`,
    data: JSON.stringify({
      version: '1.0',
      oldState: { stateValue: a.stateValue, stateReason: a.stateReason, ...(a.stateReasonData ? { stateReasonData: JSON.parse(a.stateReasonData) } : {}) },
      newState: { stateValue: newState, stateReason: reason, ...(reasonData ? { stateReasonData: JSON.parse(reasonData) } : {}) },
    }),
  };
}

export function actionHistory(a: { account: string; region: string; name: string; kind: AlarmKind }, at: number, summary: string, data: Record<string, unknown>): HistoryItem {
  return { ...scope(a), timestamp: at, itemType: 'Action', summary, data: JSON.stringify({ version: '1.0', ...data }) };
}

const ITEM_TYPES = new Set(['ConfigurationUpdate', 'StateUpdate', 'Action', 'AlarmContributorStateUpdate', 'AlarmContributorAction']);
const isKind = (t: string): t is AlarmKind => t === 'MetricAlarm' || t === 'CompositeAlarm';

export async function describeAlarmHistory(repo: AlarmRepo, ctx: Ctx, input: CallInput<'cloudwatch', 'DescribeAlarmHistory'>): Promise<CallOutput<'cloudwatch', 'DescribeAlarmHistory'>> {
  if (input.HistoryItemType !== undefined && !ITEM_TYPES.has(input.HistoryItemType)) {
    throw new ServiceError('InvalidParameterValue', `The value ${input.HistoryItemType} for parameter HistoryItemType is invalid.`);
  }
  const limit = input.MaxRecords ?? 100;
  const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
  const rows = await repo.history({
    account: ctx.account, region: ctx.region, alarmName: input.AlarmName,
    alarmTypes: input.AlarmTypes?.filter(isKind),
    itemType: input.HistoryItemType, startDate: input.StartDate?.getTime(), endDate: input.EndDate?.getTime(),
    ascending: input.ScanBy === 'TimestampAscending', offset, limit: limit + 1,
  });
  return {
    AlarmHistoryItems: rows.slice(0, limit).map((h) => ({
      AlarmName: h.alarmName, AlarmType: h.alarmType, Timestamp: new Date(h.timestamp),
      HistoryItemType: h.itemType, HistorySummary: h.summary, HistoryData: h.data,
    })),
    NextToken: rows.length > limit ? encodeOffset(offset + limit) : undefined,
  };
}
