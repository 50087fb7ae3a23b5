/**
 * Splits a trail's records for a log stream into PutLogEvents requests within CloudWatch Logs'
 * quotas: at most 10,000 events and 1,048,576 bytes (each event's UTF-8 message plus 26 bytes) per
 * request, events in chronological order, and no request spanning more than 24 hours. CloudTrail
 * does not send a record larger than 256 KB to CloudWatch Logs (its documented limit); such records
 * are left out of the log group (they still reach the bucket).
 */

import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, MAX_BATCH_SPAN_MS, batches, type LogEventInput } from '../../../lib/log-event-batches.ts';

export type { LogEventInput };
export { EVENT_OVERHEAD_BYTES };
export const MAX_EVENTS_PER_PUT = MAX_BATCH_EVENTS;
export const MAX_PUT_BYTES = MAX_BATCH_BYTES;
export const MAX_PUT_SPAN_MS = MAX_BATCH_SPAN_MS;
export const MAX_EVENT_BYTES = 256 * 1024;

const sizeOf = (e: LogEventInput) => Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;

export function chunkLogEvents(events: readonly LogEventInput[]): LogEventInput[][] {
  // Array.prototype.sort is stable: records of the same second keep their recorded order.
  return batches(events.filter((e) => sizeOf(e) <= MAX_EVENT_BYTES).sort((a, b) => a.timestamp - b.timestamp));
}
