import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { LogEventCursor, LogEventRow } from '../../store/telemetry/log-events.ts';
import type { LogsDeps } from './deps.ts';
import { groupKey, groupNotFound, required, streamNotFound } from './names.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const MAX_EVENTS = 10_000;
const MAX_PAGE_BYTES = 1_048_576;

/**
 * A position in a stream, between two events. `f/<ts>/<seq>` continues forward with events after
 * (ts, seq); `b/<ts>/<seq>` continues backward with events before it. seq 0 is never assigned, so
 * (t, 0) sits just before every event at time t.
 */
interface Position {
  dir: 'f' | 'b';
  at: LogEventCursor;
}

const TOKEN = /^([fb])\/(-?\d{1,16})\/(\d{1,20})$/;

export const encodePosition = (p: Position): string => `${p.dir}/${p.at.ts}/${p.at.seq}`;

export function decodePosition(token: string): Position {
  const m = TOKEN.exec(token);
  if (!m) throw new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
  return { dir: m[1] as 'f' | 'b', at: { ts: Number(m[2]), seq: BigInt(m[3]) } };
}

const cursorOf = (e: LogEventRow): LogEventCursor => ({ ts: e.ts, seq: e.seq });
/** The position just after `c`, seen from the other direction. */
const justAfter = (c: LogEventCursor): LogEventCursor => ({ ts: c.ts, seq: c.seq + 1n });
const justBefore = (c: LogEventCursor): LogEventCursor => (c.seq > 0n ? { ts: c.ts, seq: c.seq - 1n } : { ts: c.ts - 1, seq: 2n ** 63n });

export async function getLogEvents(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'GetLogEvents'>): Promise<CallOutput<'logs', 'GetLogEvents'>> {
  const key = groupKey(ctx, input);
  const logStream = required(input.logStreamName, 'logStreamName');
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();
  if (!(await deps.meta.getStream(key, logStream))) throw streamNotFound();

  const limit = Math.min(input.limit ?? MAX_EVENTS, MAX_EVENTS);
  const pos: Position = input.nextToken !== undefined
    ? decodePosition(input.nextToken)
    : input.startFromHead
      ? { dir: 'f', at: { ts: input.startTime ?? 0, seq: 0n } }
      : { dir: 'b', at: { ts: input.endTime ?? Number.MAX_SAFE_INTEGER, seq: 0n } };
  const forward = pos.dir === 'f';

  const rows = await deps.events.readStream({
    account: key.account,
    region: key.region,
    logGroup: key.name,
    logStream,
    startTime: input.startTime,
    endTime: input.endTime,
    limit,
    forward,
    after: forward ? pos.at : undefined,
    before: forward ? undefined : pos.at,
  });
  // Stored rows come back in read order; cut at AWS's 1 MB page size, then present oldest first.
  let bytes = 0;
  let n = 0;
  while (n < rows.length) {
    // Sealed messages are counted at their stored size: a slightly smaller page, never a larger one.
    bytes += Buffer.byteLength(rows[n].message, 'utf8') + 26;
    if (bytes > MAX_PAGE_BYTES && n > 0) break;
    n++;
  }
  const page = rows.slice(0, n);
  if (!forward) page.reverse();

  let nextForwardToken: string;
  let nextBackwardToken: string;
  if (page.length > 0) {
    nextForwardToken = encodePosition({ dir: 'f', at: cursorOf(page[page.length - 1]) });
    nextBackwardToken = encodePosition({ dir: 'b', at: cursorOf(page[0]) });
  } else if (forward) {
    // End of stream going forward: the same token comes back, which is how clients know to stop.
    nextForwardToken = encodePosition(pos);
    nextBackwardToken = encodePosition({ dir: 'b', at: justAfter(pos.at) });
  } else {
    nextBackwardToken = encodePosition(pos);
    nextForwardToken = encodePosition({ dir: 'f', at: justBefore(pos.at) });
  }
  return {
    events: page.map((e) => ({ timestamp: e.ts, message: e.keyId ? deps.keys.open(e.keyId, e.message) : e.message, ingestionTime: e.ingestTs })),
    nextForwardToken,
    nextBackwardToken,
  };
}
