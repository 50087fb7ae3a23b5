// The schedules of one group: a paged list (ListSchedules pages of PAGE_SIZE, followed by NextToken;
// ListSchedules returns no expression, so each row's GetSchedule fills it in), a schedule's detail
// (GetSchedule as JSON, next fire times) and delete behind an in-page confirmation.
import { useState, type ReactNode } from 'react';
import { DeleteScheduleCommand, GetScheduleCommand, ListSchedulesCommand, type GetScheduleOutput } from '@aws-sdk/client-scheduler';
import { useSession } from '../app-context.ts';
import { href, navigate, useQueryState } from '../router.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Link, Loading, StateBadge, useAsync } from '../ui.tsx';
import { formatTime } from '../time.ts';
import { ScheduleFireTimes } from './scheduler-fire-times.tsx';

const PAGE_SIZE = 20;

// `edit=` (an empty value, a new schedule) is appended by hand since href drops empty values.
export const scheduleLink = (group: string, params: Record<string, string | undefined> = {}) => href('/scheduler', { group, ...params });

/** GetSchedule's answer without the SDK's response metadata, for display. */
export function scheduleJson(s: GetScheduleOutput & { $metadata?: unknown }): string {
  const { $metadata: _, ...rest } = s;
  return JSON.stringify(rest, null, 2);
}

function Pager({ page, hasNext, onPrev, onNext }: { page: number; hasNext: boolean; onPrev: () => void; onNext: () => void }) {
  return (
    <div className="toolbar" role="group" aria-label="Pages">
      <button type="button" disabled={page === 0} onClick={onPrev}>Previous page</button>
      <span className="muted">Page {page + 1}</span>
      <button type="button" disabled={!hasNext} onClick={onNext}>Next page</button>
    </div>
  );
}

export function ScheduleList({ group }: { group: string }) {
  const c = useSession();
  // tokens[i] is the NextToken that reads page i (undefined for the first).
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  const [prefix, setPrefix] = useState('');
  const token = tokens[tokens.length - 1];
  const page = useAsync(async () => {
    const r = await c.scheduler.send(new ListSchedulesCommand({ GroupName: group, NamePrefix: prefix || undefined, MaxResults: PAGE_SIZE, NextToken: token }));
    const details = await Promise.all((r.Schedules ?? []).map((s) => c.scheduler.send(new GetScheduleCommand({ GroupName: group, Name: s.Name })).catch(() => undefined)));
    return { rows: (r.Schedules ?? []).map((s, i) => ({ summary: s, detail: details[i] })), next: r.NextToken };
  }, [group, token, prefix]);
  return (
    <>
      <div className="toolbar">
        <h3 style={{ margin: 0, flex: 1 }}>Schedules</h3>
        <input aria-label="Schedule name prefix" placeholder="Name prefix" value={prefix} onChange={(e) => (setPrefix(e.target.value.trim()), setTokens([undefined]))} />
        <button type="button" className="primary" onClick={() => navigate(`${scheduleLink(group)}&edit=`)}>Create schedule</button>
      </div>
      <AsyncView state={page} isEmpty={(p) => p.rows.length === 0 && tokens.length === 1} empty="No schedules in this group.">
        {(p) => (
          <>
            <table aria-label="Schedules">
              <thead><tr><th>Name</th><th>State</th><th>Expression</th><th>Time zone</th><th>Target</th><th>Modified</th></tr></thead>
              <tbody>{p.rows.map(({ summary: s, detail: d }) => (
                <tr key={s.Name}>
                  <td><Link to={scheduleLink(group, { schedule: s.Name })}>{s.Name}</Link></td>
                  <td><StateBadge state={s.State} /></td>
                  <td><code>{d?.ScheduleExpression ?? '—'}</code></td>
                  <td>{d ? d.ScheduleExpressionTimezone ?? 'UTC' : '—'}</td>
                  <td className="msg">{s.Target?.Arn}</td>
                  <td>{formatTime(s.LastModificationDate)}</td>
                </tr>
              ))}</tbody>
            </table>
            {(tokens.length > 1 || p.next) && (
              <Pager page={tokens.length - 1} hasNext={!!p.next}
                onPrev={() => setTokens((t) => t.slice(0, -1))} onNext={() => setTokens((t) => [...t, p.next])} />
            )}
          </>
        )}
      </AsyncView>
    </>
  );
}

function Fields({ s }: { s: GetScheduleOutput }) {
  const row = (label: string, value: ReactNode) => <><dt>{label}</dt><dd>{value}</dd></>;
  const w = s.FlexibleTimeWindow;
  return (
    <dl aria-label="Schedule details">
      {row('ARN', <code>{s.Arn}</code>)}
      {s.Description && row('Description', s.Description)}
      {row('Expression', <code>{s.ScheduleExpression}</code>)}
      {row('Time zone', s.ScheduleExpressionTimezone ?? 'UTC')}
      {row('Flexible time window', w?.Mode === 'FLEXIBLE' ? `FLEXIBLE, ${w.MaximumWindowInMinutes} minutes` : 'OFF')}
      {(s.StartDate || s.EndDate) && row('Active', `${s.StartDate ? formatTime(s.StartDate) : '…'} → ${s.EndDate ? formatTime(s.EndDate) : '…'}`)}
      {row('Target', <code>{s.Target?.Arn}</code>)}
      {row('Role', <code>{s.Target?.RoleArn}</code>)}
      {row('After completion', s.ActionAfterCompletion ?? 'NONE')}
    </dl>
  );
}

export function ScheduleDetail({ group, name }: { group: string; name: string }) {
  const c = useSession();
  const [, setQ] = useQueryState();
  const [deleting, setDeleting] = useState(false);
  const s = useAsync(() => c.scheduler.send(new GetScheduleCommand({ GroupName: group, Name: name })), [group, name]);
  const back = <Link to={scheduleLink(group)}>← Schedules</Link>;
  if (s.error) return <>{back}<ErrorBox error={s.error} /></>;
  if (!s.data) return <Loading what="Loading schedule" />;
  const d = s.data;
  return (
    <>
      <div className="toolbar">
        {back}
        <h3 style={{ margin: 0 }}>{d.Name}</h3>
        <StateBadge state={d.State} />
        <span className="spacer" />
        <Link to={scheduleLink(group, { edit: name })}>Edit</Link>
        <button type="button" aria-label={`Delete ${name}`} onClick={() => setDeleting(true)}>Delete</button>
      </div>
      <Fields s={d} />
      {d.ScheduleExpression && (
        <ScheduleFireTimes timing={{
          expression: d.ScheduleExpression, timezone: d.ScheduleExpressionTimezone, startDate: d.StartDate?.getTime(),
          endDate: d.EndDate?.getTime(), createdAt: d.CreationDate?.getTime(),
        }} />
      )}
      <h4>GetSchedule</h4>
      <pre aria-label="Schedule JSON">{scheduleJson(d)}</pre>
      {deleting && (
        <ConfirmDialog title="Delete schedule" action="Delete" onClose={() => setDeleting(false)}
          onConfirm={async () => (await c.scheduler.send(new DeleteScheduleCommand({ GroupName: group, Name: name })), setQ({ schedule: undefined }))}>
          Delete the schedule <strong>{name}</strong>? It stops invoking its target.
        </ConfirmDialog>
      )}
    </>
  );
}
