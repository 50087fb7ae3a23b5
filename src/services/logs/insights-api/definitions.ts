import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { QueryDefinitionRepo } from '../../../store/meta/query-definitions.ts';
import { asQueryLanguage } from '../enums.ts';
import { required } from '../names.ts';
import { decodeToken, encodeToken } from '../pagination.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

/** AWS quota: 1,000 saved query definitions per account and region. */
export const MAX_QUERY_DEFINITIONS = 1000;

/** Creates or (with queryDefinitionId) fully replaces a saved query, as AWS documents. */
export async function putQueryDefinition(
  repo: QueryDefinitionRepo,
  ctx: Ctx,
  input: CallInput<'logs', 'PutQueryDefinition'>,
): Promise<CallOutput<'logs', 'PutQueryDefinition'>> {
  let id = input.queryDefinitionId;
  if (id !== undefined) {
    if (!(await repo.get(ctx.account, ctx.region, id))) throw new ServiceError('ResourceNotFoundException', `Query definition ${id} does not exist.`);
  } else {
    if ((await repo.count(ctx.account, ctx.region)) >= MAX_QUERY_DEFINITIONS) {
      throw new ServiceError('LimitExceededException', `You have reached the maximum number of query definitions (${MAX_QUERY_DEFINITIONS}).`);
    }
    id = randomUUID();
  }
  await repo.upsert({
    account: ctx.account,
    region: ctx.region,
    id,
    name: required(input.name, 'name'),
    queryString: required(input.queryString, 'queryString'),
    logGroupNames: input.logGroupNames ?? [],
    queryLanguage: input.queryLanguage ?? 'CWLI',
    lastModified: ctx.clock.now(),
  });
  return { queryDefinitionId: id };
}

const isAfter = (v: unknown): v is { n: string; i: string } =>
  typeof v === 'object' && v !== null && typeof (v as { n?: unknown }).n === 'string' && typeof (v as { i?: unknown }).i === 'string';

export async function describeQueryDefinitions(
  repo: QueryDefinitionRepo,
  ctx: Ctx,
  input: CallInput<'logs', 'DescribeQueryDefinitions'>,
): Promise<CallOutput<'logs', 'DescribeQueryDefinitions'>> {
  const limit = input.maxResults ?? 1000;
  const after = input.nextToken !== undefined ? decodeToken(input.nextToken, isAfter) : undefined;
  const rows = (await repo.list(ctx.account, ctx.region, input.queryDefinitionNamePrefix, after ? [after.n, after.i] : undefined, limit + 1))
    .filter((d) => input.queryLanguage === undefined || d.queryLanguage === input.queryLanguage);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    queryDefinitions: page.map((d) => ({
      queryLanguage: asQueryLanguage(d.queryLanguage),
      queryDefinitionId: d.id,
      name: d.name,
      queryString: d.queryString,
      lastModified: d.lastModified,
      logGroupNames: d.logGroupNames,
    })),
    nextToken: rows.length > limit && last ? encodeToken({ n: last.name, i: last.id }) : undefined,
  };
}

export async function deleteQueryDefinition(
  repo: QueryDefinitionRepo,
  ctx: Ctx,
  input: CallInput<'logs', 'DeleteQueryDefinition'>,
): Promise<CallOutput<'logs', 'DeleteQueryDefinition'>> {
  const id = required(input.queryDefinitionId, 'queryDefinitionId');
  if (!(await repo.delete(ctx.account, ctx.region, id))) {
    throw new ServiceError('ResourceNotFoundException', `Query definition ${id} does not exist.`);
  }
  return { success: true };
}
