// Create / edit a schedule: name, description, state, the expression (at / rate / cron) with its time
// zone and next fire times as typed, the flexible time window, start and end dates, the target (a
// Lambda function, SNS topic, log group or event bus ARN, with the RoleArn the API requires, input,
// retry policy) and what happens after the last invocation. Editing sends UpdateSchedule with every
// field, as the API replaces the whole schedule; target settings the form does not show are kept.
import { useState, type FormEvent } from 'react';
import {
  CreateScheduleCommand, GetScheduleCommand, UpdateScheduleCommand,
  type ActionAfterCompletion, type CreateScheduleInput, type GetScheduleOutput, type ScheduleState, type Target,
} from '@aws-sdk/client-scheduler';
import { useSession } from '../app-context.ts';
import { field } from '../form-action.ts';
import { navigate } from '../router.ts';
import { ErrorBox, Link, Loading, useAsync } from '../ui.tsx';
import { fromInputValue, toInputValue } from '../time.ts';
import { ScheduleFireTimes } from './scheduler-fire-times.tsx';
import { scheduleLink } from './scheduler-schedules.tsx';

const TARGETS = {
  logs: { label: 'CloudWatch Logs log group', arn: (r: string, a: string) => `arn:aws:logs:${r}:${a}:log-group:my-log-group` },
  lambda: { label: 'Lambda function', arn: (r: string, a: string) => `arn:aws:lambda:${r}:${a}:function:my-function` },
  sns: { label: 'SNS topic', arn: (r: string, a: string) => `arn:aws:sns:${r}:${a}:my-topic` },
  bus: { label: 'EventBridge event bus', arn: (r: string, a: string) => `arn:aws:events:${r}:${a}:event-bus/default` },
} as const;
type TargetKind = keyof typeof TARGETS;

function kindOf(arn: string | undefined): TargetKind {
  if (arn?.startsWith('arn:aws:lambda:')) return 'lambda';
  if (arn?.startsWith('arn:aws:sns:')) return 'sns';
  if (arn?.startsWith('arn:aws:events:')) return 'bus';
  return 'logs';
}

let zones: string[] | undefined;
/** IANA zone names for the time zone field's suggestions. */
function timeZones(): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones;
}

const dateOf = (v: string): Date | undefined => (v ? fromInputValue(v) : undefined);

export function ScheduleForm({ group, name, account }: { group: string; name?: string; account: string }) {
  const c = useSession();
  const existing = useAsync(async () => (name ? c.scheduler.send(new GetScheduleCommand({ GroupName: group, Name: name })) : undefined), [group, name]);
  return (
    <>
      <div className="toolbar">
        <Link to={scheduleLink(group, { schedule: name })}>← {name ?? 'Schedules'}</Link>
        <h3 style={{ margin: 0 }}>{name ? `Edit schedule ${name}` : 'Create schedule'}</h3>
      </div>
      {existing.error ? <ErrorBox error={existing.error} />
        : name && !existing.data ? <Loading what="Loading schedule" />
          : <ScheduleFormBody group={group} schedule={existing.data} account={account} />}
    </>
  );
}

/** The request a submitted form describes (everything but the name and group). */
function requestFrom(f: FormData, kind: TargetKind, old?: GetScheduleOutput): Omit<CreateScheduleInput, 'Name' | 'GroupName'> {
  const num = (k: string) => (field(f, k) === '' ? undefined : Number(field(f, k)));
  const retry = { MaximumRetryAttempts: num('maxRetries'), MaximumEventAgeInSeconds: num('maxAge') };
  const input = String(f.get('input') ?? '');
  const target: Target = {
    ...old?.Target,
    Arn: field(f, 'targetArn'), RoleArn: field(f, 'roleArn'), Input: input.trim() ? input : undefined,
    RetryPolicy: retry.MaximumRetryAttempts !== undefined || retry.MaximumEventAgeInSeconds !== undefined ? retry : undefined,
    EventBridgeParameters: kind === 'bus' ? { DetailType: field(f, 'detailType'), Source: field(f, 'source') } : undefined,
  };
  const flexible = field(f, 'windowMode') === 'FLEXIBLE';
  return {
    ScheduleExpression: field(f, 'expression'), ScheduleExpressionTimezone: field(f, 'timezone') || undefined,
    Description: field(f, 'description') || undefined, State: field(f, 'state') as ScheduleState,
    StartDate: dateOf(field(f, 'startDate')), EndDate: dateOf(field(f, 'endDate')),
    FlexibleTimeWindow: flexible ? { Mode: 'FLEXIBLE', MaximumWindowInMinutes: num('windowMinutes') } : { Mode: 'OFF' },
    ActionAfterCompletion: field(f, 'afterCompletion') as ActionAfterCompletion,
    KmsKeyArn: old?.KmsKeyArn, Target: target,
  };
}

type TimingText = { expression: string; timezone: string; start: string; end: string };

const timingOf = (s?: GetScheduleOutput): TimingText => ({
  expression: s?.ScheduleExpression ?? 'rate(5 minutes)', timezone: s?.ScheduleExpressionTimezone ?? 'UTC',
  start: s?.StartDate ? toInputValue(s.StartDate) : '', end: s?.EndDate ? toInputValue(s.EndDate) : '',
});

