// The rules of one event bus: a list with state and pattern or schedule, enable / disable / delete,
// and a rule's detail (pattern, schedule with its next fire times, targets). Create / edit is
// events-rule-form.tsx.
import { useState } from 'react';
import { DeleteRuleCommand, DescribeRuleCommand, DisableRuleCommand, EnableRuleCommand, type Rule } from '@aws-sdk/client-eventbridge';
import { useSession } from '../app-context.ts';
import { href, navigate, useQueryState } from '../router.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Link, Loading, StateBadge, useAsync } from '../ui.tsx';
import { listRules, prettyJson } from './events-api.ts';
import { RuleForm } from './events-rule-form.tsx';
import { NextFireTimes } from './events-schedule.tsx';
import { TargetsPanel } from './events-targets.tsx';

export function RulesTab({ bus }: { bus: string }) {
  const [q] = useQueryState();
  const edit = q.get('edit');
  const rule = q.get('rule');
  if (edit !== null) return <RuleForm key={edit} bus={bus} name={edit || undefined} />;
  if (rule) return <RuleDetail key={rule} bus={bus} name={rule} />;
  return <RuleList bus={bus} />;
}

// Always has `?bus=…`; `edit=` (an empty value, a new rule) is appended by hand since href drops empty values.
const ruleLink = (bus: string, params: Record<string, string | undefined>) => href('/eventbridge', { bus, ...params });

/** Enable / Disable / Delete for one rule; errors show next to the buttons. */
function RuleActions({ bus, rule, onChanged, onDeleted }: { bus: string; rule: Rule; onChanged: () => void; onDeleted: () => void }) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const [deleting, setDeleting] = useState(false);
  const enabled = rule.State === 'ENABLED';
  const toggle = async () => {
    setError(undefined);
    try {
      const input = { Name: rule.Name, EventBusName: bus };
      await c.events.send(enabled ? new DisableRuleCommand(input) : new EnableRuleCommand(input));
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <button type="button" aria-label={`${enabled ? 'Disable' : 'Enable'} ${rule.Name}`} onClick={() => void toggle()}>{enabled ? 'Disable' : 'Enable'}</button>
      {' '}
      <button type="button" aria-label={`Delete ${rule.Name}`} onClick={() => setDeleting(true)}>Delete</button>
      <ErrorBox error={error} />
      {deleting && (
        <ConfirmDialog title="Delete rule" action="Delete" onClose={() => setDeleting(false)}
          onConfirm={async () => (await c.events.send(new DeleteRuleCommand({ Name: rule.Name, EventBusName: bus })), onDeleted())}>
          Delete the rule <strong>{rule.Name}</strong>? Remove its targets first: EventBridge refuses to delete a rule that has targets.
        </ConfirmDialog>
      )}
    </>
  );
}

function RuleList({ bus }: { bus: string }) {
  const c = useSession();
  const rules = useAsync(() => listRules(c.events, bus), [bus]);
  return (
    <>
      <div className="toolbar">
        <h3 style={{ margin: 0, flex: 1 }}>Rules</h3>
        <button type="button" className="primary" onClick={() => navigate(`${ruleLink(bus, {})}&edit=`)}>Create rule</button>
      </div>
      <AsyncView state={rules} isEmpty={(r) => r.length === 0} empty="No rules on this bus.">
        {(list) => (
          <table aria-label="Rules">
            <thead><tr><th>Name</th><th>State</th><th>Pattern or schedule</th><th /></tr></thead>
            <tbody>{list.map((r) => (
              <tr key={r.Name}>
                <td><Link to={ruleLink(bus, { rule: r.Name })}>{r.Name}</Link></td>
                <td><StateBadge state={r.State} /></td>
                <td className="msg">{r.ScheduleExpression ?? r.EventPattern}</td>
                <td><RuleActions bus={bus} rule={r} onChanged={rules.reload} onDeleted={rules.reload} /></td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
    </>
  );
}

function RuleDetail({ bus, name }: { bus: string; name: string }) {
  const c = useSession();
  const [, setQ] = useQueryState();
  const rule = useAsync(() => c.events.send(new DescribeRuleCommand({ Name: name, EventBusName: bus })), [bus, name]);
  if (rule.error) return <><Link to={ruleLink(bus, {})}>← Rules</Link><ErrorBox error={rule.error} /></>;
  if (!rule.data) return <Loading what="Loading rule" />;
  const r = rule.data;
  return (
    <>
      <div className="toolbar">
        <Link to={ruleLink(bus, {})}>← Rules</Link>
        <h3 style={{ margin: 0 }}>{r.Name}</h3>
        <StateBadge state={r.State} />
        <span className="spacer" />
        <Link to={ruleLink(bus, { edit: name })}>Edit</Link>
        <RuleActions bus={bus} rule={r} onChanged={rule.reload} onDeleted={() => setQ({ rule: undefined })} />
      </div>
      <p className="muted"><code>{r.Arn}</code>{r.Description ? ` · ${r.Description}` : ''}</p>
      {r.EventPattern && <><h4>Event pattern</h4><pre aria-label="Event pattern">{prettyJson(r.EventPattern)}</pre></>}
      {r.ScheduleExpression && (
        <>
          <h4>Schedule</h4>
          <p><code>{r.ScheduleExpression}</code></p>
          <NextFireTimes expression={r.ScheduleExpression} />
        </>
      )}
      <TargetsPanel bus={bus} rule={name} />
    </>
  );
}
