// Logs Insights: query editor with highlighting, group picker, results with expandable rows, a
// histogram of matches over time and saved queries (query definitions).
import { useEffect, useRef, useState } from 'react';
import { DescribeLogGroupsCommand, DescribeQueryDefinitionsCommand, PutQueryDefinitionCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useSession } from '../app-context.ts';
import { useQueryState } from '../router.ts';
import { resolveRange, formatTime } from '../time.ts';
import { runInsights, histogramQuery, type InsightsResult } from '../insights-run.ts';
import { QueryEditor } from '../highlight.tsx';
import { TimeChart } from '../chart.tsx';
import { Empty, ErrorBox, Loading, TimeRangePicker, useAsync } from '../ui.tsx';

const DEFAULT_QUERY = 'fields @timestamp, @message, @logStream\n| sort @timestamp desc\n| limit 100';

export default function Insights() {
  const c = useSession();
  const [q, setQ] = useQueryState();
  const groups = (q.get('groups') ?? '').split(',').filter(Boolean);
  const range = q.get('range') ?? '1h';
  const [text, setText] = useState(q.get('query') ?? DEFAULT_QUERY);
  const [result, setResult] = useState<{ table: InsightsResult; hist: InsightsResult; start: Date; end: Date }>();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>();
  const abort = useRef<AbortController | undefined>(undefined);
  const all = useAsync(async () => (await c.logs.send(new DescribeLogGroupsCommand({ limit: 50 }))).logGroups ?? [], []);
  const saved = useAsync(async () => (await c.logs.send(new DescribeQueryDefinitionsCommand({}))).queryDefinitions ?? [], []);

  const run = async () => {
    if (groups.length === 0) return setError({ name: 'ValidationError', message: 'Pick at least one log group.' });
    setQ({ query: text });
    abort.current?.abort();
    const ac = (abort.current = new AbortController());
    setRunning(true);
    setError(undefined);
    try {
      const { start, end } = resolveRange(range);
      const [table, hist] = await Promise.all([
        runInsights(c, groups, text, start, end, ac.signal),
        runInsights(c, groups, histogramQuery(text, start, end), start, end, ac.signal),
      ]);
      setResult({ table, hist, start, end });
    } catch (e) {
      if (!ac.signal.aborted) setError(e);
    } finally {
      setRunning(false);
    }
  };
  // A shared link with a query runs it on open.
  useEffect(() => {
    if (q.get('query') && groups.length) void run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const save = async () => {
    const name = prompt('Save query as', 'My query');
    if (!name) return;
    try {
      await c.logs.send(new PutQueryDefinitionCommand({ name, queryString: text, logGroupNames: groups }));
      saved.reload();
    } catch (e) {
      setError(e);
    }
  };

  const toggleGroup = (g: string) => setQ({ groups: (groups.includes(g) ? groups.filter((x) => x !== g) : [...groups, g]).join(',') });

  return (
    <>
      <div className="toolbar"><h2>Logs Insights</h2><TimeRangePicker value={range} onChange={(r) => setQ({ range: r })} /></div>
      <div className="cols">
        <div>
          <div className="panel">
            <h3>Log groups</h3>
            {all.error ? <ErrorBox error={all.error} /> : !all.data ? <Loading /> : all.data.length === 0 ? <Empty>No log groups.</Empty> : (
              <ul className="list" aria-label="Log group picker">
                {all.data.map((g) => (
                  <li key={g.logGroupName}>
                    <label><input type="checkbox" checked={groups.includes(g.logGroupName!)} onChange={() => toggleGroup(g.logGroupName!)} /> {g.logGroupName}</label>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="panel">
            <h3>Saved queries</h3>
            {saved.data?.length === 0 && <Empty>None saved yet.</Empty>}
            <ul className="list" aria-label="Saved queries">
              {saved.data?.map((d) => (
                <li key={d.queryDefinitionId}>
                  <a href="#" onClick={(e) => { e.preventDefault(); setText(d.queryString ?? ''); if (d.logGroupNames?.length) setQ({ groups: d.logGroupNames.join(',') }); }}>{d.name}</a>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <div>
          <div className="panel">
            <QueryEditor value={text} onChange={setText} onRun={() => void run()} />
            <div className="toolbar" style={{ marginTop: 8 }}>
              <button type="button" className="primary" onClick={() => void run()} disabled={running}>{running ? 'Running…' : 'Run query'}</button>
              {running && <button type="button" onClick={() => abort.current?.abort()}>Cancel</button>}
              <button type="button" onClick={() => void save()}>Save</button>
              <span className="muted">Ctrl+Enter runs the query. Groups: {groups.join(', ') || 'none'}</span>
            </div>
            <ErrorBox error={error} />
          </div>
          {running && !result && <Loading what="Running query" />}
          {result && <Results {...result} />}
        </div>
      </div>
    </>
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
                  {fields.map((f) => <td key={f} className="msg">{f === '@timestamp' ? formatTime(Date.parse(r[f].replace(' ', 'T') + 'Z'), true) : r[f]}</td>)}
                </tr>,
                open === i && (
                  <tr key={`${i}-d`} className="detail">
                    <td colSpan={fields.length + 1}>
                      <table><tbody>{table.fields.map((f) => <tr key={f}><th>{f}</th><td className="msg">{r[f]}</td></tr>)}</tbody></table>
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
