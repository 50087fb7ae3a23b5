import type { AlarmDeps } from './deps.ts';
import { putCompositeAlarm, putMetricAlarm } from './put-alarm.ts';
import { describeAlarms, describeAlarmsForMetric } from './describe.ts';
import { deleteAlarms, setActionsEnabled, setAlarmState } from './manage.ts';
import { describeAlarmHistory } from './history.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';
import type { ServiceHandlers } from '../../../protocol/operations.ts';

export function alarmHandlers(d: AlarmDeps): ServiceHandlers<'cloudwatch'> {
  return {
    PutMetricAlarm: (ctx, input) => putMetricAlarm(d, ctx, input),
    PutCompositeAlarm: (ctx, input) => putCompositeAlarm(d, ctx, input),
    DescribeAlarms: (ctx, input) => describeAlarms(d, ctx, input),
    DescribeAlarmsForMetric: (ctx, input) => describeAlarmsForMetric(d, ctx, input),
    DeleteAlarms: (ctx, input) => deleteAlarms(d, ctx, input),
    EnableAlarmActions: (ctx, input) => setActionsEnabled(d, ctx, input, true),
    DisableAlarmActions: (ctx, input) => setActionsEnabled(d, ctx, input, false),
    SetAlarmState: (ctx, input) => setAlarmState(d, ctx, input),
    DescribeAlarmHistory: (ctx, input) => describeAlarmHistory(d.repo, ctx, input),
    TagResource: (ctx, input) => tagResource(d, ctx, input),
    UntagResource: (ctx, input) => untagResource(d, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(d, ctx, input),
  };
}

export { AlarmRunner } from './runner.ts';
export { AlarmStateMachine } from './state-machine.ts';
export { AlarmActionDelivery, ALARM_ACTION_TOPIC } from './actions.ts';
export { getMetricDataQuery } from './query.ts';
