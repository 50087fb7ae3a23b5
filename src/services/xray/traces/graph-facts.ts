/**
 * What the service graph needs from one stored document, computed once when it is stored so that
 * GetServiceGraph aggregates columns in the telemetry store instead of reading and assembling every
 * trace (store/telemetry/trace-graph.ts):
 * - a segment's node (nodeOf), status and response time;
 * - the ids the document holds (its nested subsegments; a streamed subsegment also its own id), so a
 *   segment whose `parent_id` is one of them is called from this document's segment;
 * - its `aws` / `remote` subsegments (a streamed one included), each a possible inferred node with
 *   the status, response time and times the inferred segment would have (assemble.ts).
 * Same helpers as the in-memory graph (service-graph.ts), so both count a segment alike.
 */
import { forEachSubsegment, inferredOrigin, round3, type Doc } from './assemble.ts';
import type { TraceGraphCall, TraceGraphColumns } from '../../../store/telemetry/trace-segments.ts';
import { nodeOf, statusOf } from './segment-facts.ts';

/** Statuses as the graph counts them: fault beats throttle beats error. */
export const Status = { OK: 0, ERROR: 1, THROTTLE: 2, FAULT: 3 } as const;

/** The shapes the trace store keeps (store/telemetry/trace-segments.ts). */
export type GraphCall = TraceGraphCall;
export type GraphFacts = TraceGraphColumns & { owned: string[]; calls: GraphCall[] };

export function statusCode(doc: Doc): number {
  const s = statusOf(doc);
  return s.fault ? Status.FAULT : s.throttle ? Status.THROTTLE : s.error ? Status.ERROR : Status.OK;
}

/** A finite number, else 0: nested subsegments' times were never checked, and a row must encode. */
const finite = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** end − start rounded to ms, or 0 while in progress (the graph counts it as 0 then). */
function responseTime(doc: Doc): number {
  return typeof doc.end_time === 'number' ? finite(round3(doc.end_time - finite(doc.start_time))) : 0;
}

function call(sub: Doc): GraphCall {
  const node = nodeOf({ name: sub.name, origin: inferredOrigin(sub), aws: sub.aws });
  const start = finite(sub.start_time);
  return {
    id: sub.id as string, name: node.name, type: node.type ?? '', account: node.accountId ?? '', status: statusCode(sub), responseTime: responseTime(sub),
    start, end: typeof sub.end_time === 'number' ? finite(sub.end_time) : start,
  };
}

export function graphFacts(doc: Doc, subsegment: boolean): GraphFacts {
  const owned: string[] = [];
  const calls: GraphCall[] = [];
  const visit = (sub: Doc): void => {
    if (typeof sub.id !== 'string') return;
    owned.push(sub.id);
    if (sub.namespace === 'aws' || sub.namespace === 'remote') calls.push(call(sub));
  };
  if (subsegment) visit(doc);
  forEachSubsegment(doc, visit);
  if (subsegment) return { nodeName: '', nodeType: '', nodeAccount: '', status: 0, responseTime: 0, owned, calls };
  const node = nodeOf(doc);
  return { nodeName: node.name, nodeType: node.type ?? '', nodeAccount: node.accountId ?? '', status: statusCode(doc), responseTime: responseTime(doc), owned, calls };
}
