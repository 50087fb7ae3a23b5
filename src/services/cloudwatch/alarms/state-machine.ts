/**
 * Applies a new alarm state: history, actions (when enabled and not suppressed) and the bus event,
 * all or nothing (AlarmRepo.transition). Listeners hear about every transition — composite
 * alarms re-evaluate when a child changes.
 */
import type { AlarmRecord, AlarmRepo, AlarmStateValue } from '../../../store/meta/alarms.ts';
import type { Bus } from '../../../server/facts.ts';
import { actionKind, actionRows } from './actions.ts';
import { actionsFor } from './config.ts';
import { actionHistory, stateHistory } from './history.ts';
import { stateChangeEvent, type StateChangeFacts } from './notification.ts';

export interface ApplyOptions {
  /** Composite alarms: actions are suppressed (ActionsSuppressor in ALARM, or waiting for it). */
  suppressed?: { by: string; reason: string } | null;
}

export class AlarmStateMachine {
  private readonly listeners = new Set<(a: AlarmRecord, from: AlarmStateValue) => void>();

  constructor(private readonly repo: AlarmRepo, private readonly bus: Bus) {}

  onTransition(l: (a: AlarmRecord, from: AlarmStateValue) => void): void {
    this.listeners.add(l);
  }

  /** Returns whether the state changed. Re-applying the current state only refreshes its reason. */
  async apply(alarm: AlarmRecord, state: AlarmStateValue, reason: string, reasonData: string | null, at: number, opts: ApplyOptions = {}): Promise<boolean> {
    const facts: StateChangeFacts = { alarm, oldState: alarm.stateValue, newState: state, reason, reasonData, at };
    const transitioned = alarm.stateValue !== state;
    if (!transitioned) return false;
    const enabled = alarm.config.ActionsEnabled !== false;
    const suppressed = opts.suppressed ?? null;
    const fire = enabled && suppressed === null;
    const list = actionsFor(alarm.config, state);
    const notes = fire
      ? list.filter((a) => actionKind(a) === 'none').map((a) => actionHistory(alarm, at,
        `Action ${a} recorded; Osprey has no resources for it to act on`, { actionState: 'Succeeded', notificationResource: a }))
      : [];
    const ok = await this.repo.transition(alarm.account, alarm.region, alarm.name, alarm.stateValue, {
      stateValue: state, stateReason: reason, stateReasonData: reasonData, at,
      history: stateHistory(alarm, state, reason, reasonData, at),
      actions: fire ? actionRows(facts) : [],
      actionHistory: notes,
      ...(alarm.kind === 'CompositeAlarm' ? { suppressedBy: suppressed?.by ?? null, suppressedReason: suppressed?.reason ?? null } : {}),
    });
    if (!ok) return false;
    this.bus.publish({ kind: 'alarm.stateChanged', event: stateChangeEvent(facts) });
    const updated = await this.repo.get(alarm.account, alarm.region, alarm.name);
    if (updated) for (const l of this.listeners) l(updated, alarm.stateValue);
    return true;
  }
}
