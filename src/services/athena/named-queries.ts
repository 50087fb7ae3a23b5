/** Named (saved) queries: CreateNamedQuery, GetNamedQuery, BatchGetNamedQuery, ListNamedQueries, UpdateNamedQuery, DeleteNamedQuery. */
import { randomUUID } from 'node:crypto';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { AthenaDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';
import { decodeToken, encodeToken } from './paging.ts';
import type { NamedQueryRecord } from './types.ts';
import { existingWorkgroup, PRIMARY } from './workgroups.ts';

const shape = (n: NamedQueryRecord) => ({ NamedQueryId: n.id, Name: n.name, Description: n.description, Database: n.database, QueryString: n.query, WorkGroup: n.workgroup });

async function existing(deps: AthenaDeps, ctx: Ctx, id: string): Promise<NamedQueryRecord> {
  const n = await deps.repo.namedQuery(ctx, id);
  if (!n) throw invalidRequest(`NamedQuery ${id} was not found`);
  return n;
}

export async function createNamedQuery(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'CreateNamedQuery'>): Promise<CallOutput<'athena', 'CreateNamedQuery'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup ?? PRIMARY);
  const n: NamedQueryRecord = { id: randomUUID(), name: input.Name!, description: input.Description, database: input.Database!, query: input.QueryString!, workgroup: w.name };
  await deps.repo.insertNamedQuery(ctx, n);
  return { NamedQueryId: n.id };
}

export async function getNamedQuery(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'GetNamedQuery'>): Promise<CallOutput<'athena', 'GetNamedQuery'>> {
  return { NamedQuery: shape(await existing(deps, ctx, input.NamedQueryId!)) };
}

export async function batchGetNamedQuery(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'BatchGetNamedQuery'>): Promise<CallOutput<'athena', 'BatchGetNamedQuery'>> {
  const found = [];
  const missing = [];
  for (const id of input.NamedQueryIds ?? []) {
    const n = await deps.repo.namedQuery(ctx, id);
    if (n) found.push(shape(n));
    else missing.push({ NamedQueryId: id, ErrorCode: 'INVALID_INPUT', ErrorMessage: `NamedQuery ${id} was not found` });
  }
  return { NamedQueries: found, UnprocessedNamedQueryIds: missing };
}

export async function listNamedQueries(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'ListNamedQueries'>): Promise<CallOutput<'athena', 'ListNamedQueries'>> {
  const w = await existingWorkgroup(deps, ctx, input.WorkGroup ?? PRIMARY);
  const limit = input.MaxResults ?? 50;
  const rows = await deps.repo.listNamedQueries(ctx, w.name, { after: input.NextToken === undefined ? undefined : decodeToken(input.NextToken), limit: limit + 1 });
  const page = rows.slice(0, limit);
  return { NamedQueryIds: page.map((n) => n.id), NextToken: rows.length > limit ? encodeToken(page.at(-1)!.id) : undefined };
}

export async function updateNamedQuery(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'UpdateNamedQuery'>): Promise<CallOutput<'athena', 'UpdateNamedQuery'>> {
  const n = await existing(deps, ctx, input.NamedQueryId!);
  await deps.repo.updateNamedQuery(ctx, { ...n, name: input.Name!, description: input.Description, query: input.QueryString! });
  return {};
}

export async function deleteNamedQuery(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'DeleteNamedQuery'>): Promise<CallOutput<'athena', 'DeleteNamedQuery'>> {
  if (!(await deps.repo.deleteNamedQuery(ctx, input.NamedQueryId!))) throw invalidRequest(`NamedQuery ${input.NamedQueryId} was not found`);
  return {};
}
