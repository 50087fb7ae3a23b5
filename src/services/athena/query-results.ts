/**
 * GetQueryResults: a SUCCEEDED query's rows in pages of at most 1,000; for SELECT the first row
 * of the first page is the header (column names), as Athena returns it, and ColumnInfo carries the
 * Athena types.
 */
import type { ColumnInfo, Row } from '@aws-sdk/client-athena';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { AthenaDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';
import { existingQuery } from './executions.ts';
import { decodeToken, encodeToken } from './paging.ts';
import { readResult } from './results.ts';

/** Athena reports the type's name (`array`, `decimal`) with varchar's and decimal's precision and scale apart. */
function columnInfo(c: { name: string; type: string }): ColumnInfo {
  const dec = /^decimal\((\d+),(\d+)\)$/.exec(c.type);
  const precision = dec ? Number(dec[1]) : c.type === 'varchar' ? 2147483647 : 0;
  return {
    CatalogName: 'hive', SchemaName: '', TableName: '', Name: c.name, Label: c.name, Type: c.type.replace(/\(.*$/, ''),
    Precision: precision, Scale: dec ? Number(dec[2]) : 0, Nullable: 'UNKNOWN', CaseSensitive: c.type === 'varchar',
  };
}

const rowOf = (values: (string | null)[]): Row => ({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) });

export async function getQueryResults(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'GetQueryResults'>): Promise<CallOutput<'athena', 'GetQueryResults'>> {
  const q = await existingQuery(deps, ctx, input.QueryExecutionId!);
  if (q.state === 'QUEUED' || q.state === 'RUNNING') throw invalidRequest(`Query has not yet finished. Current state: ${q.state}`, 'INVALID_QUERY_EXECUTION_STATE');
  if (q.state !== 'SUCCEEDED') throw invalidRequest(`Query did not finish successfully. Final query state: ${q.state}`, 'INVALID_QUERY_EXECUTION_STATE');
  const result = readResult(deps.resultsDir, ctx, q.id);
  if (!result) throw invalidRequest(`The result of query ${q.id} is no longer kept.`);
  // Position in (header + rows).
  const start = input.NextToken === undefined ? 0 : Number(decodeToken(input.NextToken));
  if (!Number.isSafeInteger(start) || start < 0) throw invalidRequest('The NextToken is not valid.');
  // Query results start with a header row; DDL and utility results (SHOW, DESCRIBE, MSCK) do not.
  const header = q.statementType === 'DML' ? 1 : 0;
  const all = result.rows.length + header;
  const end = Math.min(all, start + (input.MaxResults ?? 1000));
  const rows: Row[] = [];
  for (let i = start; i < end; i++) rows.push(i < header ? rowOf(result.columns.map((c) => c.name)) : rowOf(result.rows[i - header]!));
  return {
    UpdateCount: 0,
    ResultSet: { Rows: rows, ResultSetMetadata: { ColumnInfo: result.columns.map(columnInfo) } },
    NextToken: end < all ? encodeToken(String(end)) : undefined,
  };
}
