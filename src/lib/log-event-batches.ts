/**
 * Cutting chronologically sorted log events into PutLogEvents requests within CloudWatch Logs'
 * quotas (API reference): at most 10,000 events and 1,048,576 bytes (each event's UTF-8 message
 * plus 26 bytes) per request, and no request spanning more than 24 hours. Shared by everything that
 * writes log events in bulk: the Logs service's own ingest (PutLogEvents' checks, the agent's EMF
 * endpoint, OTLP logs) and CloudTrail's delivery to log groups.
 */
export const MAX_BATCH_EVENTS = 10_000;
export const MAX_BATCH_BYTES = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;
export const MAX_BATCH_SPAN_MS = 24 * 3600 * 1000;

export interface LogEventInput {
  timestamp: number;
  message: string;
}

/** Chronologically sorted events cut into PutLogEvents-sized batches (count, bytes, 24 h span). */
export function batches<E extends LogEventInput>(events: readonly E[]): E[][] {
  const out: E[][] = [];
  let cur: E[] = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;
    if (cur.length > 0 && (cur.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES || e.timestamp - cur[0]!.timestamp > MAX_BATCH_SPAN_MS)) {
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
