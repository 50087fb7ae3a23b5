/** Reads whole traces back: every stored document of the traces, decoded and assembled. */
import type { TraceSegmentStore } from '../../store/telemetry/trace-segments.ts';
import { decodeSegmentDocument, type DecodedSegment } from './segments/decode-segment.ts';
import { assembleTrace, type AssembledTrace } from './traces/assemble.ts';

export interface LoadedTrace {
  trace: AssembledTrace;
  /** Documents stored for it (TraceSummary.Revision grows with each). */
  documents: number;
}

/** Opens documents stored sealed (a KMS encryption config was set when they arrived). */
export type Unseal = (keyArn: string, sealed: string) => string;

export async function loadTraces(store: TraceSegmentStore, scope: { account: string; region: string }, ids: readonly string[], unseal: Unseal): Promise<Map<string, LoadedTrace>> {
  const stored = await store.segmentsOf(scope.account, scope.region, ids);
  const parts = new Map<string, DecodedSegment[]>();
  for (const s of stored) {
    // Stored documents passed the checks when they arrived; only the epoch window may have moved on.
    const r = decodeSegmentDocument(s.keyId ? unseal(s.keyId, s.document) : s.document, 0, { checkTraceEpoch: false });
    if (!r.ok) continue;
    const list = parts.get(s.traceId) ?? [];
    list.push(r.segment);
    parts.set(s.traceId, list);
  }
  const out = new Map<string, LoadedTrace>();
  for (const id of ids) {
    const p = parts.get(id);
    if (p) out.set(id, { trace: assembleTrace(id, p, { owned: true }), documents: p.length });
  }
  return out;
}
