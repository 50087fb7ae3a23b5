// Create / edit a rule: name, description, state, and either an event pattern (a JSON editor with a
// live TestEventPattern box next to it) or a schedule expression (with its next fire times as typed).
import { useState, type FormEvent } from 'react';
import { DescribeRuleCommand, PutRuleCommand, type DescribeRuleResponse, type RuleState } from '@aws-sdk/client-eventbridge';
import { useSession } from '../app-context.ts';
import { field } from '../form-action.ts';
import { href, navigate } from '../router.ts';
import { ErrorBox, Link, Loading, useAsync } from '../ui.tsx';
import { DEFAULT_BUS, prettyJson } from './events-api.ts';
import { PatternTester, sampleEvent } from './events-pattern-test.tsx';
import { NextFireTimes } from './events-schedule.tsx';

const EXAMPLE_PATTERN = JSON.stringify({ source: ['com.example.orders'], 'detail-type': ['Order Placed'] }, null, 2);

export function RuleForm({ bus, name }: { bus: string; name?: string }) {
  const c = useSession();
  const existing = useAsync(async () => (name ? c.events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus })) : undefined), [bus, name]);
  const back = href('/eventbridge', { bus, rule: name });
  return (
    <>
      <div className="toolbar"><Link to={back}>← {name ? name : 'Rules'}</Link><h3 style={{ margin: 0 }}>{name ? `Edit rule ${name}` : 'Create rule'}</h3></div>
      {existing.error ? <ErrorBox error={existing.error} />
        : name && !existing.data ? <Loading what="Loading rule" />
          : <RuleFormBody bus={bus} rule={existing.data} />}
    </>
  );
}

function RuleFormBody({ bus, rule }: { bus: string; rule?: DescribeRuleResponse }) {
  const c = useSession();
  const canSchedule = bus === DEFAULT_BUS;
  const [kind, setKind] = useState<'pattern' | 'schedule'>(rule?.ScheduleExpression && !rule.EventPattern ? 'schedule' : 'pattern');
  const [pattern, setPattern] = useState(rule?.EventPattern ? prettyJson(rule.EventPattern) : EXAMPLE_PATTERN);
  const [schedule, setSchedule] = useState(rule?.ScheduleExpression ?? 'rate(5 minutes)');
  const [event, setEvent] = useState(() => sampleEvent(c.region));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const ruleName = field(f, 'name');
    setBusy(true);
    setError(undefined);
    try {
      await c.events.send(new PutRuleCommand({
        Name: ruleName, EventBusName: bus, Description: field(f, 'description') || undefined, State: field(f, 'state') as RuleState,
        ...(kind === 'pattern' ? { EventPattern: pattern } : { ScheduleExpression: schedule.trim() }),
      }));
      navigate(href('/eventbridge', { bus, rule: ruleName }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <form className="form" style={{ maxWidth: 'none' }} onSubmit={submit} aria-label="Rule">
      <div className="row">
        <label>Rule name<input name="name" required defaultValue={rule?.Name ?? ''} readOnly={!!rule} autoFocus={!rule} /></label>
        <label>State<select name="state" defaultValue={rule?.State ?? 'ENABLED'}><option>ENABLED</option><option>DISABLED</option></select></label>
      </div>
      <label>Description<input name="description" defaultValue={rule?.Description ?? ''} /></label>
      <fieldset role="radiogroup" aria-label="Rule type">
        <label style={{ display: 'inline' }}><input type="radio" name="kind" checked={kind === 'pattern'} onChange={() => setKind('pattern')} /> Event pattern</label>{' '}
        <label style={{ display: 'inline' }}>
          <input type="radio" name="kind" checked={kind === 'schedule'} disabled={!canSchedule} onChange={() => setKind('schedule')} /> Schedule
        </label>
        {!canSchedule && <span className="hint"> (scheduled rules run on the default bus only)</span>}
      </fieldset>
      {kind === 'pattern' ? (
        <div className="cols" style={{ gridTemplateColumns: '1fr 1fr' }}>
          <label>Event pattern
            <textarea className="json" style={{ minHeight: 200 }} value={pattern} onChange={(e) => setPattern(e.target.value)} spellCheck={false} />
          </label>
          <PatternTester pattern={pattern} event={event} onEventChange={setEvent} />
        </div>
      ) : (
        <>
          <label>Schedule expression<input name="schedule" value={schedule} onChange={(e) => setSchedule(e.target.value)} placeholder="rate(5 minutes) or cron(0 12 * * ? *)" required /></label>
          <NextFireTimes key={schedule} expression={schedule.trim()} />
        </>
      )}
      <ErrorBox error={error} />
      <div><button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : rule ? 'Save rule' : 'Create rule'}</button></div>
    </form>
  );
}
