/**
 * GetServiceGraph: the graph of every trace with a segment in the time range — or only of the
 * traces that match a group's filter expression when GroupName / GroupARN is given (those are read
 * and assembled here; the whole range is aggregated by the store). `serviceGraphs` also cuts the
 * graph into periods for GetTimeSeriesServiceStatistics.
 */
import type { GetServiceGraphRequest, GetServiceGraphResult, Service } from '@aws-sdk/client-xray';
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
  const graphs = await serviceGraphs(deps, ctx, { start, end }, input);
  return { StartTime: input.StartTime, EndTime: input.EndTime, Services: graphs.get(0) ?? [], ContainsOldGroupVersions: false };
}

/**
 * The service graph of the range (and group), per period of the traces' first segment when
 * `period` (s) is given — keyed by the period's start in epoch seconds —, else one graph at key 0.
 */
export async function serviceGraphs(
  deps: XrayDeps, ctx: Ctx, range: { start: number; end: number }, group: { GroupName?: string; GroupARN?: string }, period?: number,
): Promise<Map<number, Service[]>> {
  const filter = await groupFilter(deps, ctx, group);
  const builders = new Map<number, ServiceGraphBuilder>();
  // Aggregated in the store, unless a group's filter must see whole traces or the range holds
  // documents stored before the graph columns existed.
  if (!filter && !(await deps.segments.hasDocumentsWithoutGraphColumns(ctx, range.start, range.end))) {
    const rows = await deps.segments.serviceGraph(ctx, range.start, range.end, period);
    const byBucket = new Map<number, typeof rows>();
    for (const r of rows) {
      const list = byBucket.get(r.bucket);
      if (list) list.push(r);
      else byBucket.set(r.bucket, [r]);
    }
    for (const [bucket, list] of byBucket) builders.set(bucket, ServiceGraphBuilder.fromRows(list));
  } else {
    for (let offset = 0; ; offset += CHUNK) {
      const ids = await deps.segments.traceIdsInRange(ctx.account, ctx.region, range.start, range.end, CHUNK, offset);
      for (const t of (await loadTraces(deps.segments, ctx, ids, (k, d) => deps.keys.open(k, d))).values()) {
        if (filter && !filter(traceFacts(t.trace))) continue;
        const first = (t.trace.segments[0]?.start_time as number | undefined) ?? 0;
        const bucket = period ? Math.floor(first / period) * period : 0;
        let b = builders.get(bucket);
        if (!b) builders.set(bucket, (b = new ServiceGraphBuilder()));
        b.add(t.trace);
      }
      if (ids.length < CHUNK) break;
    }
  }
  return new Map([...builders].sort(([a], [b]) => a - b).map(([bucket, b]) => [bucket, b.services()]));
}

async function groupFilter(deps: XrayDeps, ctx: Ctx, input: { GroupName?: string; GroupARN?: string }): Promise<ReturnType<typeof compileFilter>> {
  if (!input.GroupName && !input.GroupARN) return undefined;
  // The Default group holds every trace.
  if (input.GroupName === 'Default' || input.GroupARN === `arn:aws:xray:${ctx.region}:${ctx.account}:group/Default`) return undefined;
  const group = input.GroupName ? await deps.repo.group(ctx, input.GroupName) : (await deps.repo.groups(ctx)).find((g) => g.arn === input.GroupARN);
  if (!group) throw invalidRequest(`Group not found: ${input.GroupName ?? input.GroupARN}`);
  return await compileFilter(deps, ctx, group.filterExpression);
}
