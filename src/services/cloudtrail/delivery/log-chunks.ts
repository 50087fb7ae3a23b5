/**
 * Splits a trail's records for a log stream into PutLogEvents requests within CloudWatch Logs'
 * quotas: at most 10,000 events and 1,048,576 bytes (each event's UTF-8 message plus 26 bytes) per
 * request, events in chronological order, and no request spanning more than 24 hours. CloudTrail
 * does not send a record larger than 256 KB to CloudWatch Logs (its documented limit); such records
 * are left out of the log group (they still reach the bucket).
 */

export interface LogEventInput {
  timestamp: number;
  message: string;
}

export const MAX_EVENTS_PER_PUT = 10_000;
export const MAX_PUT_BYTES = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;
export const MAX_PUT_SPAN_MS = 24 * 3600 * 1000;
export const MAX_EVENT_BYTES = 256 * 1024;

const sizeOf = (e: LogEventInput) => Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;

export function chunkLogEvents(events: readonly LogEventInput[]): LogEventInput[][] {
  // Array.prototype.sort is stable: records of the same second keep their recorded order.
  const sorted = events.filter((e) => sizeOf(e) <= MAX_EVENT_BYTES).sort((a, b) => a.timestamp - b.timestamp);
  const chunks: LogEventInput[][] = [];
  let chunk: LogEventInput[] = [];
  let bytes = 0;
  for (const e of sorted) {
    const size = sizeOf(e);
    const full = chunk.length >= MAX_EVENTS_PER_PUT || bytes + size > MAX_PUT_BYTES
      || (chunk.length > 0 && e.timestamp - chunk[0]!.timestamp > MAX_PUT_SPAN_MS);
    if (full && chunk.length > 0) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(e);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
