import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { QueryDefinitionRepo } from '../../../store/meta/query-definitions.ts';
import { decodeToken, encodeToken } from '../pagination.ts';

/** AWS quota: 1,000 saved query definitions per account and region. */
export const MAX_QUERY_DEFINITIONS = 1000;

interface PutInput {
  name: string;
  queryString: string;
  queryDefinitionId?: string;
  logGroupNames?: string[];
  queryLanguage?: string;
  clientToken?: string;
}

/** Creates or (with queryDefinitionId) fully replaces a saved query, as AWS documents. */
export function putQueryDefinition(repo: QueryDefinitionRepo, ctx: Ctx, input: PutInput) {
  let id = input.queryDefinitionId;
  if (id !== undefined) {
    if (!repo.get(ctx.account, ctx.region, id)) throw new ServiceError('ResourceNotFoundException', `Query definition ${id} does not exist.`);
  } else {
    if (repo.count(ctx.account, ctx.region) >= MAX_QUERY_DEFINITIONS) {
      throw new ServiceError('LimitExceededException', `You have reached the maximum number of query definitions (${MAX_QUERY_DEFINITIONS}).`);
    }
    id = randomUUID();
  }
  repo.upsert({
    account: ctx.account,
    region: ctx.region,
    id,
    name: input.name,
    queryString: input.queryString,
    logGroupNames: input.logGroupNames ?? [],
    queryLanguage: input.queryLanguage ?? 'CWLI',
    lastModified: ctx.clock.now(),
  });
  return { queryDefinitionId: id };
}

const isAfter = (v: unknown): v is { n: string; i: string } =>
  typeof v === 'object' && v !== null && typeof (v as { n?: unknown }).n === 'string' && typeof (v as { i?: unknown }).i === 'string';

export function describeQueryDefinitions(repo: QueryDefinitionRepo, ctx: Ctx, input: { queryDefinitionNamePrefix?: string; maxResults?: number; nextToken?: string; queryLanguage?: string }) {
  const limit = input.maxResults ?? 1000;
  const after = input.nextToken !== undefined ? decodeToken(input.nextToken, isAfter) : undefined;
  const rows = repo
    .list(ctx.account, ctx.region, input.queryDefinitionNamePrefix, after ? [after.n, after.i] : undefined, limit + 1)
    .filter((d) => input.queryLanguage === undefined || d.queryLanguage === input.queryLanguage);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    queryDefinitions: page.map((d) => ({
      queryLanguage: d.queryLanguage,
      queryDefinitionId: d.id,
      name: d.name,
      queryString: d.queryString,
      lastModified: d.lastModified,
      logGroupNames: d.logGroupNames,
    })),
    nextToken: rows.length > limit && last ? encodeToken({ n: last.name, i: last.id }) : undefined,
  };
}

export function deleteQueryDefinition(repo: QueryDefinitionRepo, ctx: Ctx, input: { queryDefinitionId: string }) {
  if (!repo.delete(ctx.account, ctx.region, input.queryDefinitionId)) {
    throw new ServiceError('ResourceNotFoundException', `Query definition ${input.queryDefinitionId} does not exist.`);
  }
  return { success: true };
}
