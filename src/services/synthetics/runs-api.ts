/** GetCanaryRuns, DescribeCanariesLastRun and DescribeRuntimeVersions. */
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { existingCanary } from './canaries.ts';
import type { SyntheticsDeps } from './deps.ts';
import { validation } from './names.ts';
import { decodeToken, encodeToken } from './paging.ts';
import { describeRuntimeVersions as runtimeVersions } from './runtimes.ts';
import { runShape } from './shapes.ts';

function beforeOf(token: string | undefined): { started: number; id: string } | undefined {
  if (token === undefined) return undefined;
  const [started, id] = decodeToken(token).split('/');
  if (!id || !Number.isSafeInteger(Number(started))) throw validation('The NextToken is not valid.');
  return { started: Number(started), id };
}

export async function getCanaryRuns(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'GetCanaryRuns'>): Promise<CallOutput<'synthetics', 'GetCanaryRuns'>> {
  const c = await existingCanary(deps, ctx, input.Name!);
  if ((input as { RunType?: string }).RunType === 'DRY_RUN' || (input as { DryRunId?: string }).DryRunId !== undefined) {
    throw validation('Dry runs (StartCanaryDryRun) are not supported by Osprey; omit DryRunId and RunType.');
  }
  const limit = input.MaxResults ?? 100;
  const rows = await deps.repo.listRuns(ctx, c.id, { before: beforeOf(input.NextToken), limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { CanaryRuns: page.map((r) => runShape(c.name, r)), NextToken: rows.length > limit && last ? encodeToken(`${last.started}/${last.id}`) : undefined };
}

export async function describeCanariesLastRun(deps: SyntheticsDeps, ctx: Ctx, input: CallInput<'synthetics', 'DescribeCanariesLastRun'>): Promise<CallOutput<'synthetics', 'DescribeCanariesLastRun'>> {
  const limit = input.MaxResults ?? 100;
  const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
  const canaries = await deps.repo.listCanaries(ctx, { names: input.Names, after, limit: limit + 1 });
  const page = canaries.slice(0, limit);
  const out = [];
  for (const c of page) {
    const [last] = await deps.repo.listRuns(ctx, c.id, { limit: 1 });
    if (last) out.push({ CanaryName: c.name, LastRun: runShape(c.name, last) });
  }
  return { CanariesLastRun: out, NextToken: canaries.length > limit ? encodeToken(page.at(-1)!.name) : undefined };
}

export async function describeRuntimeVersions(_deps: SyntheticsDeps, _ctx: Ctx, input: CallInput<'synthetics', 'DescribeRuntimeVersions'>): Promise<CallOutput<'synthetics', 'DescribeRuntimeVersions'>> {
  const all = runtimeVersions();
  const start = input.NextToken === undefined ? 0 : Number(decodeToken(input.NextToken));
  const limit = input.MaxResults ?? 100;
  const page = all.slice(start, start + limit);
  return { RuntimeVersions: page, NextToken: start + limit < all.length ? encodeToken(String(start + limit)) : undefined };
}
