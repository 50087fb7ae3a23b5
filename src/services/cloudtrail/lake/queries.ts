/**
 * Lake queries. StartQuery parses and compiles the statement at once (a statement Osprey cannot
 * run is InvalidQueryStatementException, naming what is unsupported), then runs it in the
 * background: QUEUED → RUNNING → FINISHED | FAILED | TIMED_OUT (or CANCELLED by CancelQuery, whose
 * result is then discarded). The compiled query runs in ClickHouse over the store's rows; only its
 * result (capped at MAX_RESULT_ROWS) comes back to JS, kept with the query for GetQueryResults.
 */
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../../protocol/errors.ts';
import type { CallInput, CallOutput, ServiceHandlersFor } from '../../../protocol/operations.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import type { EventDataStore, LakeQuery, LakeRepo, QueryStats } from './repo.ts';
import { compileLakeQuery, parseLakeQuery, UnsupportedQuery, type CompiledLakeQuery } from './sql/compile.ts';
import { findStore, inactive } from './stores.ts';

export const MAX_RESULT_ROWS = 100_000;
/** CloudTrail Lake stops a query after an hour. */
const TIMEOUT_SECONDS = 3600;
const TIMEOUT_CODE = 159;

export interface QueryDeps {
  repo: LakeRepo;
  engine: SqlEngine;
  /** Makes every record of calls answered so far visible to reads. */
  flush(): Promise<void>;
  /** The store's rows as a subquery (archive.ts). */
  source(store: EventDataStore, now: number): Promise<string>;
  log: { error(obj: object, msg: string): void };
  /** This node's id: a query runs here, and is failed by a live node if this one goes. */
  node: string;
}

type Ops = 'StartQuery' | 'DescribeQuery' | 'GetQueryResults' | 'CancelQuery' | 'ListQueries';

export function queryHandlers(deps: QueryDeps): ServiceHandlersFor<'cloudtrail', Ops> {
  return {
    StartQuery: async (ctx, input) => startQuery(deps, ctx, input),
    DescribeQuery: async (ctx, input) => {
      const q = await findQuery(deps.repo, ctx, input.QueryId, input.EventDataStore);
      return {
        QueryId: q.id, QueryString: q.statement, QueryStatus: q.status, QueryStatistics: describeStats(q),
        ...(q.error ? { ErrorMessage: q.error } : {}), EventDataStoreOwnerAccountId: q.account,
      };
    },
    GetQueryResults: async (ctx, input) => getResults(deps.repo, ctx, input),
    CancelQuery: async (ctx, input) => {
      const q = await findQuery(deps.repo, ctx, input.QueryId, input.EventDataStore);
      if (!(await deps.repo.setStatus(q.id, 'CANCELLED'))) {
        throw new ServiceError('InactiveQueryException', `Query ${q.id} is ${q.status} and cannot be cancelled.`);
      }
      return { QueryId: q.id, QueryStatus: 'CANCELLED', EventDataStoreOwnerAccountId: q.account };
    },
    ListQueries: async (ctx, input) => listQueries(deps.repo, ctx, input),
  };
}

async function startQuery(deps: QueryDeps, ctx: Ctx, input: CallInput<'cloudtrail', 'StartQuery'>): Promise<CallOutput<'cloudtrail', 'StartQuery'>> {
  if (!input.QueryStatement) throw new ServiceError('InvalidParameterException', 'QueryStatement is required.');
  if (input.DeliveryS3Uri) throw new ServiceError('UnsupportedOperationException', 'Delivering query results to S3 is not supported by Osprey.');
  let compiled: CompiledLakeQuery;
  let storeArn: string;
  try {
    const parsed = parseLakeQuery(input.QueryStatement);
    const store = findStore(deps.repo, ctx, parsed.store);
    if (store.status !== 'ENABLED') throw inactive(store);
    storeArn = store.arn;
    compiled = compileLakeQuery(parsed, await deps.source(store, ctx.clock.now()), MAX_RESULT_ROWS);
  } catch (e) {
    if (e instanceof UnsupportedQuery) throw new ServiceError('InvalidQueryStatementException', `Unsupported query statement: ${e.message}.`);
    throw e;
  }
  const q: LakeQuery = {
    id: randomUUID(), account: ctx.account, region: ctx.region, storeArn, statement: input.QueryStatement,
    status: 'QUEUED', created: ctx.clock.now(), stats: {}, node: deps.node,
  };
  await deps.repo.insertQuery(q);
  void run(deps, q, compiled);
  return { QueryId: q.id };
}

