/** DescribeParameters, GetParametersByPath and GetParameterHistory: filtered, paged reads. */
import type { ParameterHistory, ParameterMetadata, Parameter, ParameterTier, ParameterType } from '@aws-sdk/client-ssm';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { SsmDeps } from './deps.ts';
import { BY_PATH_KEYS, DESCRIBE_KEYS, matchesAll, readFilters, readLegacyFilters, underPath, type Filter } from './filters.ts';
import { toParameter } from './get-parameters.ts';
import { parameterArn, parseSelector, validation } from './names.ts';
import type { ParameterVersion } from './repo.ts';
import { readValue } from './values.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const BATCH = 200;

function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof v === 'object' && v !== null && typeof (v as { after?: unknown }).after === 'string') return (v as { after: string }).after;
  } catch {
    // fall through to the AWS error
  }
  throw new ServiceError('InvalidNextToken', 'The specified token is not valid.');
}
const encodeToken = (after: string) => Buffer.from(JSON.stringify({ after })).toString('base64url');

/**
 * Walks latest versions in name order from the token, keeping what `pick` returns, until `max` are
 * kept; the token names the last name examined when more may follow.
 */
async function page<T>(deps: SsmDeps, ctx: Ctx, opts: { prefix?: string; token?: string; max: number }, pick: (v: ParameterVersion) => Promise<T | undefined>) {
  const out: T[] = [];
  let after = decodeToken(opts.token);
  for (;;) {
    const batch = await deps.repo.list(ctx, { prefix: opts.prefix, after, limit: BATCH });
    for (const v of batch) {
      after = v.name;
      const kept = await pick(v);
      if (kept !== undefined) out.push(kept);
      if (out.length === opts.max) return { items: out, next: encodeToken(after) };
    }
    if (batch.length < BATCH) return { items: out, next: undefined };
  }
}

function metadata(ctx: Ctx, v: ParameterVersion): ParameterMetadata {
  return {
    Name: v.name, ARN: parameterArn(ctx, v.name), Type: v.type as ParameterType, KeyId: v.keyId,
    LastModifiedDate: new Date(v.modifiedAt), LastModifiedUser: v.modifiedBy, Description: v.description,
    AllowedPattern: v.allowedPattern, Version: v.version, Tier: v.tier as ParameterTier, Policies: [], DataType: v.dataType,
  };
}

/** The name prefix every result must have, when a filter fixes one (saves scanning the rest). */
function prefixOf(filters: Filter[]): string | undefined {
  const path = filters.find((f) => f.key === 'Path' && f.values.length === 1);
  if (path) return path.values[0]!.endsWith('/') ? path.values[0] : path.values[0] + '/';
  return undefined;
}

export async function describeParameters(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'DescribeParameters'>): Promise<CallOutput<'ssm', 'DescribeParameters'>> {
  if (input.Filters?.length && input.ParameterFilters?.length) {
    throw validation('You can use either Filters or ParameterFilters in a single request.');
  }
  const filters = input.Filters?.length ? readLegacyFilters(input.Filters) : readFilters(input.ParameterFilters, DESCRIBE_KEYS, true);
  const withTags = filters.some((f) => f.key.startsWith('tag:'));
  const { items, next } = await page(deps, ctx, { prefix: prefixOf(filters), token: input.NextToken, max: input.MaxResults ?? 50 }, async (v) => {
    const tags = withTags ? ((await deps.repo.tags(ctx, v.name)) ?? {}) : {};
    return matchesAll(filters, v, tags) ? metadata(ctx, v) : undefined;
  });
  return { Parameters: items, NextToken: next };
}

export async function getParametersByPath(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'GetParametersByPath'>): Promise<CallOutput<'ssm', 'GetParametersByPath'>> {
  const path = input.Path!;
  if (!path.startsWith('/') || path.includes('//')) throw validation(`The parameter path ${path} is not valid: a path begins with a forward slash (/).`);
  const filters = readFilters(input.ParameterFilters, BY_PATH_KEYS, false);
  const label = filters.find((f) => f.key === 'Label');
  const others = filters.filter((f) => f !== label);
  const prefix = path.endsWith('/') ? path : path + '/';
  const { items, next } = await page<Parameter>(deps, ctx, { prefix, token: input.NextToken, max: input.MaxResults ?? 10 }, async (latest) => {
    if (!underPath(latest.name, path, input.Recursive === true)) return undefined;
    const v = label ? (await deps.repo.history(ctx, latest.name)).find((h) => label.values.some((l) => h.labels.includes(l))) : latest;
    if (!v || !matchesAll(others, v, {})) return undefined;
    return toParameter(deps, ctx, v, input.WithDecryption, label ? `:${v.labels.find((l) => label.values.includes(l))}` : undefined);
  });
  return { Parameters: items, NextToken: next };
}

export async function getParameterHistory(deps: SsmDeps, ctx: Ctx, input: CallInput<'ssm', 'GetParameterHistory'>): Promise<CallOutput<'ssm', 'GetParameterHistory'>> {
  const name = parseSelector(ctx, input.Name!).name;
  const versions = await deps.repo.history(ctx, name);
  if (versions.length === 0) throw new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
  const start = input.NextToken === undefined ? 0 : Number(decodeToken(input.NextToken));
  if (!Number.isInteger(start) || start < 0) throw new ServiceError('InvalidNextToken', 'The specified token is not valid.');
  const max = input.MaxResults ?? 50;
  const slice = versions.slice(start, start + max);
  const history: ParameterHistory[] = slice.map((v) => {
    const { ARN: _arn, ...meta } = metadata(ctx, v);
    return { ...meta, Value: readValue(deps, v, input.WithDecryption), Labels: v.labels };
  });
  return { Parameters: history, NextToken: start + max < versions.length ? encodeToken(String(start + max)) : undefined };
}
