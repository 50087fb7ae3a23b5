// EventBridge Scheduler: schedule groups (the `default` one always there; create, delete with its
// schedules) and, per group, its schedules — a paged list, a schedule's detail (GetSchedule as JSON,
// next fire times) and the create / edit form (scheduler-form.tsx). The URL holds group, schedule
// and edit (`edit=` with no value: a new schedule).
import { useState } from 'react';
import {
  CreateScheduleGroupCommand, DeleteScheduleGroupCommand, GetScheduleGroupCommand, paginateListScheduleGroups,
} from '@aws-sdk/client-scheduler';
import { useSession } from '../app-context.ts';
import { collect } from '../aws.ts';
import { formAction, field } from '../form-action.ts';
import { useQueryState } from '../router.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Loading, Notice, StateBadge, useAsync } from '../ui.tsx';
import { formatTime } from '../time.ts';
import { ScheduleList, ScheduleDetail } from './scheduler-schedules.tsx';
import { ScheduleForm } from './scheduler-form.tsx';

/** The group every account has; it cannot be deleted. */
export const DEFAULT_GROUP = 'default';

export default function Scheduler() {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const group = q.get('group') || DEFAULT_GROUP;
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const act = formAction(setError);
  const groups = useAsync(() => collect(paginateListScheduleGroups({ client: c.scheduler }, {}), (p) => p.ScheduleGroups), []);
  const select = (name: string) => (setNotice(undefined), setQ({ group: name, schedule: undefined, edit: undefined }, true));
  const create = act(async (f) => {
    const name = field(f, 'name');
    await c.scheduler.send(new CreateScheduleGroupCommand({ Name: name }));
    return name;
  }, (name) => (setNotice(`Created schedule group ${name}`), groups.reload()));
  return (
    <>
      <div className="toolbar">
        <h2>Scheduler</h2>
        <form className="toolbar" style={{ margin: 0 }} aria-label="Create schedule group" onSubmit={create}>
          <input name="name" aria-label="New schedule group name" placeholder="New schedule group name" required />
          <button type="submit">Create schedule group</button>
        </form>
      </div>
      <ErrorBox error={error} />
      {notice && <Notice>{notice}</Notice>}
      <div className="cols">
        <div className="panel">
          <h3>Schedule groups</h3>
          <AsyncView state={groups} isEmpty={(g) => g.length === 0} empty="No schedule groups.">
            {(list) => (
              <ul className="list" aria-label="Schedule groups">
                {list.map((g) => (
                  <li key={g.Name}>
                    <a href="#" aria-current={g.Name === group ? 'true' : undefined} style={{ fontWeight: g.Name === group ? 600 : undefined, flex: 1 }}
                      onClick={(e) => (e.preventDefault(), select(g.Name!))}>{g.Name}</a>
                    {g.State !== 'ACTIVE' && <StateBadge state={g.State} />}
                  </li>
                ))}
              </ul>
            )}
          </AsyncView>
        </div>
        <div className="panel">
          <GroupDetail key={group} group={group}
            onDeleted={() => (setNotice(`Deleted schedule group ${group}`), setQ({ group: undefined, schedule: undefined, edit: undefined }), groups.reload())} />
        </div>
      </div>
    </>
  );
}

function GroupDetail({ group, onDeleted }: { group: string; onDeleted: () => void }) {
  const c = useSession();
  const [q] = useQueryState();
  const [deleting, setDeleting] = useState(false);
  const info = useAsync(() => c.scheduler.send(new GetScheduleGroupCommand({ Name: group })), [group]);
  if (info.error) return <ErrorBox error={info.error} />;
  if (!info.data) return <Loading what="Loading schedule group" />;
  const arn = info.data.Arn ?? '';
  // arn:aws:scheduler:<region>:<account>:schedule-group/<name>: the account prefills the target role ARN.
  const account = arn.split(':')[4] ?? '';
  const edit = q.get('edit');
  const schedule = q.get('schedule');
  return (
    <>
      <div className="toolbar">
        <h3 style={{ margin: 0, flex: 1 }}>{group}</h3>
        <StateBadge state={info.data.State} />
        {group !== DEFAULT_GROUP && <button type="button" className="danger" onClick={() => setDeleting(true)}>Delete schedule group</button>}
      </div>
      <dl className="muted" aria-label="Schedule group details">
        <dt>ARN</dt><dd><code>{arn}</code></dd>
        {info.data.CreationDate && <><dt>Created</dt><dd>{formatTime(info.data.CreationDate)}</dd></>}
      </dl>
      {edit !== null ? <ScheduleForm key={edit} group={group} name={edit || undefined} account={account} />
        : schedule ? <ScheduleDetail key={schedule} group={group} name={schedule} />
          : <ScheduleList group={group} />}
      {deleting && (
        <ConfirmDialog title="Delete schedule group" action="Delete" onClose={() => setDeleting(false)}
          onConfirm={async () => (await c.scheduler.send(new DeleteScheduleGroupCommand({ Name: group })), onDeleted())}>
          Delete the schedule group <strong>{group}</strong> and every schedule in it? Its schedules stop firing.
        </ConfirmDialog>
      )}
    </>
  );
}
