/**
 * BatchGetTraces and GetTraceGraph: whole traces by id. BatchGetTraces returns X-Ray's processed
 * documents — each segment with its streamed subsegments merged, plus the inferred segments.
 */
import type { BatchGetTracesRequest, BatchGetTracesResult, GetTraceGraphRequest, GetTraceGraphResult, Trace } from '@aws-sdk/client-xray';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { loadTraces } from './trace-loader.ts';
import { ServiceGraphBuilder } from './traces/service-graph.ts';

function checkIds(ids: readonly string[] | undefined): string[] {
  return [...new Set(ids ?? [])];
}

export async function batchGetTraces(deps: XrayDeps, ctx: Ctx, input: BatchGetTracesRequest): Promise<BatchGetTracesResult> {
  const ids = checkIds(input.TraceIds);
  const loaded = await loadTraces(deps.segments, ctx, ids, (k, d) => deps.keys.open(k, d));
  const traces: Trace[] = [];
  const unprocessed: string[] = [];
  for (const id of ids) {
    const t = loaded.get(id);
    if (!t) { unprocessed.push(id); continue; }
    traces.push({
      Id: id,
      Duration: t.trace.duration,
      LimitExceeded: false,
      Segments: [...t.trace.segments, ...t.trace.inferred].map((d) => ({ Id: d.id as string, Document: JSON.stringify(d) })),
    });
  }
  return { Traces: traces, UnprocessedTraceIds: unprocessed };
}

export async function getTraceGraph(deps: XrayDeps, ctx: Ctx, input: GetTraceGraphRequest): Promise<GetTraceGraphResult> {
  const ids = checkIds(input.TraceIds);
  const builder = new ServiceGraphBuilder();
  for (const t of (await loadTraces(deps.segments, ctx, ids, (k, d) => deps.keys.open(k, d))).values()) builder.add(t.trace);
  return { Services: builder.services() };
}
