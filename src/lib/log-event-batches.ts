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

/**
 * What one PutLogEvents request holds so far: `fits` says whether an event still fits (count,
 * bytes, and the span between the earliest and the latest event, in whatever order they come),
 * `add` takes it.
 */
export class BatchBudget {
  private count = 0;
  private bytes = 0;
  private min = Infinity;
  private max = -Infinity;

  fits(e: LogEventInput): boolean {
    if (this.count === 0) return true;
    return this.count < MAX_BATCH_EVENTS && this.bytes + sizeOf(e) <= MAX_BATCH_BYTES
      && Math.max(this.max, e.timestamp) - Math.min(this.min, e.timestamp) <= MAX_BATCH_SPAN_MS;
  }

  add(e: LogEventInput): void {
    this.count++;
    this.bytes += sizeOf(e);
    this.min = Math.min(this.min, e.timestamp);
    this.max = Math.max(this.max, e.timestamp);
  }
}

const sizeOf = (e: LogEventInput): number => Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;

/** Chronologically sorted events cut into PutLogEvents-sized batches (count, bytes, 24 h span). */
export function batches<E extends LogEventInput>(events: readonly E[]): E[][] {
  const out: E[][] = [];
  let cur: E[] = [];
  let budget = new BatchBudget();
  for (const e of events) {
    if (!budget.fits(e)) {
      out.push(cur);
      cur = [];
      budget = new BatchBudget();
    }
    cur.push(e);
    budget.add(e);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}
