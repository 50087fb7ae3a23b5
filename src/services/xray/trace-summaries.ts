/**
 * GetTraceSummaries: the traces with a segment in the time range, newest first, that match the
 * filter expression. Each page scans up to SCAN_PAGE traces of the range and answers the matches
 * with a NextToken for the rest (as X-Ray's own pages may hold fewer summaries than asked).
 * All three TimeRangeTypes select by segment start time (the trace-id epoch of OTLP's W3C ids is
 * random, so it cannot stand for the request time).
 */
import { createHash } from 'node:crypto';
import type { GetTraceSummariesRequest, GetTraceSummariesResult, TraceSummary } from '@aws-sdk/client-xray';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { invalidRequest } from './errors.ts';
import { compileFilter } from './filters.ts';
import { decodeOffset, encodeOffset, timeRange } from './time-range.ts';
import { loadTraces } from './trace-loader.ts';
import { traceFacts } from './traces/trace-facts.ts';
import { traceSummary } from './traces/summary.ts';

const SCAN_PAGE = 1000;
const LOAD_CHUNK = 200;

export async function getTraceSummaries(deps: XrayDeps, ctx: Ctx, input: GetTraceSummariesRequest): Promise<GetTraceSummariesResult> {
  const { start, end } = timeRange(input.StartTime, input.EndTime);
  const filter = await compileFilter(deps, ctx, input.FilterExpression);
  const sample = sampler(input);
  const offset = decodeOffset(input.NextToken);
  const ids = await deps.segments.traceIdsInRange(ctx.account, ctx.region, start, end, SCAN_PAGE + 1, offset);
  const page = ids.slice(0, SCAN_PAGE).filter(sample);
  const summaries: TraceSummary[] = [];
  for (let i = 0; i < page.length; i += LOAD_CHUNK) {
    const chunk = page.slice(i, i + LOAD_CHUNK);
    const loaded = await loadTraces(deps.segments, ctx, chunk, (k, d) => deps.keys.open(k, d));
    for (const id of chunk) {
      const t = loaded.get(id);
      if (t && (!filter || filter(traceFacts(t.trace)))) summaries.push(traceSummary(t.trace, t.documents));
    }
  }
  return {
    TraceSummaries: summaries,
    ApproximateTime: new Date(Math.floor(end) * 1000),
    TracesProcessedCount: Math.min(ids.length, SCAN_PAGE),
    ...(ids.length > SCAN_PAGE ? { NextToken: encodeOffset(offset + SCAN_PAGE) } : {}),
  };
}

/** Sampling = true with FixedRate keeps that fraction of traces (stable per trace id); PartialScan keeps all. */
function sampler(input: GetTraceSummariesRequest): (id: string) => boolean {
  if (!input.Sampling || input.SamplingStrategy?.Name !== 'FixedRate') return () => true;
  const rate = input.SamplingStrategy.Value ?? 0;
  if (!(rate >= 0 && rate <= 1)) throw invalidRequest('SamplingStrategy Value must be between 0 and 1 for FixedRate.');
  return (id) => createHash('sha256').update(id).digest().readUInt32BE(0) / 0x1_0000_0000 < rate;
}
