/**
 * Query executions: StartQueryExecution, GetQueryExecution, BatchGetQueryExecution,
 * ListQueryExecutions, StopQueryExecution, GetQueryRuntimeStatistics. A query is accepted (QUEUED)
 * and runs in the background; errors in the statement fail the query, as on Athena, not the call.
 */
import { randomUUID } from 'node:crypto';
import type { QueryExecution, ResultConfiguration } from '@aws-sdk/client-athena';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { MAX_ACTIVE_QUERIES, type AthenaDeps } from './deps.ts';
import { statementTypeOfText } from './ddl/parser.ts';
import { invalidRequest, tooManyRequests } from './errors.ts';
import { parseOutputLocation } from './output-location.ts';
import { decodeToken, encodeToken } from './paging.ts';
import { isUtilityStatement, runUtilityStatement } from './prepared-execution.ts';
import type { QueryRecord, WorkGroupRecord } from './types.ts';
import { ENGINE_VERSION, existingWorkgroup, PRIMARY } from './workgroups.ts';

export async function existingQuery(deps: AthenaDeps, ctx: Ctx, id: string): Promise<QueryRecord> {
  const q = await deps.repo.query(ctx, id);
  if (!q) throw invalidRequest(`QueryExecution ${id} was not found`);
  return q;
}

/** The workgroup's settings when it enforces them, else the request's over the workgroup's. */
function effectiveResultConfig(deps: AthenaDeps, w: WorkGroupRecord, requested: ResultConfiguration | undefined): ResultConfiguration {
  const base = w.config.ResultConfiguration ?? {};
  const merged = w.config.EnforceWorkGroupConfiguration ? base : { ...base, ...requested };
  if (merged.OutputLocation) parseOutputLocation(merged.OutputLocation, deps.buckets);
  return merged;
}

export function executionShape(q: QueryRecord): QueryExecution {
  const end = q.completed;
  return {
    QueryExecutionId: q.id, Query: q.query, StatementType: q.statementType, ResultConfiguration: q.resultConfig,
    QueryExecutionContext: q.context, WorkGroup: q.workgroup, EngineVersion: ENGINE_VERSION, ExecutionParameters: q.executionParameters,
    Status: { State: q.state, StateChangeReason: q.reason, SubmissionDateTime: new Date(q.submitted), CompletionDateTime: end === undefined ? undefined : new Date(end), AthenaError: q.error },
    Statistics: {
      EngineExecutionTimeInMillis: q.started === undefined ? 0 : (end ?? q.started) - q.started,
      DataScannedInBytes: q.bytesScanned ?? 0,
      TotalExecutionTimeInMillis: end === undefined ? 0 : end - q.submitted,
      QueryQueueTimeInMillis: (q.started ?? end ?? q.submitted) - q.submitted,
      ServicePreProcessingTimeInMillis: 0, QueryPlanningTimeInMillis: 0, ServiceProcessingTimeInMillis: 0,
    },
  };
}

export async function startQueryExecution(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'StartQueryExecution'>): Promise<CallOutput<'athena', 'StartQueryExecution'>> {
  if (input.ClientRequestToken) {
    const seen = await deps.repo.queryByToken(ctx, input.ClientRequestToken);
    if (seen) return { QueryExecutionId: seen.id };
  }
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup ?? PRIMARY);
  if (w.state === 'DISABLED') throw invalidRequest(`Unable to submit query: WorkGroup ${w.name} is disabled.`);
  if ((await deps.repo.countActive(ctx.account)) >= MAX_ACTIVE_QUERIES) {
    throw tooManyRequests(`You have exceeded the limit for the number of queries you can run concurrently (${MAX_ACTIVE_QUERIES}). Reduce the number of concurrent queries submitted by this account.`);
  }
  const q: QueryRecord = {
    id: randomUUID(), workgroup: w.name, query: input.QueryString!, statementType: statementTypeOfText(input.QueryString!),
    context: { Catalog: input.QueryExecutionContext?.Catalog ?? 'AwsDataCatalog', Database: input.QueryExecutionContext?.Database ?? 'default' },
    resultConfig: effectiveResultConfig(deps, w, input.ResultConfiguration), state: 'QUEUED', submitted: deps.clock.now(), clientToken: input.ClientRequestToken,
    executionParameters: input.ExecutionParameters,
  };
  // PREPARE and DEALLOCATE only change the workgroup's prepared statements: done now, recorded finished.
  if (isUtilityStatement(q.query)) {
    await deps.repo.insertQuery(ctx, await runUtilityStatement(deps, ctx, q));
    return { QueryExecutionId: q.id };
  }
  await deps.repo.insertQuery(ctx, q);
  deps.submit(ctx, q.id);
  return { QueryExecutionId: q.id };
}

export async function getQueryExecution(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'GetQueryExecution'>): Promise<CallOutput<'athena', 'GetQueryExecution'>> {
  return { QueryExecution: executionShape(await existingQuery(deps, ctx, input.QueryExecutionId!)) };
}

export async function batchGetQueryExecution(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'BatchGetQueryExecution'>): Promise<CallOutput<'athena', 'BatchGetQueryExecution'>> {
  const found: QueryExecution[] = [];
  const missing = [];
  for (const id of input.QueryExecutionIds ?? []) {
    const q = await deps.repo.query(ctx, id);
    if (q) found.push(executionShape(q));
    else missing.push({ QueryExecutionId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: `QueryExecution ${id} was not found` });
  }
  return { QueryExecutions: found, UnprocessedQueryExecutionIds: missing };
}

export async function listQueryExecutions(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'ListQueryExecutions'>): Promise<CallOutput<'athena', 'ListQueryExecutions'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup ?? PRIMARY);
  const limit = input.MaxResults ?? 50;
  let before: { submitted: number; id: string } | undefined;
  if (input.NextToken !== undefined) {
    const [t, id] = decodeToken(input.NextToken).split('/');
    if (!id || !Number.isSafeInteger(Number(t))) throw invalidRequest('The NextToken is not valid.');
    before = { submitted: Number(t), id };
  }
  const rows = await deps.repo.listQueries(ctx, w.name, { before, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { QueryExecutionIds: page.map((q) => q.id), NextToken: rows.length > limit && last ? encodeToken(`${last.submitted}/${last.id}`) : undefined };
}

export async function stopQueryExecution(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'StopQueryExecution'>): Promise<CallOutput<'athena', 'StopQueryExecution'>> {
  const q = await existingQuery(deps, ctx, input.QueryExecutionId!);
  // Stopping a finished query is a no-op on Athena too.
  if (await deps.repo.cancelQuery(ctx, q.id, deps.clock.now(), 'Query was cancelled by user')) deps.cancel(ctx, q.id);
  return {};
}

export async function getQueryRuntimeStatistics(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'GetQueryRuntimeStatistics'>): Promise<CallOutput<'athena', 'GetQueryRuntimeStatistics'>> {
  const q = await existingQuery(deps, ctx, input.QueryExecutionId!);
  const s = executionShape(q).Statistics!;
  return {
    QueryRuntimeStatistics: {
      Timeline: {
        QueryQueueTimeInMillis: s.QueryQueueTimeInMillis, ServicePreProcessingTimeInMillis: 0, QueryPlanningTimeInMillis: 0,
        EngineExecutionTimeInMillis: s.EngineExecutionTimeInMillis, ServiceProcessingTimeInMillis: 0, TotalExecutionTimeInMillis: s.TotalExecutionTimeInMillis,
      },
      Rows: { InputBytes: q.bytesScanned ?? 0, OutputRows: q.resultRows ?? 0 },
    },
  };
}
