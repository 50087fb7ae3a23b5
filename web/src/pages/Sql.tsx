// SQL (Athena): SQL over the account's telemetry through the Athena API — the schema browser, an
// editor with completion of tables and columns, the workgroup and context database, a run's state,
// run time and data scanned with Cancel, the results (pages, CSV, chart), the workgroup's recent
// queries and its saved (named) queries. The URL holds workgroup, db, query and execution, so a
// run is a link; a link with a query but no execution (Logs, CloudTrail) runs it once on open.
import { useEffect, useRef, useState } from 'react';
import { paginateListWorkGroups, type NamedQuery, type QueryExecution } from '@aws-sdk/client-athena';
import { collect } from '../aws.ts';
import { useQueryState } from '../router.ts';
import { ErrorBox, useAsync } from '../ui.tsx';
import { DEFAULT_DATABASE, PRIMARY, useAthena } from './sql-api.ts';
import { SqlEditor, type SqlEditorHandle } from './sql-editor.tsx';
import { History } from './sql-history.tsx';
import { Results } from './sql-results.tsx';
import { useSqlRun } from './sql-run.ts';
import { PreparedStatements } from './sql-prepared.tsx';
import { SaveQueryDialog, SavedQueries, type Opened } from './sql-saved.tsx';
import { SchemaBrowser, useSchema } from './sql-schema.tsx';
import { RunStatus } from './sql-status.tsx';

const DEFAULT_QUERY = "SELECT log_group, count(*) AS events\nFROM osprey.logs\nWHERE timestamp > now() - interval '1' hour\nGROUP BY 1\nORDER BY 2 DESC";

function Pickers({ workgroup, database, databases, onChange }: {
  workgroup: string; database: string; databases: string[] | undefined; onChange: (patch: Record<string, string | undefined>) => void;
}) {
  const athena = useAthena();
  const groups = useAsync(() => collect(paginateListWorkGroups({ client: athena }, {}), (p) => p.WorkGroups), [athena]);
  // The current choice stays listed while the lists load (or if the URL names one that is gone).
  const names = [...new Set([workgroup, ...(groups.data ?? []).map((w) => w.Name!)])];
  const dbs = [...new Set([database, ...(databases ?? [])])];
  return (
    <>
      <label>Workgroup <select aria-label="Workgroup" value={workgroup} onChange={(e) => onChange({ workgroup: e.target.value, execution: undefined })}>
        {names.map((n) => <option key={n} value={n}>{n}</option>)}
      </select></label>
      <label>Database <select aria-label="Database" value={database} onChange={(e) => onChange({ db: e.target.value })}>
        {dbs.map((n) => <option key={n} value={n}>{n}</option>)}
      </select></label>
      <ErrorBox error={groups.error} />
    </>
  );
}

export default function Sql() {
  const [q, setQ] = useQueryState();
  const workgroup = q.get('workgroup') ?? PRIMARY;
  const database = q.get('db') ?? DEFAULT_DATABASE;
  const [text, setText] = useState(q.get('query') ?? DEFAULT_QUERY);
  const schema = useSchema();
  const editor = useRef<SqlEditorHandle>(null);
  // Bumped when a query settles (history) or a query is saved (saved queries), to reload the lists.
  const [historyVersion, setHistoryVersion] = useState(0);
  const [savedVersion, setSavedVersion] = useState(0);
  const [saving, setSaving] = useState(false);
  const [opened, setOpened] = useState<Opened>();
  const run = useSqlRun((e) => {
    setHistoryVersion((v) => v + 1);
    // CREATE / DROP / ALTER / MSCK change what the schema browser and completion know.
    if (e.StatementType === 'DDL' && e.Status?.State === 'SUCCEEDED') schema.reload();
  });
  const start = async () => {
    if (run.busy) return;
    setQ({ query: text, execution: undefined });
    const id = await run.start(text, workgroup, database);
    if (id) setQ({ execution: id });
  };
  useEffect(() => {
    const execution = q.get('execution');
    if (execution) run.open(execution);
    else if (q.get('query')) void start();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on open: a linked execution is shown, a linked query runs
  }, []);
  const openExecution = (e: QueryExecution) => {
    setText(e.Query ?? '');
    setQ({ query: e.Query, execution: e.QueryExecutionId, db: e.QueryExecutionContext?.Database });
    run.open(e.QueryExecutionId!);
  };
  const openSaved = (n: NamedQuery) => {
    setText(n.QueryString ?? '');
    setOpened({ id: n.NamedQueryId!, name: n.Name ?? '', description: n.Description });
    setQ({ db: n.Database, query: n.QueryString, execution: undefined });
  };
  const succeeded = run.execution?.Status?.State === 'SUCCEEDED' ? run.execution : undefined;

  return (
    <>
      <div className="toolbar">
        <h2>SQL (Athena)</h2>
        <Pickers workgroup={workgroup} database={database} databases={schema.data?.map((d) => d.name)} onChange={(p) => setQ(p, true)} />
      </div>
      <div className="cols">
        <div>
          <SchemaBrowser schema={schema} database={database} onInsert={(t) => editor.current?.insert(t)} />
          <SavedQueries workgroup={workgroup} version={savedVersion} onOpen={openSaved} />
          <PreparedStatements workgroup={workgroup} version={historyVersion} onOpen={(t) => (setText(t), setQ({ query: t, execution: undefined }))} />
        </div>
        <div>
          <div className="panel">
            <SqlEditor ref={editor} value={text} onChange={setText} onRun={() => void start()} schema={schema.data} database={database} />
            <div className="toolbar" style={{ marginTop: 8, marginBottom: 0 }}>
              <button type="button" className="primary" onClick={() => void start()} disabled={run.busy || !text.trim()}>{run.busy ? 'Running…' : 'Run'}</button>
              {run.busy && <button type="button" onClick={run.cancel} disabled={!run.execution}>Cancel</button>}
              <button type="button" onClick={() => setSaving(true)} disabled={!text.trim()}>Save</button>
              <span className="muted">Ctrl+Enter runs the query · Tab or Enter takes a completion</span>
            </div>
            <ErrorBox error={run.error} />
            {run.execution && <RunStatus execution={run.execution} />}
          </div>
          {succeeded && <Results key={succeeded.QueryExecutionId} execution={succeeded} />}
          <History workgroup={workgroup} version={historyVersion} onOpen={openExecution} />
        </div>
      </div>
      {saving && (
        <SaveQueryDialog text={text} workgroup={workgroup} database={database} opened={opened} onClose={() => setSaving(false)}
          onSaved={(s) => (setOpened(s), setSaving(false), setSavedVersion((v) => v + 1))} />
      )}
    </>
  );
}
