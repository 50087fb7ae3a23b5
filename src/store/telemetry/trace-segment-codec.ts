/**
 * X-Ray segment documents in the write-ahead log: one record per accepted batch (PutTraceSegments,
 * a daemon batch, an OTLP request), whose body is the RowBinary the head later inserts into
 * `trace_segments` — TRACE_SEGMENT_COLUMNS in order: the document as sent (sealed documents behind
 * SEALED and their key ARN) and the columns trace queries filter on, graph columns included.
 */
import type { RowBinaryReader } from './row-binary-reader.ts';
import type { RowBinaryWriter } from './row-binary.ts';
import { RowBinaryWalCodec } from './row-binary-wal-codec.ts';
import type { TraceGraphCall, TraceSegmentRow } from './trace-segments.ts';

export const TRACE_SEGMENT_COLUMNS = [
  'account', 'region', 'trace_id', 'id', 'parent_id', 'subsegment', 'in_progress', 'name', 'origin', 'start_time', 'end_time', 'received', 'document',
  'graph_facts', 'node_name', 'node_type', 'node_account', 'status', 'response_time', 'owned',
  'call_ids', 'call_names', 'call_types', 'call_accounts', 'call_status', 'call_rt', 'call_start', 'call_end',
] as const;

/**
 * A sealed document is stored as `SEALED <key ARN> \n <sealed text>` in the document column: a
 * separate key column cost ~18 µs of insert work per segment (OTLP bench, 63 → 82 µs), and a
 * document in clear starts with JSON, never with this control character.
 */
export const SEALED = '\u0001sealed:';

export function packDocument(document: string, keyId: string): string {
  return keyId ? `${SEALED}${keyId}\n${document}` : document;
}

export function unpackDocument(stored: string): { document: string; keyId: string } {
  if (!stored.startsWith(SEALED)) return { document: stored, keyId: '' };
  const nl = stored.indexOf('\n');
  return { keyId: stored.slice(SEALED.length, nl), document: stored.slice(nl + 1) };
}

export class TraceSegmentCodec extends RowBinaryWalCodec<TraceSegmentRow> {
  constructor() {
    super('trace segment', 1);
  }

  protected writeRow(w: RowBinaryWriter, r: TraceSegmentRow): void {
    const g = r.graph;
    w.string(r.account); w.string(r.region); w.string(r.traceId); w.string(r.id); w.string(r.parentId);
    w.uint8(r.subsegment ? 1 : 0); w.uint8(r.inProgress ? 1 : 0);
    w.string(r.name); w.string(r.origin); w.float64(r.startTime); w.float64(r.endTime); w.int64(Math.trunc(r.received));
    w.string(packDocument(r.document, r.keyId));
    w.uint8(1); w.string(g.nodeName); w.string(g.nodeType); w.string(g.nodeAccount); w.uint8(g.status); w.float64(g.responseTime);
    w.stringArray(g.owned);
    writeCalls(g.calls, w);
  }

  protected readRow(r: RowBinaryReader): TraceSegmentRow {
    const account = r.string(); const region = r.string(); const traceId = r.string(); const id = r.string(); const parentId = r.string();
    const subsegment = r.uint8() === 1; const inProgress = r.uint8() === 1;
    const name = r.string(); const origin = r.string(); const startTime = r.float64(); const endTime = r.float64(); const received = r.int64();
    const { document, keyId } = unpackDocument(r.string());
    r.uint8();
    const nodeName = r.string(); const nodeType = r.string(); const nodeAccount = r.string(); const status = r.uint8(); const responseTime = r.float64();
    const owned = r.stringArray();
    return {
      account, region, traceId, id, parentId, subsegment, inProgress, name, origin, startTime, endTime, received, document, keyId,
      graph: { nodeName, nodeType, nodeAccount, status, responseTime, owned, calls: readCalls(r) },
    };
  }
}

/** The calls as eight parallel arrays (plain loops: this runs for every stored segment). */
function writeCalls(calls: readonly TraceGraphCall[], w: RowBinaryWriter): void {
  const n = calls.length;
  w.varUInt(n);
  for (let i = 0; i < n; i++) w.string(calls[i]!.id);
  w.varUInt(n);
  for (let i = 0; i < n; i++) w.string(calls[i]!.name);
  w.varUInt(n);
  for (let i = 0; i < n; i++) w.string(calls[i]!.type);
  w.varUInt(n);
  for (let i = 0; i < n; i++) w.string(calls[i]!.account);
  w.varUInt(n);
  for (let i = 0; i < n; i++) w.uint8(calls[i]!.status);
  w.varUInt(n);
  for (let i = 0; i < n; i++) w.float64(calls[i]!.responseTime);
  w.varUInt(n);
  for (let i = 0; i < n; i++) w.float64(calls[i]!.start);
  w.varUInt(n);
  for (let i = 0; i < n; i++) w.float64(calls[i]!.end);
}

function readCalls(r: RowBinaryReader): TraceGraphCall[] {
  const column = <T>(read: () => T): T[] => Array.from({ length: r.varUInt() }, read);
  const ids = column(() => r.string());
  const names = column(() => r.string());
  const types = column(() => r.string());
  const accounts = column(() => r.string());
  const statuses = column(() => r.uint8());
  const rts = column(() => r.float64());
  const starts = column(() => r.float64());
  const ends = column(() => r.float64());
  return ids.map((id, i) => ({ id, name: names[i]!, type: types[i]!, account: accounts[i]!, status: statuses[i]!, responseTime: rts[i]!, start: starts[i]!, end: ends[i]! }));
}
