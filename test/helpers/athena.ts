// Runs one Athena statement through SDK v3 and waits for it: its final state, reason, scanned
// bytes, and (when it succeeded) the result rows after the header row, every value as text.
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type AthenaClient } from '@aws-sdk/client-athena';
import { until } from './until.ts';

export interface Outcome {
  state: string;
  reason?: string;
  category?: number;
  statementType?: string;
  scanned: number;
  header: string[];
  rows: string[][];
}

export async function runAthena(client: AthenaClient, sql: string, opts: { database?: string; timeoutMs?: number } = {}): Promise<Outcome> {
  const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({
    QueryString: sql, QueryExecutionContext: opts.database ? { Database: opts.database } : undefined,
  }));
  const q = await until(`query to finish: ${sql.slice(0, 80)}`, async () => {
    const e = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!;
    return e.Status?.State === 'QUEUED' || e.Status?.State === 'RUNNING' ? undefined : e;
  }, opts.timeoutMs ?? 30_000);
  const out: Outcome = {
    state: q.Status!.State!, reason: q.Status?.StateChangeReason, category: q.Status?.AthenaError?.ErrorCategory,
    statementType: q.StatementType, scanned: q.Statistics?.DataScannedInBytes ?? 0, header: [], rows: [],
  };
  if (out.state !== 'SUCCEEDED') return out;
  const all: string[][] = [];
  let token: string | undefined;
  do {
    const r = await client.send(new GetQueryResultsCommand({ QueryExecutionId, NextToken: token }));
    all.push(...r.ResultSet!.Rows!.map((row) => row.Data!.map((d) => d.VarCharValue ?? 'NULL')));
    token = r.NextToken;
  } while (token);
  // DML results start with a header row, as Athena's do.
  if (out.statementType === 'DML') [out.header = [], ...out.rows] = all;
  else out.rows = all;
  return out;
}
