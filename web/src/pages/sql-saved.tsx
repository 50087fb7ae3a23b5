// Saved queries are Athena's named queries, kept per workgroup: the list (ListNamedQueries, then
// BatchGetNamedQuery for names and text), open, delete, and saving the editor's query with its
// database — under the name of the saved query last opened, it updates that one instead of adding
// a copy, as the Logs Insights page does.
import { useState } from 'react';
import {
  BatchGetNamedQueryCommand, CreateNamedQueryCommand, DeleteNamedQueryCommand, ListNamedQueriesCommand, UpdateNamedQueryCommand, type NamedQuery,
} from '@aws-sdk/client-athena';
import { field, formAction } from '../form-action.ts';
import { AsyncView, ConfirmDialog, Dialog, ErrorBox, useAsync } from '../ui.tsx';
import { useAthena } from './sql-api.ts';

export interface Opened { id: string; name: string; description?: string }

export function SavedQueries({ workgroup, version, onOpen }: { workgroup: string; /** Bumped after a save. */ version: number; onOpen: (n: NamedQuery) => void }) {
  const athena = useAthena();
  const [deleting, setDeleting] = useState<NamedQuery>();
  const saved = useAsync(async () => {
    const ids = (await athena.send(new ListNamedQueriesCommand({ WorkGroup: workgroup, MaxResults: 50 }))).NamedQueryIds ?? [];
    if (ids.length === 0) return [];
    const r = await athena.send(new BatchGetNamedQueryCommand({ NamedQueryIds: ids }));
    return (r.NamedQueries ?? []).sort((a, b) => (a.Name ?? '').localeCompare(b.Name ?? ''));
  }, [athena, workgroup, version]);
  return (
    <div className="panel">
      <h3>Saved queries</h3>
      <AsyncView state={saved} isEmpty={(l) => l.length === 0} empty="None saved yet.">
        {(l) => (
          <ul className="list" aria-label="Saved queries">
            {l.map((n) => (
              <li key={n.NamedQueryId}>
                <a href="#" style={{ flex: 1 }} title={n.Description || n.QueryString} onClick={(e) => (e.preventDefault(), onOpen(n))}>{n.Name}</a>
                <span className="muted">{n.Database}</span>
                <button type="button" aria-label={`Delete ${n.Name}`} onClick={() => setDeleting(n)}>Delete</button>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      {deleting && (
        <ConfirmDialog title="Delete saved query" action="Delete" onClose={() => setDeleting(undefined)}
          onConfirm={async () => (await athena.send(new DeleteNamedQueryCommand({ NamedQueryId: deleting.NamedQueryId })), saved.reload())}>
          Delete the saved query <strong>{deleting.Name}</strong>?
        </ConfirmDialog>
      )}
    </div>
  );
}

/** CreateNamedQuery (or UpdateNamedQuery of the one opened, when the name is kept) for the editor's query. */
export function SaveQueryDialog({ text, workgroup, database, opened, onClose, onSaved }: {
  text: string; workgroup: string; database: string; opened?: Opened; onClose: () => void; onSaved: (saved: Opened) => void;
}) {
  const athena = useAthena();
  const [error, setError] = useState<unknown>();
  const submit = formAction(setError)(async (f) => {
    const name = field(f, 'name');
    const description = field(f, 'description') || undefined;
    if (opened && opened.name === name) {
      await athena.send(new UpdateNamedQueryCommand({ NamedQueryId: opened.id, Name: name, Description: description, QueryString: text }));
      return { id: opened.id, name, description };
    }
    const { NamedQueryId } = await athena.send(new CreateNamedQueryCommand({ Name: name, Description: description, Database: database, QueryString: text, WorkGroup: workgroup }));
    return { id: NamedQueryId!, name, description };
  }, onSaved);
  return (
    <Dialog title="Save query" onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>Name<input name="name" required autoFocus defaultValue={opened?.name ?? ''} maxLength={128} /></label>
        <label>Description<input name="description" defaultValue={opened?.description ?? ''} maxLength={1024} /></label>
        <div className="muted">Database {database}, workgroup {workgroup}</div>
        <ErrorBox error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit">Save</button>
        </div>
      </form>
    </Dialog>
  );
}
