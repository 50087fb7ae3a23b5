/**
 * Applies a new alarm state: history, actions (when enabled and not suppressed) and the bus event,
 * all or nothing (SqliteAlarmRepo.transition). Listeners hear about every transition — composite
 * alarms re-evaluate when a child changes.
 */
import type { AlarmRecord, AlarmStateValue, SqliteAlarmRepo } from '../../../store/meta/alarms.ts';
import type { EventBus } from '../../../lib/event-bus.ts';
import { actionKind, actionRows } from './actions.ts';
import { actionHistory, stateHistory } from './history.ts';
import { stateChangeEvent, type StateChangeFacts } from './notification.ts';

export interface ApplyOptions {
  /** Composite alarms: actions are suppressed (ActionsSuppressor in ALARM, or waiting for it). */
  suppressed?: { by: string; reason: string } | null;
}

export class AlarmStateMachine {
  private readonly listeners = new Set<(a: AlarmRecord, from: AlarmStateValue) => void>();

  constructor(private readonly repo: SqliteAlarmRepo, private readonly bus: EventBus) {}

  onTransition(l: (a: AlarmRecord, from: AlarmStateValue) => void): void {
    this.listeners.add(l);
  }

  /** Returns whether the state changed. Re-applying the current state only refreshes its reason. */
  apply(alarm: AlarmRecord, state: AlarmStateValue, reason: string, reasonData: string | null, at: number, opts: ApplyOptions = {}): boolean {
    const facts: StateChangeFacts = { alarm, oldState: alarm.stateValue, newState: state, reason, reasonData, at };
    const transitioned = alarm.stateValue !== state;
    if (!transitioned) return false;
    const enabled = (alarm.config as { ActionsEnabled?: boolean }).ActionsEnabled !== false;
    const suppressed = opts.suppressed ?? null;
    const fire = enabled && suppressed === null;
    const list = ((alarm.config as Record<string, string[] | undefined>)[
      state === 'ALARM' ? 'AlarmActions' : state === 'OK' ? 'OKActions' : 'InsufficientDataActions'] ?? []);
    const notes = fire
      ? list.filter((a) => actionKind(a) === 'none').map((a) => actionHistory(alarm, at,
        `Action ${a} recorded; Osprey has no resources for it to act on`, { actionState: 'Succeeded', notificationResource: a }))
      : [];
    const ok = this.repo.transition(alarm.account, alarm.region, alarm.name, alarm.stateValue, {
      stateValue: state, stateReason: reason, stateReasonData: reasonData, at,
      history: stateHistory(alarm, state, reason, reasonData, at),
      actions: fire ? actionRows(facts) : [],
      actionHistory: notes,
      ...(alarm.kind === 'CompositeAlarm' ? { suppressedBy: suppressed?.by ?? null, suppressedReason: suppressed?.reason ?? null } : {}),
    });
    if (!ok) return false;
    this.bus.publish(stateChangeEvent(facts));
    const updated = this.repo.get(alarm.account, alarm.region, alarm.name);
    if (updated) for (const l of this.listeners) l(updated, alarm.stateValue);
    return true;
  }
}
