/** DeleteAlarms, Enable/DisableAlarmActions and SetAlarmState. */
import type { Ctx } from '../../../protocol/service.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { AlarmStateValue } from '../../../store/meta/alarms.ts';
import type { AlarmDeps } from './deps.ts';
import { configHistory } from './history.ts';

const notFound = (name: string) => new ServiceError('ResourceNotFound', `Alarm ${name} does not exist.`, { status: 404 });

export function deleteAlarms(d: AlarmDeps, ctx: Ctx, input: { AlarmNames: string[] }): Record<string, never> {
  const alarms = input.AlarmNames.map((n) => d.repo.get(ctx.account, ctx.region, n) ?? (() => { throw notFound(n); })());
  // A composite alarm that still refers to an alarm keeps it alive (its rule would dangle).
  for (const a of alarms) {
    const parents = d.runner.composites.parentsOf(a).filter((p) => !input.AlarmNames.includes(p.name));
    if (parents.length > 0) {
      throw new ServiceError('ValidationError', `Alarm ${a.name} is referred to by composite alarm ${parents[0]!.name}; delete or change that alarm first.`);
    }
  }
  const now = ctx.clock.now();
  d.repo.delete(ctx.account, ctx.region, input.AlarmNames, alarms.map((a) => configHistory(a, 'Delete', now)));
  return {};
}

export function setActionsEnabled(d: AlarmDeps, ctx: Ctx, input: { AlarmNames: string[] }, enabled: boolean): Record<string, never> {
  const now = ctx.clock.now();
  for (const n of input.AlarmNames) {
    const a = d.repo.get(ctx.account, ctx.region, n);
    if (a === undefined) continue; // CloudWatch ignores unknown names here
    const config = { ...a.config, ActionsEnabled: enabled };
    d.repo.setConfig(ctx.account, ctx.region, n, config, configHistory({ ...a, config }, 'Update', now));
  }
  return {};
}

const STATES = new Set<AlarmStateValue>(['OK', 'ALARM', 'INSUFFICIENT_DATA']);

export function setAlarmState(d: AlarmDeps, ctx: Ctx, input: { AlarmName: string; StateValue: AlarmStateValue; StateReason: string; StateReasonData?: string }): Record<string, never> {
  if (!STATES.has(input.StateValue)) throw new ServiceError('InvalidParameterValue', `The value ${input.StateValue} for parameter StateValue is invalid.`);
  if (input.StateReasonData !== undefined) {
    try {
      JSON.parse(input.StateReasonData);
    } catch {
      throw new ServiceError('InvalidFormat', 'StateReasonData must be valid JSON.');
    }
  }
  const a = d.repo.get(ctx.account, ctx.region, input.AlarmName);
  if (a === undefined) throw notFound(input.AlarmName);
  // The state holds until the next evaluation, as in CloudWatch; actions fire on the change.
  if (a.kind === 'MetricAlarm') d.runner.deferEvaluation(a);
  d.machine.apply(a, input.StateValue, input.StateReason, input.StateReasonData ?? null, ctx.clock.now());
  return {};
}
