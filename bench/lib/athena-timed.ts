/** One Athena query timed as a client sees it: StartQueryExecution → SUCCEEDED, GetQueryExecution polled every 2 ms. */
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type AthenaClient } from '@aws-sdk/client-athena';

export async function timed(client: AthenaClient, sql: string): Promise<{ ms: number; rows: string[][]; scanned: number }> {
  const t = performance.now();
  const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({ QueryString: sql }));
  for (;;) {
    const q = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!;
    const state = q.Status?.State;
    if (state === 'SUCCEEDED') {
      const ms = performance.now() - t;
      const r = await client.send(new GetQueryResultsCommand({ QueryExecutionId }));
      return { ms, rows: r.ResultSet!.Rows!.map((row) => row.Data!.map((d) => d.VarCharValue ?? '')), scanned: q.Statistics?.DataScannedInBytes ?? 0 };
    }
    if (state !== 'QUEUED' && state !== 'RUNNING') throw new Error(`${sql}: ${state} ${q.Status?.StateChangeReason}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
