import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES, MAX_BATCH_SPAN_MS } from '../../lib/log-event-batches.ts';
import { ServiceError, isTemporarilyUnavailable } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { LogEventRow } from '../../store/telemetry/log-events.ts';
import type { InputLogEvent as SdkInputLogEvent, RejectedLogEventsInfo } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsDeps } from './deps.ts';
import { groupKey, groupNotFound, missingMember, required, streamNotFound } from './names.ts';
import { eventId, type IngestedEvent } from './ingest-hooks.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

/** PutLogEvents limits as the API reference states them. */
export { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES };
const DAY_MS = 24 * 3600 * 1000;
const MAX_AGE_MS = 14 * DAY_MS;
const MAX_FUTURE_MS = 2 * 3600 * 1000;
const MAX_SPAN_MS = MAX_BATCH_SPAN_MS;

/** An InputLogEvent with its two required members present. */
interface InputLogEvent {
  timestamp: number;
  message: string;
}

/**
 * The protocol layer refuses a batch whose events lack a timestamp or a message; the SDK type still
 * says `| undefined`, so the batch is narrowed here, once, rather than at every use.
 */
function hasRequiredMembers(events: readonly SdkInputLogEvent[]): events is InputLogEvent[] {
  for (const e of events) if (e.timestamp === undefined || e.message === undefined) return false;
  return true;
}

function checkedEvents(events: SdkInputLogEvent[]): InputLogEvent[] {
  if (hasRequiredMembers(events)) return events;
  const i = events.findIndex((e) => e.timestamp === undefined || e.message === undefined);
  throw missingMember(`logEvents.${i + 1}.member.${events[i].timestamp === undefined ? 'timestamp' : 'message'}`);
}

/**
 * Which events of a chronologically sorted batch are rejected: too old (> 14 days) and expired
 * (before the retention period) form a prefix, too new (> 2 h ahead) a suffix. End indexes are
 * exclusive and the start index inclusive, as in AWS's RejectedLogEventsInfo.
 */
export function classifyEvents(events: InputLogEvent[], now: number, retentionDays: number | null) {
  const tooOldBefore = now - MAX_AGE_MS;
  const expiredBefore = retentionDays !== null ? now - retentionDays * DAY_MS : -Infinity;
  let first = 0;
  let tooOldEnd = 0;
  let expiredEnd = 0;
  while (first < events.length) {
    const ts = events[first].timestamp;
    if (ts < tooOldBefore) tooOldEnd = first + 1;
    else if (ts < expiredBefore) expiredEnd = first + 1;
    else break;
    first++;
  }
  let end = events.length;
  while (end > first && events[end - 1].timestamp > now + MAX_FUTURE_MS) end--;
  const rejected: RejectedLogEventsInfo = {};
  if (tooOldEnd > 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
  if (expiredEnd > 0) rejected.expiredLogEventEndIndex = expiredEnd;
  if (end < events.length) rejected.tooNewLogEventStartIndex = end;
  return { first, end, rejected };
}

/** Batch-level rules that fail the whole request. Returns the batch size as AWS counts it. */
export function checkBatch(events: InputLogEvent[]): number {
  let bytes = 0;
  let prev = -Infinity;
  for (const e of events) {
    if (e.timestamp < prev) {
      throw new ServiceError('InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
    }
    prev = e.timestamp;
    bytes += Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;
  }
  if (bytes > MAX_BATCH_BYTES) {
    throw new ServiceError('InvalidParameterException', `Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  }
  return bytes;
}

/** An ingested event for the hooks; its id is formatted only if a hook asks (subscriptions do). */
class StoredEvent implements IngestedEvent {
  constructor(
    readonly timestamp: number,
    readonly message: string,
    readonly ingestionTime: number,
    private readonly seq: bigint,
  ) {}

  get eventId(): string {
    return eventId(this.timestamp, this.seq);
  }
}

export async function putLogEvents(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'PutLogEvents'>): Promise<CallOutput<'logs', 'PutLogEvents'>> {
  const key = groupKey(ctx, input);
  const logStream = required(input.logStreamName, 'logStreamName');
  const events = checkedEvents(required(input.logEvents, 'logEvents'));
  const batchBytes = checkBatch(events);
  const group = await deps.meta.getGroup(key);
  if (!group) throw groupNotFound();
  const stream = await deps.meta.getStream(key, logStream);
  if (!stream) throw streamNotFound();

  const now = ctx.clock.now();
  const { first, end, rejected } = classifyEvents(events, now, group.retentionDays);
  if (end > first && events[end - 1].timestamp - events[first].timestamp > MAX_SPAN_MS) {
    throw new ServiceError('InvalidParameterException', 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }

  let uploadSequence = stream.uploadSequence;
  if (end > first) {
    const n = end - first;
    const firstSeq = deps.seq.take(now, n);
    let seq = firstSeq;
    const rows: LogEventRow[] = new Array(n);
    // Message bytes of the stored events: the batch size already measured, less the per-event
    // overhead and the (rare) rejected events — not a second pass over every message.
    let bytes = batchBytes - EVENT_OVERHEAD_BYTES * events.length;
    for (let i = 0; i < first; i++) bytes -= Buffer.byteLength(events[i].message, 'utf8');
    for (let i = end; i < events.length; i++) bytes -= Buffer.byteLength(events[i].message, 'utf8');
    const keyId = group.kmsKeyId ?? undefined;
    for (let i = first; i < end; i++) {
      const e = events[i];
      rows[i - first] = {
        account: key.account,
        region: key.region,
        logGroup: key.name,
        logStream,
        ts: e.timestamp,
        ingestTs: now,
        seq: seq++,
        // Groups associated with a KMS key are stored sealed (AES-256-GCM, store/keys).
        message: keyId ? deps.keys.seal(keyId, e.message) : e.message,
        keyId,
      };
    }
    // The 200 goes out only after the store has the rows (group commit inside append()).
    try {
      await deps.events.append(rows);
    } catch (e) {
      // Backpressure or a WAL that cannot be written (disk full): nothing was acknowledged, and a
      // retryable 503 tells the SDKs to back off and resend.
      if (isTemporarilyUnavailable(e)) {
        throw new ServiceError('ServiceUnavailableException', `${e.message}; retry the request`, {
          status: 503, sender: false, headers: { 'Retry-After': String(e.retryAfterSeconds) },
        });
      }
      throw e;
    }
    uploadSequence = await deps.meta.recordIngest(key, logStream, {
      firstTs: events[first].timestamp,
      lastTs: events[end - 1].timestamp,
      ingestionTime: now,
      bytes,
    });
    if (deps.hooks.length > 0) {
      const ingested: IngestedEvent[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const e = events[first + i];
        ingested[i] = new StoredEvent(e.timestamp, e.message, now, firstSeq + BigInt(i));
      }
      const batch = { account: key.account, region: key.region, logGroup: key.name, logStream, events: ingested };
      // Awaited: what the hooks derive (metric points, deliveries) is durable before the 200.
      for (const hook of deps.hooks) await hook.onIngest(batch);
    }
  }
  return {
    nextSequenceToken: String(uploadSequence + 1).padStart(56, '0'),
    rejectedLogEventsInfo: Object.keys(rejected).length > 0 ? rejected : undefined,
  };
}
