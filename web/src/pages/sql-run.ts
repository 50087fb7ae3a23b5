// Running a query the way Athena's console does: StartQueryExecution, then GetQueryExecution until
// the query settles (QUEUED → RUNNING → SUCCEEDED / FAILED / CANCELLED), showing each state on the
// way; Cancel is StopQueryExecution, whose CANCELLED the polling then reads. Opening an earlier
// execution (history, a link) follows it the same way, so a query still running keeps updating.
import { useEffect, useRef, useState } from 'react';
import { GetQueryExecutionCommand, StartQueryExecutionCommand, StopQueryExecutionCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { CATALOG, isActive, useAthena } from './sql-api.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SqlRun {
  execution: QueryExecution | undefined;
  /** A call that failed (the query was refused, the network…); a query that ran and failed is execution's state. */
  error: unknown;
  /** Starting or running: Run is disabled and Cancel offered. */
  busy: boolean;
  start: (text: string, workgroup: string, database: string) => Promise<string | undefined>;
  open: (id: string) => void;
  cancel: () => void;
}

/** `onSettled` hears of each query that reaches a final state (the history reloads then). */
export function useSqlRun(onSettled: (q: QueryExecution) => void): SqlRun {
  const athena = useAthena();
  const [execution, setExecution] = useState<QueryExecution>();
  const [error, setError] = useState<unknown>();
  const [starting, setStarting] = useState(false);
  // Each start/open is a generation; polling of an older one stops at its next step.
  const generation = useRef(0);
  const settled = useRef(onSettled);
  settled.current = onSettled;
  useEffect(() => () => void generation.current++, []);

  const follow = async (id: string, g: number) => {
    for (let delay = 200; ; delay = Math.min(delay * 1.5, 1000)) {
      const q = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
      if (generation.current !== g) return;
      setExecution(q);
      if (!isActive(q)) return settled.current(q!);
      await sleep(delay);
      if (generation.current !== g) return;
    }
  };
  /** A new run or opened execution replaces the previous one and its banner at once. */
  const begin = () => {
    const g = ++generation.current;
    setExecution(undefined);
    setError(undefined);
    return g;
  };
  const fail = (g: number) => (e: unknown) => {
    if (generation.current === g) setError(e);
  };

  const start = async (text: string, workgroup: string, database: string) => {
    const g = begin();
    setStarting(true);
    try {
      const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({
        QueryString: text, WorkGroup: workgroup, QueryExecutionContext: { Catalog: CATALOG, Database: database },
      }));
      if (generation.current !== g) return undefined;
      // Queued until the first GetQueryExecution says otherwise: Cancel needs the id meanwhile.
      setExecution({ QueryExecutionId, Query: text, WorkGroup: workgroup, Status: { State: 'QUEUED', SubmissionDateTime: new Date() } });
      void follow(QueryExecutionId!, g).catch(fail(g));
      return QueryExecutionId;
    } catch (e) {
      fail(g)(e);
      return undefined;
    } finally {
      if (generation.current === g) setStarting(false);
    }
  };
  const open = (id: string) => {
    const g = begin();
    setStarting(false);
    void follow(id, g).catch(fail(g));
  };
  const cancel = () => {
    const id = execution?.QueryExecutionId;
    if (id) void athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(fail(generation.current));
  };
  return { execution, error, busy: starting || isActive(execution), start, open, cancel };
}
