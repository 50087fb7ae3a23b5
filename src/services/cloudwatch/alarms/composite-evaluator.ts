/**
 * Composite alarms: the rule over child states decides ALARM or OK; the ActionsSuppressor alarm
 * holds actions back while it is in ALARM, for WaitPeriod seconds after the composite enters ALARM
 * (giving the suppressor time to go into ALARM) and for ExtensionPeriod seconds after the
 * suppressor leaves ALARM — CloudWatch's documented suppression model.
 *
 * A pending wait is persisted as the composite's ActionsSuppressedBy = WaitPeriod, so after a
 * restart `resumeWaits` finishes it: the actions fire late rather than never.
 */
import type { Clock } from '../../../lib/clock.ts';
import type { AlarmRecord, AlarmRepo, CompositeAlarmRecord } from '../../../store/meta/alarms.ts';
import type { AlarmStateMachine } from './state-machine.ts';
import { compositeReasonData, describeRuleForReason, evaluateAlarmRule, parseAlarmRule, referencedAlarms, ruleUpdatedReason } from './composite/index.ts';
import { alarmArn, alarmNameFromArn } from './arn.ts';
import { actionRows } from './actions.ts';
import { actionHistory } from './history.ts';

const DEFAULT_WAIT_S = 0;
const DEFAULT_EXTENSION_S = 0;

export class CompositeEvaluator {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Suppressor alarm key → when it left ALARM (for ExtensionPeriod). */
  private readonly leftAlarmAt = new Map<string, number>();

  /** `onError` hears about a WaitPeriod that could not be finished (it runs on a timer, with no caller to throw to). */
  constructor(private readonly repo: AlarmRepo, private readonly machine: AlarmStateMachine,
    private readonly clock: Clock, private readonly kick: (a: AlarmRecord) => void,
    private readonly onError: (e: unknown, a: AlarmRecord) => void) {}

  /** Names of the alarms a composite's rule refers to (ARNs of this account/region resolved). */
  children(c: CompositeAlarmRecord): string[] {
    const rule = parseAlarmRule(c.config.AlarmRule);
    return referencedAlarms(rule).map((r) => alarmNameFromArn(r, c) ?? r);
  }

  async parentsOf(child: AlarmRecord): Promise<CompositeAlarmRecord[]> {
    return (await this.repo.all()).filter((a): a is CompositeAlarmRecord => a.kind === 'CompositeAlarm' && a.account === child.account
      && a.region === child.region && (this.children(a).includes(child.name) || suppressorOf(a) === child.name));
  }

  onTransition(a: AlarmRecord): void {
    if (a.stateValue !== 'ALARM') this.leftAlarmAt.set(`${a.account}/${a.region}/${a.name}`, this.clock.now());
  }

  async evaluate(c: CompositeAlarmRecord, now: number): Promise<void> {
    const rule = parseAlarmRule(c.config.AlarmRule);
    // The rule reads child states synchronously: fetch every child it names first.
    const byRef = new Map<string, AlarmRecord | undefined>();
    for (const ref of referencedAlarms(rule)) byRef.set(ref, await this.repo.get(c.account, c.region, alarmNameFromArn(ref, c) ?? ref));
    const children: AlarmRecord[] = [];
    const fired = evaluateAlarmRule(rule, (ref) => {
      const child = byRef.get(ref);
      if (child) children.push(child);
      return child?.stateValue;
    });
    const triggering = children.filter((x) => x.stateValue === 'ALARM');
    const state = fired ? 'ALARM' : 'OK';
    if (state === c.stateValue) return;
    // The reason names the child whose transition moved the composite, or the rule change that did.
    const latest = [...children].sort((x, y) => y.stateTransitionedAt - x.stateTransitionedAt)[0];
    const transition = (t: AlarmRecord) => ({ arn: alarmArn(t), state: t.stateValue, timestamp: t.stateTransitionedAt });
    const reason = latest !== undefined && latest.stateTransitionedAt >= c.configUpdatedAt
      ? describeRuleForReason(transition(latest)) : ruleUpdatedReason(alarmArn(c), state);
    const reasonData = JSON.stringify(compositeReasonData(triggering.map(transition)));
    await this.machine.apply(c, state, reason, reasonData, now, { suppressed: await this.suppression(c, state, now) });
    if (state === 'ALARM') await this.scheduleWaitEnd(c);
  }

