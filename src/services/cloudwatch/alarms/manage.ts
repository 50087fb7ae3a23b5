/** DeleteAlarms, Enable/DisableAlarmActions and SetAlarmState. */
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { AlarmDefinition, AlarmRecord, AlarmStateValue } from '../../../store/meta/alarms.ts';
import { required } from '../inputs.ts';
import type { AlarmDeps } from './deps.ts';
import { configHistory } from './history.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

const notFound = (name: string) => new ServiceError('ResourceNotFound', `Alarm ${name} does not exist.`, { status: 404 });

export async function deleteAlarms(d: AlarmDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'DeleteAlarms'>): Promise<CallOutput<'cloudwatch', 'DeleteAlarms'>> {
  const names = required(input.AlarmNames, 'AlarmNames');
  const alarms: AlarmRecord[] = [];
  for (const n of names) alarms.push((await d.repo.get(ctx.account, ctx.region, n)) ?? (() => { throw notFound(n); })());
  // A composite alarm that still refers to an alarm keeps it alive (its rule would dangle).
  for (const a of alarms) {
    const parents = (await d.runner.composites.parentsOf(a)).filter((p) => !names.includes(p.name));
    if (parents.length > 0) {
      throw new ServiceError('ValidationError', `Alarm ${a.name} is referred to by composite alarm ${parents[0]!.name}; delete or change that alarm first.`);
    }
  }
  const now = ctx.clock.now();
  await d.repo.delete(ctx.account, ctx.region, names, alarms.map((a) => configHistory(a, 'Delete', now)));
  return {};
}

type ActionsInput = CallInput<'cloudwatch', 'EnableAlarmActions'> | CallInput<'cloudwatch', 'DisableAlarmActions'>;

export async function setActionsEnabled(d: AlarmDeps, ctx: Ctx, input: ActionsInput, enabled: boolean): Promise<Record<string, never>> {
  const now = ctx.clock.now();
  for (const n of required(input.AlarmNames, 'AlarmNames')) {
    const a = await d.repo.get(ctx.account, ctx.region, n);
    if (a === undefined) continue; // CloudWatch ignores unknown names here
    const next: AlarmDefinition = a.kind === 'MetricAlarm'
      ? { ...a, config: { ...a.config, ActionsEnabled: enabled } }
      : { ...a, config: { ...a.config, ActionsEnabled: enabled } };
    await d.repo.setConfig(ctx.account, ctx.region, n, next.config, configHistory(next, 'Update', now));
  }
  return {};
}

const STATES = new Set<string>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
const isState = (v: string): v is AlarmStateValue => STATES.has(v);

export async function setAlarmState(d: AlarmDeps, ctx: Ctx, input: CallInput<'cloudwatch', 'SetAlarmState'>): Promise<CallOutput<'cloudwatch', 'SetAlarmState'>> {
  const state = required(input.StateValue, 'StateValue');
  if (!isState(state)) throw new ServiceError('InvalidParameterValue', `The value ${state} for parameter StateValue is invalid.`);
  if (input.StateReasonData !== undefined) {
    try {
      JSON.parse(input.StateReasonData);
    } catch {
      throw new ServiceError('InvalidFormat', 'StateReasonData must be valid JSON.');
    }
  }
  const name = required(input.AlarmName, 'AlarmName');
  const a = await d.repo.get(ctx.account, ctx.region, name);
  if (a === undefined) throw notFound(name);
  // The state holds until the next evaluation, as in CloudWatch; actions fire on the change.
  if (a.kind === 'MetricAlarm') d.runner.deferEvaluation(a);
  await d.machine.apply(a, state, required(input.StateReason, 'StateReason'), input.StateReasonData ?? null, ctx.clock.now());
  return {};
}