/** Runs one query to its end state; never throws (failures become FAILED with the engine's message). */
async function run(deps: QueryDeps, q: LakeQuery, compiled: CompiledLakeQuery): Promise<void> {
  const started = Date.now();
  try {
    if (!(await deps.repo.setStatus(q.id, 'RUNNING'))) return;
    await deps.flush();
    const settings = ` SETTINGS max_execution_time = ${TIMEOUT_SECONDS}`;
    const rows = await deps.engine.query<Record<string, unknown>>(compiled.sql + settings);
    const [s] = await deps.engine.query<{ scanned: string | number; matched: string | number; bytes: string | number }>(
      `SELECT count() AS scanned, countIf(${compiled.where}) AS matched, sum(length(record)) AS bytes FROM ${compiled.source} AS s${settings}`,
    );
    const stats: QueryStats = {
      eventsScanned: Number(s?.scanned ?? 0), eventsMatched: Number(s?.matched ?? 0), bytesScanned: Number(s?.bytes ?? 0),
      executionTimeInMillis: Date.now() - started,
    };
    const result = { columns: compiled.columns, rows: rows.map((r) => compiled.columns.map((_, i) => r[`c${i}`])) };
    await deps.repo.setStatus(q.id, 'FINISHED', { stats, result });
  } catch (e) {
    const code = (e as { clickhouseCode?: number }).clickhouseCode;
    const stats = { executionTimeInMillis: Date.now() - started };
    if (code === TIMEOUT_CODE) await deps.repo.setStatus(q.id, 'TIMED_OUT', { stats, error: 'The query exceeded the maximum run time of one hour.' });
    else {
      deps.log.error({ err: e, queryId: q.id }, 'Lake query failed');
      await deps.repo.setStatus(q.id, 'FAILED', { stats, error: `Query failed: ${String((e as Error).message).split('\n')[0]!.slice(0, 500)}` });
    }
  }
}

async function getResults(repo: LakeRepo, ctx: Ctx, input: CallInput<'cloudtrail', 'GetQueryResults'>): Promise<CallOutput<'cloudtrail', 'GetQueryResults'>> {
  const q = await findQuery(repo, ctx, input.QueryId, input.EventDataStore);
  const max = input.MaxQueryResults ?? 1000;
  if (max < 1 || max > 1000) throw new ServiceError('InvalidMaxResultsException', 'MaxQueryResults must be a value between 1 and 1000.');
  let start = 0;
  if (input.NextToken !== undefined) {
    start = decodeOffset(input.NextToken);
  }
  const base = { QueryStatus: q.status, ...(q.error ? { ErrorMessage: q.error } : {}) };
  const result = q.status === 'FINISHED' ? await repo.result(q.id) : undefined;
  if (!result) return { ...base, QueryResultRows: [], QueryStatistics: { ResultsCount: 0, TotalResultsCount: 0, BytesScanned: q.stats.bytesScanned ?? 0 } };
  const page = result.rows.slice(start, start + max);
  return {
    ...base,
    QueryResultRows: page.map((row) => row.map((v, i) => ({ [result.columns[i]!]: formatValue(v) }))),
    QueryStatistics: { ResultsCount: page.length, TotalResultsCount: result.rows.length, BytesScanned: q.stats.bytesScanned ?? 0 },
    ...(start + max < result.rows.length ? { NextToken: encodeOffset(start + max) } : {}),
  };
}

async function listQueries(repo: LakeRepo, ctx: Ctx, input: CallInput<'cloudtrail', 'ListQueries'>): Promise<CallOutput<'cloudtrail', 'ListQueries'>> {
  const store = findStore(repo, ctx, input.EventDataStore);
  const from = input.StartTime?.getTime() ?? 0;
  const to = input.EndTime?.getTime() ?? Number.MAX_SAFE_INTEGER;
  if (from > to) throw new ServiceError('InvalidDateRangeException', 'StartTime must be earlier than EndTime.');
  const max = input.MaxResults ?? 1000;
  const all = (await repo.queries(store.arn)).filter((q) => q.created >= from && q.created <= to && (!input.QueryStatus || q.status === input.QueryStatus));
  const start = input.NextToken ? decodeOffset(input.NextToken) : 0;
  const page = all.slice(start, start + max);
  return {
    Queries: page.map((q) => ({ QueryId: q.id, QueryStatus: q.status, CreationTime: new Date(q.created) })),
    ...(start + max < all.length ? { NextToken: encodeOffset(start + max) } : {}),
  };
}

async function findQuery(repo: LakeRepo, ctx: Ctx, id: string | undefined, storeRef: string | undefined): Promise<LakeQuery> {
  const q = id ? await repo.query(id) : undefined;
  if (!q || q.account !== ctx.account || q.region !== ctx.region) throw new ServiceError('QueryIdNotFoundException', `The query ID ${String(id)} does not exist or does not belong to this account.`);
  if (storeRef !== undefined && findStore(repo, ctx, storeRef).arn !== q.storeArn) {
    throw new ServiceError('QueryIdNotFoundException', `The query ID ${String(id)} does not exist in event data store ${storeRef}.`);
  }
  return q;
}

function describeStats(q: LakeQuery) {
  return {
    EventsMatched: q.stats.eventsMatched ?? 0, EventsScanned: q.stats.eventsScanned ?? 0, BytesScanned: q.stats.bytesScanned ?? 0,
    ExecutionTimeInMillis: q.stats.executionTimeInMillis ?? 0, CreationTime: new Date(q.created),
  };
}

/** Every value is a string in Lake's results; NULL is the empty string. */
function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Paging tokens: the offset of the next row (AWS's tokens are at least 4 characters). */
const encodeOffset = (n: number) => Buffer.from(`offset:${n}`).toString('base64url');

function decodeOffset(token: string): number {
  const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw new ServiceError('InvalidNextTokenException', 'The NextToken is not valid for this request.');
  return Number(m[1]);
}