  /** Why the actions of a transition to `state` are held back right now, or null. */
  private async suppression(c: CompositeAlarmRecord, state: string, now: number): Promise<{ by: string; reason: string } | null> {
    const sup = suppressorOf(c);
    if (sup === undefined) return null;
    const s = await this.repo.get(c.account, c.region, sup);
    if (s?.stateValue === 'ALARM') return { by: 'Alarm', reason: `Alarm ${sup} is in ALARM state` };
    const cfg = c.config;
    const left = this.leftAlarmAt.get(`${c.account}/${c.region}/${sup}`) ?? s?.stateTransitionedAt;
    const ext = (cfg.ActionsSuppressorExtensionPeriod ?? DEFAULT_EXTENSION_S) * 1000;
    if (left !== undefined && s !== undefined && ext > 0 && now - left < ext && wasAlarm(s)) {
      return { by: 'ExtensionPeriod', reason: `Extension period of ${ext / 1000} seconds after ${sup} left ALARM` };
    }
    const wait = (cfg.ActionsSuppressorWaitPeriod ?? DEFAULT_WAIT_S) * 1000;
    if (state === 'ALARM' && wait > 0) return { by: 'WaitPeriod', reason: `Waiting ${wait / 1000} seconds for ${sup} to go into ALARM` };
    return null;
  }

  /** At the end of a WaitPeriod: fire the held actions unless the suppressor went into ALARM. */
  private async scheduleWaitEnd(c: CompositeAlarmRecord): Promise<void> {
    const cur = await this.repo.get(c.account, c.region, c.name);
    if (cur?.kind !== 'CompositeAlarm' || cur.suppressedBy !== 'WaitPeriod') return;
    const wait = (cur.config.ActionsSuppressorWaitPeriod ?? 0) * 1000;
    const k = `${c.account}/${c.region}/${c.name}`;
    clearTimeout(this.timers.get(k));
    const t = setTimeout(() => {
      this.timers.delete(k);
      this.finishWait(cur).catch((e: unknown) => this.onError(e, cur));
    }, Math.max(0, cur.stateTransitionedAt + wait - this.clock.now()));
    t.unref?.();
    this.timers.set(k, t);
  }

  private async finishWait(c: CompositeAlarmRecord): Promise<void> {
    const cur = await this.repo.get(c.account, c.region, c.name);
    if (cur?.kind !== 'CompositeAlarm' || cur.suppressedBy !== 'WaitPeriod' || cur.stateTransitionedAt !== c.stateTransitionedAt) return;
    const sup = suppressorOf(cur);
    const s = sup === undefined ? undefined : await this.repo.get(cur.account, cur.region, sup);
    const now = this.clock.now();
    if (s !== undefined && s.stateValue === 'ALARM') {
      await this.repo.setSuppression(cur.account, cur.region, cur.name, 'Alarm', `Alarm ${sup} is in ALARM state`);
      return;
    }
    const enabled = cur.config.ActionsEnabled !== false;
    const facts = { alarm: cur, oldState: 'OK' as const, newState: cur.stateValue, reason: cur.stateReason, reasonData: cur.stateReasonData, at: now };
    await this.repo.fireHeldActions(cur.account, cur.region, cur.name, cur.stateValue, enabled ? actionRows(facts) : [],
      [actionHistory(cur, now, `WaitPeriod ended without ${sup} in ALARM; actions executed`, { suppressor: sup })], now);
  }

  /** After a restart: finish the waits that were pending. */
  async resumeWaits(): Promise<void> {
    for (const a of await this.repo.all()) if (a.kind === 'CompositeAlarm' && a.suppressedBy === 'WaitPeriod') await this.scheduleWaitEnd(a);
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

const suppressorOf = (c: CompositeAlarmRecord): string | undefined => {
  const s = c.config.ActionsSuppressor;
  return s === undefined ? undefined : alarmNameFromArn(s, c) ?? s;
};

/** The suppressor left ALARM (rather than never having been in it). */
const wasAlarm = (s: AlarmRecord) => s.stateReason !== '' && s.stateTransitionedAt > 0;
