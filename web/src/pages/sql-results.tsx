// A finished query's result: the rows a page at a time (GetQueryResults with NextToken; Previous
// goes back through the tokens already seen), the total from GetQueryRuntimeStatistics, "Download
// CSV" built from every page in the browser, and the chart view of the same rows.
import { useState } from 'react';
import { GetQueryRuntimeStatisticsCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { Empty, ErrorBox, Loading, useAsync } from '../ui.tsx';
import { allRows, resultPage, useAthena, type Cell, type ResultPage } from './sql-api.ts';
import { ResultChart } from './sql-chart.tsx';
import { toCsv } from './sql-csv.ts';

const PAGE_SIZE = 100;

function Rows({ page, first }: { page: ResultPage; first: number }) {
  if (page.rows.length === 0) return <Empty>The query returned no rows.</Empty>;
  return (
    <div style={{ overflow: 'auto' }}>
      <table aria-label="Query results" className="sql-results">
        <thead><tr><th>#</th>{page.columns.map((c, i) => <th key={i} title={c.type}>{c.name} <span className="muted">{c.type}</span></th>)}</tr></thead>
        <tbody>
          {page.rows.map((r, i) => (
            <tr key={i}><td className="muted">{first + i}</td>{r.map((v, j) => <td key={j}><div className="cell"><Value v={v} /></div></td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** NULL reads differently from an empty string, as in Athena's console. */
const Value = ({ v }: { v: Cell }) => (v === null ? <span className="muted">NULL</span> : <>{v}</>);

/** Saves text as a file through a blob URL (a plain link could not carry the signed request). */
function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function useDownload(execution: QueryExecution) {
  const athena = useAthena();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { columns, rows } = await allRows(athena, execution);
      // Athena names the result file after the query execution id.
      saveFile(`${execution.QueryExecutionId}.csv`, toCsv(columns.map((c) => c.name), rows));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { download, busy, error };
}

export function Results({ execution }: { execution: QueryExecution }) {
  const athena = useAthena();
  const [view, setView] = useState<'table' | 'chart'>('table');
  // The token of every page visited so far; the last is the page shown.
  const [tokens, setTokens] = useState<(string | undefined)[]>([undefined]);
  // The page carries its own position: while the next one loads, the shown rows keep their numbers.
  const page = useAsync(async () => ({ ...(await resultPage(athena, execution, PAGE_SIZE, tokens.at(-1))), index: tokens.length - 1 }), [execution.QueryExecutionId, tokens]);
  const total = useAsync(async () => (await athena.send(new GetQueryRuntimeStatisticsCommand({ QueryExecutionId: execution.QueryExecutionId })))
    .QueryRuntimeStatistics?.Rows?.OutputRows, [execution.QueryExecutionId]);
  const { download, busy, error } = useDownload(execution);
  const first = (page.data?.index ?? 0) * PAGE_SIZE + 1;
  const shown = page.data?.rows.length ?? 0;
  return (
    <div className="panel" aria-label="Results" role="region">
      <div className="toolbar">
        <h3 style={{ margin: 0 }}>Results</h3>
        <div className="range" role="tablist" aria-label="Result view">
          {(['table', 'chart'] as const).map((v) => (
            <button key={v} type="button" role="tab" aria-selected={view === v} className={view === v ? 'active' : ''} onClick={() => setView(v)}>
              {v === 'table' ? 'Table' : 'Chart'}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <button type="button" onClick={() => void download()} disabled={busy}>{busy ? 'Preparing CSV…' : 'Download CSV'}</button>
      </div>
      <ErrorBox error={error} />
      {view === 'chart' ? <ResultChart execution={execution} /> : (
        <>
          <ErrorBox error={page.error} />
          {page.loading && !page.data ? <Loading what="Reading results" /> : page.data && <Rows page={page.data} first={first} />}
          <div className="toolbar" style={{ marginTop: 8 }}>
            <span className="muted" role="status">
              {shown ? `Rows ${first}–${first + shown - 1}` : 'No rows'}{total.data !== undefined ? ` of ${total.data}` : ''}
            </span>
            <button type="button" disabled={tokens.length < 2 || page.loading} onClick={() => setTokens((t) => t.slice(0, -1))}>Previous</button>
            <button type="button" disabled={!page.data?.next || page.loading} onClick={() => setTokens((t) => [...t, page.data!.next])}>Next</button>
          </div>
        </>
      )}
    </div>
  );
}
