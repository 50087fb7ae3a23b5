/**
 * StartCanary and StopCanary. Start moves READY/STOPPED/ERROR to STARTING; the runner then makes it
 * RUNNING and runs it at once and on its schedule. Stop moves RUNNING to STOPPING; the runner makes
 * it STOPPED when no run of it is in progress (a run under way finishes and is recorded).
 */
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { existingCanary } from './canaries.ts';
import type { SyntheticsDeps } from './deps.ts';
import { conflict } from './names.ts';

export async function startCanary(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'StartCanary'>): Promise<CallOutput<'synthetics', 'StartCanary'>> {
  const c = await existingCanary(deps, ctx, input.Name!);
  const now = deps.clock.now();
  const ok = await deps.repo.transition(ctx, c.name, ['READY', 'STOPPED', 'ERROR'], { state: 'STARTING', stateReason: undefined, stateReasonCode: undefined, lastStarted: now });
  if (!ok) throw conflict(`Canary ${c.name} is in state ${c.state}; only a READY, STOPPED or ERROR canary can be started.`);
  deps.changed();
  return {};
}

export async function stopCanary(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'StopCanary'>): Promise<CallOutput<'synthetics', 'StopCanary'>> {
  const c = await existingCanary(deps, ctx, input.Name!);
  const ok = await deps.repo.transition(ctx, c.name, ['RUNNING', 'STARTING'], { state: 'STOPPING', stateReason: 'Stopped by StopCanary.' });
  if (!ok) throw conflict(`Canary ${c.name} is in state ${c.state}; only a running canary can be stopped.`);
  deps.changed();
  return {};
}
