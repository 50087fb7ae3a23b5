// Logs Insights: query editor with highlighting, group picker, results with expandable rows, a
// histogram of matches over time and saved queries (query definitions, saved with their log groups).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  DescribeLogGroupsCommand, DescribeQueryDefinitionsCommand, PutQueryDefinitionCommand, type QueryDefinition,
} from '@aws-sdk/client-cloudwatch-logs';
import { useSession } from '../app-context.ts';
import { href, useQueryState } from '../router.ts';
import { TRACE_ID_FIELDS, xrayTraceId } from '../trace-ids.ts';
import { resolveRange, formatTime } from '../time.ts';
import { runInsights, histogramQuery, type InsightsResult } from '../insights-run.ts';
import { QueryEditor } from '../highlight.tsx';
import { TimeChart } from '../chart.tsx';
import { Dialog, Empty, ErrorBox, Link, Loading, TimeRangePicker, useAsync } from '../ui.tsx';

const DEFAULT_QUERY = 'fields @timestamp, @message, @logStream\n| sort @timestamp desc\n| limit 100';

/** A query that ended without results (Failed, Cancelled, Timeout) is an error, not an empty table. */
const failed = (r: InsightsResult) => r.status !== 'Complete' && { name: `Query${r.status}`, message: `The query ended with status ${r.status}.` };

type RunResult = { table: InsightsResult; hist: InsightsResult; start: Date; end: Date };

/**
 * Running a query: a new run (or a refused one) clears the previous results and banner first, so an
 * error never sits above results of an earlier query.
 */
function useQueryRun(groups: string[], range: string) {
  const c = useSession();
  const [result, setResult] = useState<RunResult>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const abort = useRef<AbortController | undefined>(undefined);
  const run = async (text: string) => {
    abort.current?.abort();
    setResult(undefined);
    setError(undefined);
    if (groups.length === 0) return setError({ name: 'ValidationError', message: 'Pick at least one log group.' });
    const ac = (abort.current = new AbortController());
    setRunning(true);
    try {
      const { start, end } = resolveRange(range);
      const [table, hist] = await Promise.all([
        runInsights(c, groups, text, start, end, ac.signal),
        runInsights(c, groups, histogramQuery(text, start, end), start, end, ac.signal),
      ]);
      const bad = failed(table);
      if (bad) throw bad;
      if (!ac.signal.aborted) setResult({ table, hist, start, end });
    } catch (e) {
      if (!ac.signal.aborted) setError(e);
    } finally {
      if (abort.current === ac) setRunning(false);
    }
  };
  return { result, running, error, setError, run, cancel: () => abort.current?.abort() };
}

export default function Insights() {
  const [q, setQ] = useQueryState();
  const groups = (q.get('groups') ?? '').split(',').filter(Boolean);
  const range = q.get('range') ?? '1h';
  const [text, setText] = useState(q.get('query') ?? DEFAULT_QUERY);
  const [saving, setSaving] = useState(false);
  // The saved query last opened: saving under its name again updates it instead of adding a copy.
  const [opened, setOpened] = useState<{ id: string; name: string }>();
  // Bumped after a save so the saved-queries list reloads.
  const [savedVersion, setSavedVersion] = useState(0);
  const { result, running, error, run, cancel } = useQueryRun(groups, range);
  const start = () => (setQ({ query: text }), void run(text));
  // A shared link with a query runs it on open.
  useEffect(() => {
    if (q.get('query') && groups.length) start();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, on open: later edits of the query must not rerun it
  }, []);
  const open = (d: QueryDefinition) => {
    setText(d.queryString ?? '');
    setOpened({ id: d.queryDefinitionId!, name: d.name ?? '' });
    if (d.logGroupNames?.length) setQ({ groups: d.logGroupNames.join(',') });
  };

  return (
    <>
      <div className="toolbar"><h2>Logs Insights</h2><TimeRangePicker value={range} onChange={(r) => setQ({ range: r })} /></div>
      <div className="cols">
        <div>
          <GroupPicker groups={groups} onChange={(g) => setQ({ groups: g.join(',') })} />
          <SavedQueries key={savedVersion} onOpen={open} />
        </div>
        <div>
          <div className="panel">
            <QueryEditor value={text} onChange={setText} onRun={start} />
            <div className="toolbar" style={{ marginTop: 8 }}>
              <button type="button" className="primary" onClick={start} disabled={running}>{running ? 'Running…' : 'Run query'}</button>
              {running && <button type="button" onClick={cancel}>Cancel</button>}
              <button type="button" onClick={() => setSaving(true)}>Save</button>
              <span className="muted">Ctrl+Enter runs the query. Groups: {groups.join(', ') || 'none'}</span>
            </div>
            <ErrorBox error={error} />
          </div>
          {running && <Loading what="Running query" />}
          {result && <Results {...result} />}
        </div>
      </div>
      {saving && (
        <SaveQueryDialog text={text} groups={groups} opened={opened} onClose={() => setSaving(false)}
          onSaved={(s) => (setOpened(s), setSaving(false), setSavedVersion((v) => v + 1))} />
      )}
    </>
  );
}

