// Recent queries of the workgroup, newest first (ListQueryExecutions, then BatchGetQueryExecution
// for their state, times and text, 50 at a time as the API allows). Opening one loads its text into
// the editor and shows its status and results.
import { BatchGetQueryExecutionCommand, ListQueryExecutionsCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { formatBytes, formatTime } from '../time.ts';
import { AsyncView, StateBadge, useAsync } from '../ui.tsx';
import { href } from '../router.ts';
import { useAthena } from './sql-api.ts';

const LIMIT = 50;

export function History({ workgroup, version, onOpen }: { workgroup: string; /** Bumped when a query settles. */ version: number; onOpen: (q: QueryExecution) => void }) {
  const athena = useAthena();
  const list = useAsync(async () => {
    const ids = (await athena.send(new ListQueryExecutionsCommand({ WorkGroup: workgroup, MaxResults: LIMIT }))).QueryExecutionIds ?? [];
    if (ids.length === 0) return [];
    const r = await athena.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: ids }));
    const at = (q: QueryExecution) => q.Status?.SubmissionDateTime?.getTime() ?? 0;
    return (r.QueryExecutions ?? []).sort((a, b) => at(b) - at(a));
  }, [athena, workgroup, version]);
  return (
    <div className="panel">
      <div className="toolbar">
        <h3 style={{ margin: 0 }}>Recent queries</h3>
        <span className="muted">in workgroup {workgroup}</span>
        <span className="spacer" />
        <button type="button" onClick={list.reload} disabled={list.loading}>Refresh</button>
      </div>
      <AsyncView state={list} isEmpty={(l) => l.length === 0} empty="No queries in this workgroup yet.">
        {(l) => (
          <table aria-label="Query history">
            <thead><tr><th>Submitted</th><th>State</th><th>Run time</th><th>Data scanned</th><th>Query</th></tr></thead>
            <tbody>
              {l.map((q) => (
                <tr key={q.QueryExecutionId}>
                  <td>{formatTime(q.Status?.SubmissionDateTime)}</td>
                  <td><StateBadge state={q.Status?.State} /></td>
                  <td>{q.Statistics?.TotalExecutionTimeInMillis !== undefined ? `${q.Statistics.TotalExecutionTimeInMillis} ms` : '—'}</td>
                  <td>{formatBytes(q.Statistics?.DataScannedInBytes ?? 0)}</td>
                  <td className="msg">
                    {/* A real link (new tab, copy) to the execution; a plain click opens it in place. */}
                    <a href={href('/sql', { workgroup, execution: q.QueryExecutionId, query: q.Query })} title={q.Status?.StateChangeReason}
                      onClick={(e) => (e.preventDefault(), onOpen(q))}>{abbreviate(q.Query ?? '')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
    </div>
  );
}

/** The query on one line, cut at 160 characters. */
const abbreviate = (sql: string): string => {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
};