function TimingFields({ schedule, t, onTiming }: { schedule?: GetScheduleOutput; t: TimingText; onTiming: (t: TimingText) => void }) {
  const [mode, setMode] = useState(schedule?.FlexibleTimeWindow?.Mode ?? 'OFF');
  const set = (patch: Partial<TimingText>) => onTiming({ ...t, ...patch });
  return (
    <>
      <div className="row">
        <label>Schedule expression
          <input name="expression" required value={t.expression} onChange={(e) => set({ expression: e.target.value })}
            placeholder="at(2030-01-01T09:00:00), rate(5 minutes) or cron(0 9 ? * MON-FRI *)" />
        </label>
        <label>Time zone
          <input name="timezone" list="scheduler-zones" value={t.timezone} onChange={(e) => set({ timezone: e.target.value })} />
          <datalist id="scheduler-zones">{timeZones().map((z) => <option key={z} value={z} />)}</datalist>
        </label>
      </div>
      <div className="row">
        <label>Flexible time window
          <select name="windowMode" value={mode} onChange={(e) => setMode(e.target.value as 'OFF' | 'FLEXIBLE')}><option>OFF</option><option>FLEXIBLE</option></select>
        </label>
        {mode === 'FLEXIBLE' && (
          <label>Maximum window (minutes)<input name="windowMinutes" type="number" min={1} max={1440} required defaultValue={schedule?.FlexibleTimeWindow?.MaximumWindowInMinutes ?? 15} /></label>
        )}
        <label>Start date<input name="startDate" type="datetime-local" value={t.start} onChange={(e) => set({ start: e.target.value })} /></label>
        <label>End date<input name="endDate" type="datetime-local" value={t.end} onChange={(e) => set({ end: e.target.value })} /></label>
      </div>
    </>
  );
}

function TargetFields({ schedule, account, kind, onKind }: { schedule?: GetScheduleOutput; account: string; kind: TargetKind; onKind: (k: TargetKind) => void }) {
  const c = useSession();
  const old = schedule?.Target;
  const [arn, setArn] = useState(old?.Arn ?? TARGETS[kind].arn(c.region, account));
  const choose = (k: TargetKind) => (onKind(k), setArn(TARGETS[k].arn(c.region, account)));
  return (
    <fieldset aria-label="Target">
      <legend>Target</legend>
      <div className="row">
        <label>Target type
          <select value={kind} onChange={(e) => choose(e.target.value as TargetKind)}>
            {(Object.keys(TARGETS) as TargetKind[]).map((k) => <option key={k} value={k}>{TARGETS[k].label}</option>)}
          </select>
        </label>
        <label>Target ARN<input name="targetArn" required value={arn} onChange={(e) => setArn(e.target.value)} /></label>
      </div>
      <label>Role ARN<input name="roleArn" required defaultValue={old?.RoleArn ?? `arn:aws:iam::${account}:role/scheduler`} /></label>
      {kind === 'bus' && (
        <div className="row">
          <label>Detail type<input name="detailType" required defaultValue={old?.EventBridgeParameters?.DetailType ?? 'Scheduled Event'} /></label>
          <label>Source<input name="source" required defaultValue={old?.EventBridgeParameters?.Source ?? 'com.example.scheduler'} /></label>
        </div>
      )}
      <label>Input (JSON)
        <textarea name="input" className="json" style={{ height: 90, minHeight: 60 }} spellCheck={false} defaultValue={old?.Input ?? ''} placeholder='{"job": "nightly-report"}' />
      </label>
      <div className="row">
        <label>Maximum retry attempts<input name="maxRetries" type="number" min={0} max={185} defaultValue={old?.RetryPolicy?.MaximumRetryAttempts} /></label>
        <label>Maximum event age (s)<input name="maxAge" type="number" min={60} max={86400} defaultValue={old?.RetryPolicy?.MaximumEventAgeInSeconds} /></label>
      </div>
    </fieldset>
  );
}

function ScheduleFormBody({ group, schedule, account }: { group: string; schedule?: GetScheduleOutput; account: string }) {
  const c = useSession();
  const [kind, setKind] = useState<TargetKind>(kindOf(schedule?.Target?.Arn));
  const [timing, setTiming] = useState(() => timingOf(schedule));
  const [createdAt] = useState(() => schedule?.CreationDate?.getTime() ?? Date.now());
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const name = schedule?.Name ?? field(f, 'name');
    setBusy(true);
    setError(undefined);
    try {
      const input = { Name: name, GroupName: group, ...requestFrom(f, kind, schedule) };
      await c.scheduler.send(schedule ? new UpdateScheduleCommand(input) : new CreateScheduleCommand(input));
      navigate(scheduleLink(group, { schedule: name }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form className="form" style={{ maxWidth: 'none' }} onSubmit={submit} aria-label="Schedule">
      <div className="row">
        <label>Schedule name<input name="name" required defaultValue={schedule?.Name ?? ''} readOnly={!!schedule} autoFocus={!schedule} /></label>
        <label>State<select name="state" defaultValue={schedule?.State ?? 'ENABLED'}><option>ENABLED</option><option>DISABLED</option></select></label>
        <label>After completion
          <select name="afterCompletion" defaultValue={schedule?.ActionAfterCompletion ?? 'NONE'}><option>NONE</option><option>DELETE</option></select>
        </label>
      </div>
      <label>Description<input name="description" defaultValue={schedule?.Description ?? ''} /></label>
      <TimingFields schedule={schedule} t={timing} onTiming={setTiming} />
      <ScheduleFireTimes timing={{
        expression: timing.expression.trim(), timezone: timing.timezone.trim(), createdAt,
        startDate: dateOf(timing.start)?.getTime(), endDate: dateOf(timing.end)?.getTime(),
      }} />
      <TargetFields schedule={schedule} account={account} kind={kind} onKind={setKind} />
      <ErrorBox error={error} />
      <div><button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : schedule ? 'Save schedule' : 'Create schedule'}</button></div>
    </form>
  );
}
