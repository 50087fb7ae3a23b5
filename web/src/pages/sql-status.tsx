// Where a query stands: its state, the time it has taken (counting up while it runs), the data it
// scanned, and why it failed or was cancelled (StateChangeReason, e.g. "SYNTAX_ERROR: line 1:8: …").
import { useState } from 'react';
import type { QueryExecution } from '@aws-sdk/client-athena';
import { formatBytes } from '../time.ts';
import { ErrorBox, StateBadge, useInterval } from '../ui.tsx';
import { isActive } from './sql-api.ts';

/** Run time as Athena's console writes it: "98 ms", "1.234 sec". */
function formatRunTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(3)} sec`;
}

/** Milliseconds the query has taken: the server's total once it settled, the clock's count before. */
function elapsed(q: QueryExecution, now: number): number | undefined {
  if (!isActive(q)) return q.Statistics?.TotalExecutionTimeInMillis;
  const submitted = q.Status?.SubmissionDateTime?.getTime();
  return submitted === undefined ? undefined : Math.max(0, now - submitted);
}

export function RunStatus({ execution }: { execution: QueryExecution }) {
  const [now, setNow] = useState(Date.now);
  useInterval(() => setNow(Date.now()), isActive(execution) ? 250 : 0);
  const state = execution.Status?.State;
  const reason = execution.Status?.StateChangeReason;
  return (
    <>
      <div className="toolbar" role="status" aria-label="Query status" style={{ margin: '8px 0 0' }}>
        <StateBadge state={state} />
        <span>Run time: {formatRunTime(elapsed(execution, now))}</span>
        <span>Data scanned: {formatBytes(execution.Statistics?.DataScannedInBytes ?? 0)}</span>
        <span className="muted">{execution.QueryExecutionId}</span>
      </div>
      {state === 'FAILED' && <ErrorBox error={{ name: 'Query failed', message: reason ?? 'The query failed.' }} />}
      {state === 'CANCELLED' && <div className="muted">{reason ?? 'Query was cancelled.'}</div>}
    </>
  );
}