function GroupPicker({ groups, onChange }: { groups: string[]; onChange: (groups: string[]) => void }) {
  const c = useSession();
  const all = useAsync(async () => (await c.logs.send(new DescribeLogGroupsCommand({ limit: 50 }))).logGroups ?? [], []);
  const toggle = (g: string) => onChange(groups.includes(g) ? groups.filter((x) => x !== g) : [...groups, g]);
  return (
    <div className="panel">
      <h3>Log groups</h3>
      {all.error ? <ErrorBox error={all.error} /> : !all.data ? <Loading /> : all.data.length === 0 ? <Empty>No log groups.</Empty> : (
        <ul className="list" aria-label="Log group picker">
          {all.data.map((g) => (
            <li key={g.logGroupName}>
              <label><input type="checkbox" checked={groups.includes(g.logGroupName!)} onChange={() => toggle(g.logGroupName!)} /> {g.logGroupName}</label>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function SavedQueries({ onOpen }: { onOpen: (d: QueryDefinition) => void }) {
  const c = useSession();
  const saved = useAsync(async () => (await c.logs.send(new DescribeQueryDefinitionsCommand({}))).queryDefinitions ?? [], []);
  return (
    <div className="panel">
      <h3>Saved queries</h3>
      <ErrorBox error={saved.error} />
      {saved.data?.length === 0 && <Empty>None saved yet.</Empty>}
      <ul className="list" aria-label="Saved queries">
        {saved.data?.map((d) => (
          <li key={d.queryDefinitionId}>
            <a href="#" title={(d.logGroupNames ?? []).join(', ')} onClick={(e) => (e.preventDefault(), onOpen(d))}>{d.name}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Saves the editor's query with the picked log groups (PutQueryDefinition logGroupNames). */
function SaveQueryDialog({ text, groups, opened, onClose, onSaved }: {
  text: string; groups: string[]; opened?: { id: string; name: string };
  onClose: () => void; onSaved: (saved: { id: string; name: string }) => void;
}) {
  const c = useSession();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
    setBusy(true);
    setError(undefined);
    try {
      const { queryDefinitionId } = await c.logs.send(new PutQueryDefinitionCommand({
        name, queryString: text, logGroupNames: groups.length ? groups : undefined,
        queryDefinitionId: opened?.name === name ? opened.id : undefined,
      }));
      onSaved({ id: queryDefinitionId!, name });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };
  return (
    <Dialog title="Save query" onClose={onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <label>Name<input name="name" required autoFocus defaultValue={opened?.name ?? ''} maxLength={255} /></label>
        <div className="muted">Log groups: {groups.join(', ') || 'none (pick them when you run it)'}</div>
        <ErrorBox error={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
        </div>
      </form>
    </Dialog>
  );
}

function Results({ table, hist, start, end }: { table: InsightsResult; hist: InsightsResult; start: Date; end: Date }) {
  const [open, setOpen] = useState<number | undefined>();
  const binKey = hist.fields.find((f) => f.startsWith('bin(')) ?? '';
  const points = hist.rows.map((r) => [Date.parse(r[binKey].replace(' ', 'T') + 'Z'), Number(r.matches)] as [number, number]).sort((a, b) => a[0] - b[0]);
  const fields = table.fields.filter((f) => f !== '@ptr');
  return (
    <>
      <div className="panel">
        <div className="muted" role="status">
          {table.status}: {table.rows.length} rows · {table.stats?.recordsMatched ?? 0} records matched · {table.stats?.recordsScanned ?? 0} scanned
        </div>
        <TimeChart series={[{ name: 'matches', points }]} kind="bar" height={160} range={{ start, end }} label="histogram" />
      </div>
      <div className="panel">
        {table.rows.length === 0 ? <Empty>No results for this query and time range.</Empty> : (
          <table aria-label="Query results">
            <thead><tr><th>#</th>{fields.map((f) => <th key={f}>{f}</th>)}</tr></thead>
            <tbody>
              {table.rows.flatMap((r, i) => [
                <tr key={i} className="expandable" tabIndex={0} aria-expanded={open === i} onClick={() => setOpen(open === i ? undefined : i)}
                  onKeyDown={(k) => k.key === 'Enter' && setOpen(open === i ? undefined : i)}>
                  <td>{open === i ? '▾' : '▸'} {i + 1}</td>
                  {fields.map((f) => <td key={f} className="msg">{f === '@timestamp' ? formatTime(Date.parse(r[f].replace(' ', 'T') + 'Z'), true) : <Cell field={f} value={r[f]} />}</td>)}
                </tr>,
                open === i && (
                  <tr key={`${i}-d`} className="detail">
                    <td colSpan={fields.length + 1}>
                      <table><tbody>{table.fields.map((f) => <tr key={f}><th>{f}</th><td className="msg"><Cell field={f} value={r[f]} /></td></tr>)}</tbody></table>
                    </td>
                  </tr>
                ),
              ])}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}

/** A result value; a trace id (`@xrayTraceId`, `traceId`…) links to the trace on the Traces page. */
function Cell({ field, value }: { field: string; value: string | undefined }) {
  const trace = value !== undefined && TRACE_ID_FIELDS.has(field) ? xrayTraceId(value) : undefined;
  if (!trace) return <>{value}</>;
  // The row toggles on click; following the link must not.
  return <span onClick={(e) => e.stopPropagation()}><Link to={href('/traces', { trace })}>{value}</Link></span>;
}
