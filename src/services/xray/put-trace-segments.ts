/**
 * PutTraceSegments (and the daemon's UDP port, which sends the same documents): each document is
 * checked on its own; bad ones come back in UnprocessedTraceSegments with AWS's codes while the
 * rest are stored, and the call itself succeeds.
 */
import type { PutTraceSegmentsRequest, PutTraceSegmentsResult, UnprocessedTraceSegment } from '@aws-sdk/client-xray';
import type { Ctx } from '../../protocol/service.ts';
import type { TraceSegmentRow } from '../../store/telemetry/trace-segments.ts';
import type { XrayDeps } from './deps.ts';
import { graphFacts } from './traces/graph-facts.ts';
import { serviceMetricPoints } from './service-metrics.ts';
import { checkBuiltDocument, decodeSegmentDocument, type DecodeOptions, type DecodeResult, type DecodedSegment } from './segments/decode-segment.ts';

export async function putTraceSegments(deps: XrayDeps, ctx: Ctx, input: PutTraceSegmentsRequest): Promise<PutTraceSegmentsResult> {
  const { unprocessed } = await storeDocuments(deps, ctx, input.TraceSegmentDocuments ?? []);
  return { UnprocessedTraceSegments: unprocessed };
}

/** A segment document as text, or built in-process (an OTLP span) with its text. */
export type SegmentInput = string | { doc: Record<string, unknown>; text: string };

export async function storeDocuments(
  deps: XrayDeps, scope: { account: string; region: string }, documents: readonly SegmentInput[], opts: DecodeOptions = {},
): Promise<{ stored: number; unprocessed: UnprocessedTraceSegment[] }> {
  const now = deps.clock.now();
  const nowSeconds = Math.floor(now / 1000);
  const rows: TraceSegmentRow[] = [];
  const unprocessed: UnprocessedTraceSegment[] = [];
  // Under a KMS encryption config the documents are stored sealed with the key (AES-256-GCM).
  const keyId = await deps.repo.encryptionKey(scope);
  const seal = keyId ? (text: string) => deps.keys.seal(keyId, text) : (text: string) => text;
  for (const d of documents) {
    const text = typeof d === 'string' ? d : d.text;
    const r: DecodeResult = typeof d === 'string' ? decodeSegmentDocument(d, nowSeconds, opts) : checkBuiltDocument(d.doc, d.text, nowSeconds, opts);
    if (r.ok) rows.push(toRow(scope, r.segment, seal(text), keyId ?? '', now));
    else unprocessed.push(r.error);
  }
  if (rows.length) {
    // Both durable before the 200 (what it acknowledged is counted in the metrics too), written
    // side by side: one after the other doubled the wait of every call.
    const points = serviceMetricPoints(rows);
    await Promise.all([deps.segments.append(rows), points.length ? deps.metricPoints.append(points) : undefined]);
  }
  return { stored: rows.length, unprocessed };
}

function toRow(scope: { account: string; region: string }, s: DecodedSegment, document: string, keyId: string, now: number): TraceSegmentRow {
  return {
    account: scope.account, region: scope.region, traceId: s.traceId, id: s.id, parentId: s.parentId ?? '',
    subsegment: s.subsegment, inProgress: s.inProgress, name: s.name,
    origin: typeof s.document.origin === 'string' ? s.document.origin : '',
    startTime: s.startTime, endTime: s.endTime ?? 0, received: now, document, keyId,
    graph: graphFacts(s.document, s.subsegment),
  };
}
