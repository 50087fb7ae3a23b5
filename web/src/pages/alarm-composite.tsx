// Composite alarms on the Alarms page: the rule with its child alarms (linked, with their states) in
// the list, and the detail view's rule, children and actions panels.
import { DescribeAlarmsCommand, type CompositeAlarm, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { useSession } from '../app-context.ts';
import { ruleChildren } from '../alarm-rule.ts';
import { href } from '../router.ts';
import { formatTime } from '../time.ts';
import { AsyncView, Link, StateBadge, useAsync, useInterval } from '../ui.tsx';

export type AnyAlarm = MetricAlarm | CompositeAlarm;
export const isComposite = (a: AnyAlarm): a is CompositeAlarm => 'AlarmRule' in a && a.AlarmRule !== undefined;

/** The list's condition cell for a composite: its rule, then each child with its current state. */
export function CompositeCondition({ alarm, states }: { alarm: CompositeAlarm; states: Map<string, string | undefined> }) {
  const children = ruleChildren(alarm.AlarmRule ?? '');
  return (
    <>
      <code className="rule">{alarm.AlarmRule}</code>
      {children.length > 0 && (
        <ul className="children" aria-label="Child alarms">
          {children.map((n) => (
            <li key={n}><StateBadge state={states.get(n)} /><Link to={href('/alarms', { name: n })}>{n}</Link></li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The composite's detail: rule, suppression, and its children as DescribeAlarms(ChildrenOfAlarmName) reports them. */
export function CompositeBody({ alarm, pollMs }: { alarm: CompositeAlarm; pollMs: number }) {
  const c = useSession();
  const children = useAsync(async () => {
    const r = await c.cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: alarm.AlarmName, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    return [...(r.MetricAlarms ?? []), ...(r.CompositeAlarms ?? [])] as AnyAlarm[];
  }, [alarm.AlarmName]);
  useInterval(children.reload, pollMs);
  return (
    <>
      <div className="panel">
        {alarm.AlarmDescription && <p>{alarm.AlarmDescription}</p>}
        <h3>Rule</h3>
        <pre className="rule-text">{alarm.AlarmRule}</pre>
        <p><strong>Reason:</strong> {alarm.StateReason}</p>
        {alarm.ActionsSuppressor && (
          <p><strong>Actions suppressor:</strong> <Link to={href('/alarms', { name: alarm.ActionsSuppressor })}>{alarm.ActionsSuppressor}</Link>
            {' '}(wait {alarm.ActionsSuppressorWaitPeriod ?? 0}s, extension {alarm.ActionsSuppressorExtensionPeriod ?? 0}s)
            {/* The server reports "None" when nothing suppresses, which the SDK's enum does not list. */}
            {alarm.ActionsSuppressedBy && String(alarm.ActionsSuppressedBy) !== 'None' && <> · suppressed by {alarm.ActionsSuppressedBy}: {alarm.ActionsSuppressedReason}</>}
          </p>
        )}
      </div>
      <div className="panel">
        <h3>Child alarms</h3>
        <AsyncView state={children} isEmpty={(l) => l.length === 0} empty="The rule refers to no existing alarm.">
          {(list) => (
            <table aria-label="Child alarms">
              <thead><tr><th>State</th><th>Name</th><th>Type</th><th>Last state update</th></tr></thead>
              <tbody>
                {list.map((a) => (
                  <tr key={a.AlarmName}>
                    <td><StateBadge state={a.StateValue} /></td>
                    <td><Link to={href('/alarms', { name: a.AlarmName })}>{a.AlarmName}</Link></td>
                    <td>{isComposite(a) ? 'Composite' : 'Metric'}</td>
                    <td>{formatTime(a.StateUpdatedTimestamp)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </AsyncView>
      </div>
    </>
  );
}

/** What the alarm does on each state (SNS topics, Lambda functions…). */
export function AlarmActions({ alarm }: { alarm: AnyAlarm }) {
  const rows: [string, string[] | undefined][] = [['ALARM', alarm.AlarmActions], ['OK', alarm.OKActions], ['INSUFFICIENT_DATA', alarm.InsufficientDataActions]];
  return (
    <div className="panel">
      <h3>Actions {alarm.ActionsEnabled === false && <span className="muted">(disabled)</span>}</h3>
      <table aria-label="Alarm actions">
        <thead><tr><th>On state</th><th>Actions</th></tr></thead>
        <tbody>
          {rows.map(([state, arns]) => (
            <tr key={state}><td><StateBadge state={state} /></td><td className="msg">{arns?.length ? arns.join('\n') : <span className="muted">none</span>}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
