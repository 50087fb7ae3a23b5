// Athena helpers shared by the SQL page's parts: the client (made on first use from the session's
// config, so other pages don't carry it), the catalog the page queries in, and reading a query's
// results — the header row Athena puts first removed, NULLs kept apart from empty strings.
import { AthenaClient, GetQueryResultsCommand, type ColumnInfo, type QueryExecution, type Row } from '@aws-sdk/client-athena';
import { useSession } from '../app-context.ts';
import type { Clients } from '../aws.ts';
import type { Column } from './sql-catalog.ts';

const made = new WeakMap<Clients, AthenaClient>();

/** The Athena client of the signed-in session. */
export function useAthena(): AthenaClient {
  const c = useSession();
  let a = made.get(c);
  if (!a) made.set(c, (a = new AthenaClient(c.config)));
  return a;
}

export const CATALOG = 'AwsDataCatalog';
export const DEFAULT_DATABASE = 'osprey';
export const PRIMARY = 'primary';
/** GetQueryResults' largest MaxResults. */
const MAX_PAGE = 1000;

/** A result cell: a string, or null for SQL NULL (a Datum without VarCharValue). */
export type Cell = string | null;

export interface ResultPage {
  columns: Column[];
  rows: Cell[][];
  /** The token of the page after this one. */
  next?: string;
}

/** Still running: Athena's states before a query settles. */
export const isActive = (q: QueryExecution | undefined): boolean => q?.Status?.State === 'QUEUED' || q?.Status?.State === 'RUNNING';

const cellsOf = (r: Row): Cell[] => (r.Data ?? []).map((d) => d.VarCharValue ?? null);
const columnsOf = (info: ColumnInfo[] | undefined): Column[] => (info ?? []).map((c) => ({ name: c.Name ?? '', type: c.Type ?? 'varchar' }));

/**
 * One page of a finished query's rows. Only the first page of a SELECT (StatementType DML) starts
 * with the header row, so it is asked for one row more to keep pages the same size — within
 * Athena's MaxResults limit of 1,000.
 */
export async function resultPage(athena: AthenaClient, q: QueryExecution, size: number, token?: string): Promise<ResultPage> {
  const header = token === undefined && q.StatementType === 'DML';
  const r = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: q.QueryExecutionId, MaxResults: Math.min(MAX_PAGE, size + (header ? 1 : 0)), NextToken: token }));
  const rows = (r.ResultSet?.Rows ?? []).map(cellsOf);
  return { columns: columnsOf(r.ResultSet?.ResultSetMetadata?.ColumnInfo), rows: header ? rows.slice(1) : rows, next: r.NextToken };
}

/** Every row of a finished query (in Athena's largest pages), stopping once `max` are in. */
export async function allRows(athena: AthenaClient, q: QueryExecution, max = Infinity): Promise<{ columns: Column[]; rows: Cell[][]; complete: boolean }> {
  let page = await resultPage(athena, q, MAX_PAGE);
  const { columns } = page;
  const rows = [...page.rows];
  while (page.next && rows.length < max) {
    page = await resultPage(athena, q, MAX_PAGE, page.next);
    rows.push(...page.rows);
  }
  return { columns, rows: rows.slice(0, max), complete: !page.next && rows.length <= max };
}
