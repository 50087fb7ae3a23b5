/**
 * Prepared statements: CreatePreparedStatement, GetPreparedStatement, UpdatePreparedStatement,
 * DeletePreparedStatement, ListPreparedStatements, BatchGetPreparedStatement. A statement belongs to
 * one workgroup of one account and Region; EXECUTE finds it there (prepared-execution.ts).
 */
import type { PreparedStatement } from '@aws-sdk/client-athena';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { AthenaDeps } from './deps.ts';
import { invalidRequest, resourceNotFound } from './errors.ts';
import { decodeToken, encodeToken } from './paging.ts';
import type { PreparedStatementRecord } from './prepared-statements-repo.ts';
import { AthenaSqlError } from './sql/errors.ts';
import { checkPreparable } from './sql/parameters.ts';
import { existingWorkgroup } from './workgroups.ts';

const shape = (p: PreparedStatementRecord): PreparedStatement => ({
  StatementName: p.name, QueryStatement: p.query, WorkGroupName: p.workgroup, Description: p.description, LastModifiedTime: new Date(p.lastModified),
});

const notFoundMessage = (name: string, workgroup: string) => `Prepared statement ${name} was not found in workgroup ${workgroup}.`;

async function existing(deps: AthenaDeps, ctx: Ctx, workgroup: string, name: string): Promise<PreparedStatementRecord> {
  const w = await existingWorkgroup(deps, ctx, workgroup);
  const p = await deps.repo.prepared.get(ctx, w.name, name);
  if (!p) throw resourceNotFound(notFoundMessage(name, w.name), name);
  return p;
}

/** The statement a prepared statement may hold: not PREPARE, EXECUTE or DEALLOCATE itself. */
function preparable(query: string): string {
  try {
    checkPreparable(query);
  } catch (e) {
    if (e instanceof AthenaSqlError) throw invalidRequest(e.message);
    throw e;
  }
  return query;
}

export async function createPreparedStatement(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'CreatePreparedStatement'>): Promise<CallOutput<'athena', 'CreatePreparedStatement'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup!);
  const p: PreparedStatementRecord = {
    name: input.StatementName!, workgroup: w.name, query: preparable(input.QueryStatement!), description: input.Description, lastModified: deps.clock.now(),
  };
  if (!(await deps.repo.prepared.insert(ctx, p))) throw invalidRequest(`Prepared statement ${p.name} already exists in workgroup ${w.name}.`);
  return {};
}

export async function getPreparedStatement(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'GetPreparedStatement'>): Promise<CallOutput<'athena', 'GetPreparedStatement'>> {
  return { PreparedStatement: shape(await existing(deps, ctx, input.WorkGroup!, input.StatementName!)) };
}

export async function updatePreparedStatement(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'UpdatePreparedStatement'>): Promise<CallOutput<'athena', 'UpdatePreparedStatement'>> {
  const p = await existing(deps, ctx, input.WorkGroup!, input.StatementName!);
  const next = { ...p, query: preparable(input.QueryStatement!), description: input.Description, lastModified: deps.clock.now() };
  if (!(await deps.repo.prepared.update(ctx, next))) throw resourceNotFound(notFoundMessage(p.name, p.workgroup), p.name);
  return {};
}

export async function deletePreparedStatement(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'DeletePreparedStatement'>): Promise<CallOutput<'athena', 'DeletePreparedStatement'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup!);
  const name = input.StatementName!;
  if (!(await deps.repo.prepared.delete(ctx, w.name, name))) throw resourceNotFound(notFoundMessage(name, w.name), name);
  return {};
}

export async function listPreparedStatements(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'ListPreparedStatements'>): Promise<CallOutput<'athena', 'ListPreparedStatements'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup!);
  const limit = input.MaxResults ?? 50;
  const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
  const rows = await deps.repo.prepared.list(ctx, w.name, { after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    PreparedStatements: page.map((p) => ({ StatementName: p.name, LastModifiedTime: new Date(p.lastModified) })),
    NextToken: rows.length > limit ? encodeToken(page.at(-1)!.name) : undefined,
  };
}

export async function batchGetPreparedStatement(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'BatchGetPreparedStatement'>): Promise<CallOutput<'athena', 'BatchGetPreparedStatement'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup!);
  const found: PreparedStatement[] = [];
  const missing = [];
  for (const name of new Set(input.PreparedStatementNames ?? [])) {
    const p = await deps.repo.prepared.get(ctx, w.name, name);
    if (p) found.push(shape(p));
    else missing.push({ StatementName: name, ErrorCode: 'STATEMENT_NOT_FOUND', ErrorMessage: notFoundMessage(name, w.name) });
  }
  return { PreparedStatements: found, UnprocessedPreparedStatementNames: missing };
}
