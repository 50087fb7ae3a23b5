/**
 * One segment document (PutTraceSegments' TraceSegmentDocuments[], or a daemon UDP datagram body)
 * → a checked segment, or the UnprocessedTraceSegment AWS answers for it. Rules from "AWS X-Ray
 * segment documents" (xray-api-segmentdocuments): ≤ 64 kB; `name` ≤ 200 characters of Unicode
 * letters, numbers, whitespace and `_ . : / % & # = + \ - @`; `id` 16 hex digits; `trace_id`
 * `1-<8 hex epoch seconds>-<24 hex>`; `start_time` a number; `end_time` or `in_progress: true`;
 * an independent subsegment has `type: "subsegment"`, `trace_id` and `parent_id`.
 * The error codes and messages are AWS's ("Invalid segment. ErrorCode: InvalidTraceId", "Invalid
 * subsegment. ErrorCode: InvalidName, Cause: null" as X-Ray and its daemon print them).
 */

export const MAX_DOCUMENT_BYTES = 64 * 1024;
/** X-Ray keeps traces 30 days; a trace id whose epoch is older is refused (InvalidTraceId). */
export const TRACE_ID_MAX_AGE_SECONDS = 30 * 24 * 3600;
/** Clocks drift: an id stamped a little ahead of the server is still accepted. */
const TRACE_ID_MAX_SKEW_SECONDS = 3600;

const ID = /^[0-9a-f]{16}$/;
const TRACE_ID = /^1-([0-9a-f]{8})-[0-9a-f]{24}$/;
const NAME = /^[\p{L}\p{N}\s_.:/%&#=+\\\-@]{1,200}$/u;

export interface DecodedSegment {
  traceId: string;
  id: string;
  /** The calling subsegment (a segment) or the parent (an independent subsegment). */
  parentId?: string;
  name: string;
  startTime: number;
  endTime?: number;
  inProgress: boolean;
  /** `type: "subsegment"` sent on its own; it is attached to its parent when the trace is read. */
  subsegment: boolean;
  /** The parsed document (BatchGetTraces returns it; the trace summariser reads http, aws, annotations…). */
  document: Record<string, unknown>;
}

export interface UnprocessedSegment {
  Id?: string;
  ErrorCode: string;
  Message: string;
}

export type DecodeResult = { ok: true; segment: DecodedSegment } | { ok: false; error: UnprocessedSegment };

export interface DecodeOptions {
  /**
   * Refuse trace ids whose epoch is outside X-Ray's window (true for PutTraceSegments and the daemon;
   * false for OTLP, whose W3C trace ids are random and mapped to `1-<first 8>-<last 24>`).
   */
  checkTraceEpoch?: boolean;
}

export function decodeSegmentDocument(text: string, nowSeconds: number, opts: DecodeOptions = {}): DecodeResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_DOCUMENT_BYTES) return refuse('SegmentTooLarge', false, idOf(text));
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return refuse('InvalidSegment', false, idOf(text));
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return refuse('InvalidSegment', false);
  return checkDocument(doc as Record<string, unknown>, opts.checkTraceEpoch === false ? undefined : nowSeconds);
}

/**
 * A document built in-process (an OTLP span mapped to a segment) with its JSON text: the same
 * checks, without parsing back what was just serialised.
 */
export function checkBuiltDocument(doc: Record<string, unknown>, text: string, nowSeconds: number, opts: DecodeOptions = {}): DecodeResult {
  // Most documents are far below the limit in UTF-16 units already; measure bytes only near it.
  if (text.length * 3 > MAX_DOCUMENT_BYTES && Buffer.byteLength(text, 'utf8') > MAX_DOCUMENT_BYTES) return refuse('SegmentTooLarge', false, idOf(text));
  return checkDocument(doc, opts.checkTraceEpoch === false ? undefined : nowSeconds);
}

