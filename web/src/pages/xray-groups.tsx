// X-Ray groups: each group's filter expression and ARN, "View traces" (the Traces tab narrowed to the
// group: its service map and the traces that match), the create / edit form (filter expression,
// checked by the API, and tags) and delete. The Default group holds every trace and cannot change.
import { useState } from 'react';
import {
  CreateGroupCommand, DeleteGroupCommand, GetGroupsCommand, UpdateGroupCommand,
  type Group,
} from '@aws-sdk/client-xray';
import { field } from '../form-action.ts';
import { useQueryState } from '../router.ts';
import { parseTags, tagsText } from '../tags.ts';
import { AsyncView, ConfirmDialog, ErrorBox, Loading, Notice, useAsync } from '../ui.tsx';
import { retag, useXray, useXrayTags } from './xray-api.ts';

const DEFAULT_GROUP = 'Default';

export function GroupsTab() {
  const xray = useXray();
  const [q, setQ] = useQueryState();
  const edit = q.get('edit');
  const creating = q.get('create') !== null;
  const [deleting, setDeleting] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const groups = useAsync(async () => (await xray.send(new GetGroupsCommand({}))).Groups ?? [], []);
  const done = (message: string) => (setNotice(message), setQ({ edit: undefined, create: undefined }), groups.reload());
  if (edit !== null || creating) {
    const existing = groups.data?.find((g) => g.GroupName === edit);
    if (edit && !existing) return groups.error ? <ErrorBox error={groups.error} /> : <Loading what="Loading group" />;
    return <GroupForm key={edit ?? ''} existing={existing} onDone={done} onCancel={() => setQ({ edit: undefined, create: undefined })} />;
  }
  return (
    <div className="panel">
      <div className="toolbar">
        <h3 style={{ margin: 0, flex: 1 }}>Groups</h3>
        <button type="button" className="primary" onClick={() => (setNotice(undefined), setQ({ create: '1' }))}>Create group</button>
      </div>
      {notice && <Notice>{notice}</Notice>}
      <AsyncView state={groups} isEmpty={(g) => g.length === 0} empty="No groups.">
        {(list) => (
          <table aria-label="Groups">
            <thead><tr><th>Name</th><th>Filter expression</th><th>ARN</th><th /></tr></thead>
            <tbody>{list.map((g) => (
              <tr key={g.GroupName}>
                <td>{g.GroupName === DEFAULT_GROUP ? g.GroupName
                  : <a href="#" onClick={(e) => (e.preventDefault(), setNotice(undefined), setQ({ edit: g.GroupName }))}>{g.GroupName}</a>}</td>
                <td><code>{g.FilterExpression ?? '(every trace)'}</code></td>
                <td className="muted"><code>{g.GroupARN}</code></td>
                <td className="toolbar" style={{ margin: 0 }}>
                  <button type="button" onClick={() => setQ({ tab: undefined, edit: undefined, create: undefined, group: g.GroupName === DEFAULT_GROUP ? undefined : g.GroupName }, true)}>View traces</button>
                  {g.GroupName !== DEFAULT_GROUP && <button type="button" className="danger" onClick={() => setDeleting(g.GroupName)}>Delete</button>}
                </td>
              </tr>
            ))}</tbody>
          </table>
        )}
      </AsyncView>
      {deleting && (
        <ConfirmDialog title={`Delete group ${deleting}?`} action="Delete group" onClose={() => setDeleting(undefined)}
          onConfirm={async () => { await xray.send(new DeleteGroupCommand({ GroupName: deleting })); done(`Deleted group ${deleting}`); }}>
          The traces stay; only the group's filter and its tags go.
        </ConfirmDialog>
      )}
    </div>
  );
}

function GroupForm({ existing, onDone, onCancel }: { existing?: Group; onDone: (message: string) => void; onCancel: () => void }) {
  const xray = useXray();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const tags = useXrayTags(existing?.GroupARN);
  const submit = async (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const expression = field(f, 'filter') || undefined;
    const newTags = parseTags(String(f.get('tags') ?? ''));
    setBusy(true);
    setError(undefined);
    try {
      if (existing) {
        await xray.send(new UpdateGroupCommand({ GroupName: existing.GroupName, FilterExpression: expression ?? '' }));
        await retag(xray, existing.GroupARN, tags.data ?? [], newTags);
        onDone(`Saved group ${existing.GroupName}`);
      } else {
        const name = field(f, 'name');
        await xray.send(new CreateGroupCommand({ GroupName: name, FilterExpression: expression, Tags: newTags.length ? newTags : undefined }));
        onDone(`Created group ${name}`);
      }
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  if (existing && !tags.data && !tags.error) return <Loading what="Loading tags" />;
  return (
    <div className="panel">
      <h3>{existing ? `Edit group ${existing.GroupName}` : 'Create group'}</h3>
      <form className="form" aria-label="Group" onSubmit={submit}>
        <label>Group name<input name="name" required readOnly={!!existing} defaultValue={existing?.GroupName ?? ''} maxLength={32} /></label>
        <label>Filter expression<input name="filter" defaultValue={existing?.FilterExpression ?? ''} placeholder='service("checkout") AND fault' /></label>
        <label>Tags (key=value, one per line)<textarea name="tags" spellCheck={false} defaultValue={tagsText(tags.data ?? [])} /></label>
        <ErrorBox error={error ?? tags.error} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={busy}>{busy ? 'Saving…' : existing ? 'Save group' : 'Create group'}</button>
          <button type="button" onClick={onCancel}>Cancel</button>
        </div>
      </form>
    </div>
  );
}
