/**
 * GetSamplingStatisticSummaries: "aggregated request sampling data for a sampling rule across all
 * services for a 10-second window". Every statistics document an SDK reports with
 * GetSamplingTargets is added to its rule's window (the window its Timestamp falls in); the
 * summaries are the windows of the last 10 minutes, oldest first per rule. Windows older than an
 * hour are forgotten.
 */
import type { GetSamplingStatisticSummariesRequest, GetSamplingStatisticSummariesResult, SamplingStatisticsDocument } from '@aws-sdk/client-xray';
import type { Ctx } from '../../../protocol/service.ts';
import type { XrayDeps } from '../deps.ts';
import { decodeOffset, encodeOffset } from '../time-range.ts';
import { TARGET_INTERVAL_SECONDS } from './reservoir.ts';

const RECENT_SECONDS = 600;
const KEEP_SECONDS = 3600;
const PAGE = 100;

/** Adds one reported document (already matched to an existing rule) to its window. */
export async function recordSamplingStatistics(deps: XrayDeps, ctx: Ctx, rule: string, doc: SamplingStatisticsDocument, now: number): Promise<void> {
  const at = doc.Timestamp instanceof Date && !Number.isNaN(doc.Timestamp.getTime()) ? Math.floor(doc.Timestamp.getTime() / 1000) : now;
  const windowStart = at - (at % TARGET_INTERVAL_SECONDS);
  const n = (v: number | undefined) => (Number.isFinite(v) && v! > 0 ? Math.floor(v!) : 0);
  await deps.settings.addSamplingReport(ctx, { rule, windowStart, requests: n(doc.RequestCount), borrowed: n(doc.BorrowCount), sampled: n(doc.SampledCount) }, now - KEEP_SECONDS);
}

export async function getSamplingStatisticSummaries(deps: XrayDeps, ctx: Ctx, input: GetSamplingStatisticSummariesRequest): Promise<GetSamplingStatisticSummariesResult> {
  const now = Math.floor(deps.clock.now() / 1000);
  const all = await deps.settings.samplingWindows(ctx, now - RECENT_SECONDS);
  const from = decodeOffset(input.NextToken);
  const page = all.slice(from, from + PAGE);
  return {
    SamplingStatisticSummaries: page.map((w) => ({
      RuleName: w.rule, Timestamp: new Date(w.windowStart * 1000), RequestCount: w.requests, BorrowCount: w.borrowed, SampledCount: w.sampled,
    })),
    ...(from + PAGE < all.length ? { NextToken: encodeOffset(from + PAGE) } : {}),
  };
}
