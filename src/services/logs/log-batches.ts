/**
 * Cutting many log events into PutLogEvents-sized batches, for internal writers that gather events
 * from elsewhere (the agent's EMF endpoint, OTLP logs) and store them through PutLogEvents.
 */
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES } from './put-log-events.ts';

export { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES };
/** PutLogEvents limits (API reference). */
export const MAX_BATCH_EVENTS = 10_000;
const MAX_SPAN_MS = 24 * 3600 * 1000;

export interface InputLogEvent {
  timestamp: number;
  message: string;
}

/** Chronologically sorted events cut into PutLogEvents-sized batches (count, bytes, 24 h span). */
export function batches<E extends InputLogEvent>(events: readonly E[]): E[][] {
  const out: E[][] = [];
  let cur: E[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (cur.length > 0 && (cur.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES || e.timestamp - cur[0]!.timestamp > MAX_SPAN_MS)) {
      out.push(cur);
      cur = [];
      bytes = 0;
    }
    cur.push(e);
    bytes += size;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}
