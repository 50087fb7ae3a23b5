/**
 * Trace retrieval (StartTraceRetrieval, ListRetrievedTraces, GetRetrievedTracesGraph,
 * CancelTraceRetrieval): on AWS these read Transaction Search's `aws/spans` log group; Osprey keeps
 * every span in its trace store, so a retrieval reads the traces from there. It completes as it is
 * started (RetrievalStatus COMPLETE at once); its token is kept for 24 hours. Traces come back five
 * per page, in the XRAY format (BatchGetTraces' documents) or as OpenTelemetry spans
 * (traces/otel-spans.ts).
 */
import { randomBytes } from 'node:crypto';
import type {
  CancelTraceRetrievalRequest, CancelTraceRetrievalResult, GetRetrievedTracesGraphRequest, GetRetrievedTracesGraphResult,
  ListRetrievedTracesRequest, ListRetrievedTracesResult, RetrievedTrace, StartTraceRetrievalRequest, StartTraceRetrievalResult,
} from '@aws-sdk/client-xray';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';
import type { RetrievalRecord } from './settings-repo.ts';
import { decodeOffset, encodeOffset, timeRange } from './time-range.ts';
import { loadTraces, type LoadedTrace } from './trace-loader.ts';
import { traceToOtelSpans } from './traces/otel-spans.ts';
import { ServiceGraphBuilder } from './traces/service-graph.ts';

const KEEP_SECONDS = 24 * 3600;
const TRACES_PER_PAGE = 5;
const MAX_TRACE_IDS = 100;
const XRAY_ID = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const W3C_ID = /^[0-9a-f]{32}$/;

/** An X-Ray trace id, or a W3C one (as Transaction Search shows them) in X-Ray's spelling. */
function traceId(id: string): string {
  if (XRAY_ID.test(id)) return id;
  if (W3C_ID.test(id)) return `1-${id.slice(0, 8)}-${id.slice(8)}`;
  throw invalidRequest(`Invalid trace id ${JSON.stringify(id)}: use 1-<8 hex digits>-<24 hex digits> or a 32-hex-digit W3C trace id.`);
}

async function find(deps: XrayDeps, ctx: Ctx, token: string | undefined): Promise<RetrievalRecord> {
  const r = token ? await deps.settings.retrieval(ctx, token) : undefined;
  if (!r || r.createdAt < Math.floor(deps.clock.now() / 1000) - KEEP_SECONDS) {
    throw new ServiceError('ResourceNotFoundException', `Retrieval token not found or expired: ${token ?? ''}. Tokens last 24 hours; start a new retrieval.`, {
      status: 404, fields: { ResourceName: token ?? '' },
    });
  }
  return r;
}

export async function startTraceRetrieval(deps: XrayDeps, ctx: Ctx, input: StartTraceRetrievalRequest): Promise<StartTraceRetrievalResult> {
  const ids = [...new Set((input.TraceIds ?? []).map(traceId))];
  if (ids.length === 0) throw invalidRequest('TraceIds must name at least one trace.');
  if (ids.length > MAX_TRACE_IDS) throw invalidRequest(`At most ${MAX_TRACE_IDS} trace ids can be retrieved at once; got ${ids.length}.`);
  const { start, end } = timeRange(input.StartTime, input.EndTime);
  const now = Math.floor(deps.clock.now() / 1000);
  const token = randomBytes(24).toString('base64url');
  await deps.settings.putRetrieval(ctx, { token, traceIds: ids, start, end, status: 'COMPLETE', createdAt: now }, now - KEEP_SECONDS);
  return { RetrievalToken: token };
}

export async function cancelTraceRetrieval(deps: XrayDeps, ctx: Ctx, input: CancelTraceRetrievalRequest): Promise<CancelTraceRetrievalResult> {
  const r = await find(deps, ctx, input.RetrievalToken);
  await deps.settings.setRetrievalStatus(ctx, r.token, 'CANCELLED');
  return {};
}

/** The retrieval's traces that have a segment in its time range, in the order asked. */
async function retrieved(deps: XrayDeps, ctx: Ctx, r: RetrievalRecord, ids: readonly string[]): Promise<[string, LoadedTrace][]> {
  const loaded = await loadTraces(deps.segments, ctx, ids, (k, d) => deps.keys.open(k, d));
  const inRange = (t: LoadedTrace): boolean => t.trace.segments.some((s) => {
    const from = s.start_time as number;
    const to = typeof s.end_time === 'number' ? s.end_time : from;
    return from <= r.end && to >= r.start;
  });
  return ids.flatMap((id) => {
    const t = loaded.get(id);
    return t && inRange(t) ? [[id, t] as [string, LoadedTrace]] : [];
  });
}

export async function listRetrievedTraces(deps: XrayDeps, ctx: Ctx, input: ListRetrievedTracesRequest): Promise<ListRetrievedTracesResult> {
  const r = await find(deps, ctx, input.RetrievalToken);
  const format = input.TraceFormat ?? 'XRAY';
  if (format !== 'XRAY' && format !== 'OTEL') throw invalidRequest(`TraceFormat must be XRAY or OTEL, not ${format}.`);
  if (r.status !== 'COMPLETE') return { RetrievalStatus: r.status, TraceFormat: format, Traces: [] };
  const from = decodeOffset(input.NextToken);
  const page = await retrieved(deps, ctx, r, r.traceIds.slice(from, from + TRACES_PER_PAGE));
  const traces: RetrievedTrace[] = page.map(([id, t]) => ({
    Id: id,
    Duration: t.trace.duration,
    Spans: format === 'OTEL'
      ? traceToOtelSpans(id, t.trace.segments).map((s) => ({ Id: s.spanId, Document: JSON.stringify(s) }))
      : [...t.trace.segments, ...t.trace.inferred].map((d) => ({ Id: d.id as string, Document: JSON.stringify(d) })),
  }));
  const next = from + TRACES_PER_PAGE < r.traceIds.length ? { NextToken: encodeOffset(from + TRACES_PER_PAGE) } : {};
  return { RetrievalStatus: 'COMPLETE', TraceFormat: format, Traces: traces, ...next };
}

export async function getRetrievedTracesGraph(deps: XrayDeps, ctx: Ctx, input: GetRetrievedTracesGraphRequest): Promise<GetRetrievedTracesGraphResult> {
  const r = await find(deps, ctx, input.RetrievalToken);
  if (r.status !== 'COMPLETE') return { RetrievalStatus: r.status, Services: [] };
  if (input.NextToken !== undefined) throw invalidRequest('The NextToken is not valid: the whole graph comes back in one page.');
  const builder = new ServiceGraphBuilder();
  for (const [, t] of await retrieved(deps, ctx, r, r.traceIds)) builder.add(t.trace);
  // Links join traces that refer to each other (span links); X-Ray segments carry none.
  return { RetrievalStatus: 'COMPLETE', Services: builder.services().map((s) => ({ Service: s, Links: [] })) };
}
