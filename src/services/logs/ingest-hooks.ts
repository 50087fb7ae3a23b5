/**
 * What happens to log events after they are stored and before PutLogEvents answers 200: metric
 * filters, EMF extraction and subscription filters plug in here. Hooks are awaited, so anything a
 * hook must not lose (metric points, subscription outbox entries) is durable before the ack.
 */
import type { IngestedLogEvent, LogsIngested } from '../../server/facts.ts';

/** The same shapes as the bus's `logs.ingested` fact, so a batch is published as it is. */
export type IngestedEvent = IngestedLogEvent;
export type IngestedBatch = LogsIngested;

export interface IngestHook {
  name: string;
  onIngest(batch: IngestedBatch): Promise<void>;
}

/** `<ts 20 digits><seq 20 digits>`: sorts like the events. */
export function eventId(ts: number, seq: bigint): string {
  return `${String(ts).padStart(20, '0')}${String(seq).padStart(20, '0')}`;
}