/** `nowSeconds` undefined: the trace id's epoch is not checked. */
function checkDocument(doc: Record<string, unknown>, nowSeconds: number | undefined): DecodeResult {
  const subsegment = doc.type === 'subsegment';
  const id = typeof doc.id === 'string' ? doc.id : undefined;
  const fail = (code: string): DecodeResult => refuse(code, subsegment, id);
  if (doc.type !== undefined && !subsegment) return fail('InvalidType');
  if (doc.id === undefined) return fail('MissingId');
  if (!id || !ID.test(id)) return fail('InvalidId');
  if (doc.trace_id === undefined) return fail('MissingTraceId');
  if (typeof doc.trace_id !== 'string' || !validTraceId(doc.trace_id, nowSeconds)) return fail('InvalidTraceId');
  if (doc.name === undefined) return fail('MissingName');
  if (typeof doc.name !== 'string' || !NAME.test(doc.name)) return fail('InvalidName');
  if (doc.start_time === undefined) return fail('MissingStartTime');
  if (!finiteNumber(doc.start_time)) return fail('InvalidStartTime');
  const inProgress = doc.in_progress === true;
  if (doc.end_time === undefined && !inProgress) return fail('MissingEndTime');
  if (doc.end_time !== undefined && (!finiteNumber(doc.end_time) || doc.end_time < doc.start_time)) return fail('InvalidEndTime');
  if (doc.parent_id !== undefined && (typeof doc.parent_id !== 'string' || !ID.test(doc.parent_id))) return fail('InvalidParentId');
  if (subsegment && doc.parent_id === undefined) return fail('MissingParentId');
  const nested = checkSubsegments(doc.subsegments);
  if (nested) return refuse(nested, true, id);
  return {
    ok: true,
    segment: {
      traceId: doc.trace_id, id, name: doc.name, startTime: doc.start_time, inProgress, subsegment, document: doc,
      ...(typeof doc.parent_id === 'string' ? { parentId: doc.parent_id } : {}),
      ...(finiteNumber(doc.end_time) ? { endTime: doc.end_time } : {}),
    },
  };
}

/** Embedded subsegments need id, name, start_time and end_time/in_progress (no trace_id, no type). */
function checkSubsegments(list: unknown, depth = 0): string | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || depth > 64) return 'InvalidSubsegments';
  for (const s of list) {
    if (s === null || typeof s !== 'object' || Array.isArray(s)) return 'InvalidSubsegments';
    const sub = s as Record<string, unknown>;
    if (sub.id === undefined) return 'MissingId';
    if (typeof sub.id !== 'string' || !ID.test(sub.id)) return 'InvalidId';
    if (sub.name === undefined) return 'MissingName';
    if (typeof sub.name !== 'string' || !NAME.test(sub.name)) return 'InvalidName';
    if (!finiteNumber(sub.start_time)) return sub.start_time === undefined ? 'MissingStartTime' : 'InvalidStartTime';
    if (sub.end_time === undefined && sub.in_progress !== true) return 'MissingEndTime';
    if (sub.end_time !== undefined && !finiteNumber(sub.end_time)) return 'InvalidEndTime';
    const inner = checkSubsegments(sub.subsegments, depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

function validTraceId(traceId: string, nowSeconds: number | undefined): boolean {
  const m = TRACE_ID.exec(traceId);
  if (!m) return false;
  if (nowSeconds === undefined) return true;
  const epoch = parseInt(m[1]!, 16);
  return epoch >= nowSeconds - TRACE_ID_MAX_AGE_SECONDS && epoch <= nowSeconds + TRACE_ID_MAX_SKEW_SECONDS;
}

function finiteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The id of a document too broken to parse, when one can still be read from its text. */
function idOf(text: string): string | undefined {
  return /"id"\s*:\s*"([0-9a-f]{16})"/.exec(text.slice(0, 4096))?.[1];
}

function refuse(code: string, subsegment: boolean, id?: string): DecodeResult {
  const kind = subsegment ? 'subsegment' : 'segment';
  return { ok: false, error: { ...(id ? { Id: id } : {}), ErrorCode: code, Message: `Invalid ${kind}. ErrorCode: ${code}${subsegment ? ', Cause: null' : ''}` } };
}
