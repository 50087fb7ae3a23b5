/**
 * GetServiceGraph: the graph of every trace with a segment in the time range — or only of the
 * traces that match a group's filter expression when GroupName / GroupARN is given (those are read
 * and assembled here; the whole range is aggregated by the store).
 */
import type { GetServiceGraphRequest, GetServiceGraphResult } from '@aws-sdk/client-xray';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';
import { compileFilter } from './filters.ts';
import { timeRange } from './time-range.ts';
import { loadTraces } from './trace-loader.ts';
import { ServiceGraphBuilder } from './traces/service-graph.ts';
import { traceFacts } from './traces/trace-facts.ts';

const CHUNK = 500;

export async function getServiceGraph(deps: XrayDeps, ctx: Ctx, input: GetServiceGraphRequest): Promise<GetServiceGraphResult> {
  const { start, end } = timeRange(input.StartTime, input.EndTime);
  const filter = groupFilter(deps, ctx, input);
  // Aggregated in the store, unless a group's filter must see whole traces or the range holds
  // documents stored before the graph columns existed.
  if (!filter && !(await deps.segments.hasDocumentsWithoutGraphColumns(ctx, start, end))) {
    const graph = ServiceGraphBuilder.fromRows(await deps.segments.serviceGraph(ctx, start, end));
    return { StartTime: input.StartTime, EndTime: input.EndTime, Services: graph.services(), ContainsOldGroupVersions: false };
  }
  const builder = new ServiceGraphBuilder();
  for (let offset = 0; ; offset += CHUNK) {
    const ids = await deps.segments.traceIdsInRange(ctx.account, ctx.region, start, end, CHUNK, offset);
    for (const t of (await loadTraces(deps.segments, ctx, ids, (k, d) => deps.keys.open(k, d))).values()) {
      if (!filter || filter(traceFacts(t.trace))) builder.add(t.trace);
    }
    if (ids.length < CHUNK) break;
  }
  return { StartTime: input.StartTime, EndTime: input.EndTime, Services: builder.services(), ContainsOldGroupVersions: false };
}

function groupFilter(deps: XrayDeps, ctx: Ctx, input: GetServiceGraphRequest): ReturnType<typeof compileFilter> {
  if (!input.GroupName && !input.GroupARN) return undefined;
  const group = input.GroupName ? deps.repo.group(ctx, input.GroupName) : deps.repo.groups(ctx).find((g) => g.arn === input.GroupARN);
  if (!group) throw invalidRequest(`Group not found: ${input.GroupName ?? input.GroupARN}`);
  return compileFilter(deps, ctx, group.filterExpression);
}
