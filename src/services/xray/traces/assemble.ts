/**
 * All documents received for one trace → the trace X-Ray returns: one document per segment with
 * its streamed subsegments merged in, plus an inferred segment for every downstream call to a
 * service that sends no segments of its own ("AWS X-Ray: Getting data", BatchGetTraces output:
 * inferred segments carry `inferred: true`, the calling subsegment as `parent_id`, its `http` and
 * `aws` blocks, and an `origin` such as `AWS::DynamoDB::Table` or `AWS::SNS`).
 *
 * A complete document overwrites an in-progress one with the same id ("send the complete segment
 * to overwrite the in-progress segment"); between two of the same kind the later one wins.
 */
import { createHash } from 'node:crypto';
import type { DecodedSegment } from '../segments/decode-segment.ts';

export type Doc = Record<string, unknown>;

export interface AssembledTrace {
  traceId: string;
  /** Segments as sent (with streamed subsegments merged), earliest first. */
  segments: Doc[];
  /** Segments X-Ray infers from `aws` / `remote` subsegments whose callee sent nothing. */
  inferred: Doc[];
  /** First start to last end over the segments, in seconds. */
  duration: number;
  /** A segment or subsegment is still in progress, or a streamed subsegment's parent never arrived. */
  partial: boolean;
}

export interface AssembleOptions {
  /**
   * The parts' documents belong to this call (freshly decoded) and may be changed in place; by
   * default they are copied first. Copying was ~10 % of GetServiceGraph time.
   */
  owned?: boolean;
}

export function assembleTrace(traceId: string, parts: readonly DecodedSegment[], opts: AssembleOptions = {}): AssembledTrace {
  const copy = opts.owned ? (d: Doc): Doc => d : (d: Doc): Doc => structuredClone(d);
  const segments = latest(parts.filter((p) => !p.subsegment)).map((p) => copy(p.document));
  const byId = indexEntities(segments);
  let orphans = false;
  for (const sub of latest(parts.filter((p) => p.subsegment))) {
    const parent = byId.get(sub.parentId!);
    if (!parent) { orphans = true; continue; }
    const doc = copy(sub.document);
    delete doc.type; delete doc.trace_id; delete doc.parent_id;
    const list = Array.isArray(parent.subsegments) ? parent.subsegments as Doc[] : (parent.subsegments = []) as Doc[];
    const at = list.findIndex((s) => s.id === doc.id);
    if (at >= 0) list[at] = doc; else list.push(doc);
    for (const [id, d] of indexEntities([doc])) byId.set(id, d);
  }
  segments.sort((a, b) => (a.start_time as number) - (b.start_time as number));
  const inferred = inferSegments(traceId, segments);
  return { traceId, segments, inferred, duration: durationOf(segments), partial: orphans || segments.some(inProgressAnywhere) };
}

/** One document per id: complete beats in-progress, later beats earlier. */
function latest(parts: readonly DecodedSegment[]): DecodedSegment[] {
  const chosen = new Map<string, DecodedSegment>();
  for (const p of parts) {
    const prior = chosen.get(p.id);
    if (!prior || !(p.inProgress && !prior.inProgress)) chosen.set(p.id, p);
  }
  return [...chosen.values()];
}

/** Every segment and (nested) subsegment by id. */
function indexEntities(docs: readonly Doc[], into = new Map<string, Doc>()): Map<string, Doc> {
  for (const d of docs) {
    into.set(d.id as string, d);
    if (Array.isArray(d.subsegments)) indexEntities(d.subsegments as Doc[], into);
  }
  return into;
}

export function forEachSubsegment(doc: Doc, visit: (sub: Doc, owner: Doc) => void, owner: Doc = doc): void {
  if (!Array.isArray(doc.subsegments)) return;
  for (const sub of doc.subsegments as Doc[]) {
    visit(sub, owner);
    forEachSubsegment(sub, visit, owner);
  }
}

function inProgressAnywhere(doc: Doc): boolean {
  let partial = doc.in_progress === true;
  forEachSubsegment(doc, (s) => { partial ||= s.in_progress === true; });
  return partial;
}

function durationOf(segments: readonly Doc[]): number {
  if (segments.length === 0) return 0;
  const start = Math.min(...segments.map((s) => s.start_time as number));
  const end = Math.max(...segments.map((s) => (typeof s.end_time === 'number' ? s.end_time : s.start_time as number)));
  return round3(end - start);
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function inferSegments(traceId: string, segments: readonly Doc[]): Doc[] {
  const called = new Set(segments.map((s) => s.parent_id).filter((id): id is string => typeof id === 'string'));
  const out: Doc[] = [];
  for (const seg of segments) {
    forEachSubsegment(seg, (sub) => {
      if ((sub.namespace !== 'aws' && sub.namespace !== 'remote') || called.has(sub.id as string)) return;
      out.push(inferredFrom(traceId, sub));
    });
  }
  return out;
}

function inferredFrom(traceId: string, sub: Doc): Doc {
  const doc: Doc = {
    // Stable across reads: BatchGetTraces twice returns the same inferred ids.
    id: createHash('sha256').update(`${traceId}/${sub.id as string}`).digest('hex').slice(0, 16),
    name: sub.name,
    start_time: sub.start_time,
    ...(sub.end_time !== undefined ? { end_time: sub.end_time } : { in_progress: true }),
    parent_id: sub.id,
    inferred: true,
  };
  for (const key of ['http', 'aws', 'error', 'throttle', 'fault', 'cause'] as const) if (sub[key] !== undefined) doc[key] = sub[key];
  doc.trace_id = traceId;
  doc.origin = inferredOrigin(sub);
  return doc;
}

/** `AWS::DynamoDB::Table` for a table call, `AWS::<Service>` for other SDK calls, `remote` for HTTP. */
export function inferredOrigin(sub: Doc): string {
  if (sub.namespace === 'remote') return 'remote';
  const aws = (sub.aws ?? {}) as Doc;
  if (sub.name === 'DynamoDB' && typeof aws.table_name === 'string') return 'AWS::DynamoDB::Table';
  return `AWS::${String(sub.name)}`;
}
