import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { LogEventCursor } from '../../store/telemetry/log-events.ts';
import { compileFilterPattern, parseFilterPattern, toClickHouse } from './filter-pattern/index.ts';
import type { LogsDeps } from './deps.ts';
import { eventId } from './ingest-hooks.ts';
import { groupKey, groupNotFound } from './names.ts';
import { decodeToken, encodeToken } from './pagination.ts';

const MAX_EVENTS = 10_000;
const MAX_PAGE_BYTES = 1_048_576;
/** Time spent scanning per call before answering with a partial page and a token (AWS does the same). */
const SCAN_BUDGET_MS = 5_000;
const FIRST_WINDOW_MS = 15 * 60_000;
const MAX_WINDOW_MS = 30 * 86_400_000;
const MAX_SEQ = (1n << 64n) - 1n;

interface FilterLogEventsInput {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNames?: string[];
  logStreamNamePrefix?: string;
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  nextToken?: string;
  limit?: number;
  interleaved?: boolean;
  unmask?: boolean;
}

/** Where the scan stopped, bound to the query it belongs to. */
interface FilterToken {
  ts: number;
  seq: string;
  q: string;
  /** The scan window that fit the data last time, so the next page starts at the right size. */
  w?: number;
}
const isFilterToken = (v: unknown): v is FilterToken =>
  typeof v === 'object' && v !== null && Number.isSafeInteger((v as FilterToken).ts) && /^\d{1,20}$/.test(String((v as FilterToken).seq)) && typeof (v as FilterToken).q === 'string';

export async function filterLogEvents(deps: LogsDeps, ctx: Ctx, input: FilterLogEventsInput) {
  const key = groupKey(ctx, input);
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw new ServiceError('InvalidParameterException', 'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  if (input.startTime !== undefined && input.endTime !== undefined && input.startTime > input.endTime) {
    throw new ServiceError('InvalidParameterException', 'startTime must be less than or equal to endTime.');
  }
  // Parse before touching the store: a bad pattern is the caller's error even for a missing group.
  const pattern = input.filterPattern !== undefined ? parseFilterPattern(input.filterPattern) : undefined;
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();

  const compiled = pattern ? compileFilterPattern(pattern) : undefined;
  const pushdown = pattern ? toClickHouse(pattern) : undefined;
  // Rows need the JS matcher when the SQL is only a necessary condition (or absent).
  const recheck = compiled !== undefined && (pushdown === undefined || !pushdown.exact);

  const fingerprint = JSON.stringify([key.name, input.logStreamNames ?? null, input.logStreamNamePrefix ?? null, input.startTime ?? null, input.endTime ?? null, input.filterPattern ?? null]);
  let after: LogEventCursor | undefined;
  let window = FIRST_WINDOW_MS;
  if (input.nextToken !== undefined) {
    const t = decodeToken(input.nextToken, isFilterToken);
    if (t.q !== fingerprint) throw new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
    after = { ts: t.ts, seq: BigInt(t.seq) };
    if (Number.isSafeInteger(t.w) && t.w! > 0) window = Math.min(t.w!, MAX_WINDOW_MS);
  }

  const limit = Math.min(input.limit ?? MAX_EVENTS, MAX_EVENTS);
  const events: { logStreamName: string; timestamp: number; message: string; ingestionTime: number; eventId: string }[] = [];
  const span = await deps.meta.groupTimeRange(key);
  // The scan walks forward through time in windows that grow while they come back short, so each
  // page reads about as much data as it needs instead of re-sorting the rest of the group.
  let lo = Math.max(after?.ts ?? -Infinity, input.startTime ?? -Infinity, span?.first ?? 0);
  const hi = Math.min(input.endTime ?? Infinity, span?.last ?? -1);
  let bytes = 0;
  let full = false;
  const deadline = Date.now() + SCAN_BUDGET_MS;
  while (!full && lo <= hi && Date.now() < deadline) {
    const windowEnd = Math.min(hi, lo + window - 1);
    // Without a JS recheck every row returned is a match, so fetch exactly what is still missing.
    const want = recheck ? Math.min(Math.max(limit * 4, 1000), 50_000) : limit - events.length;
    const rows = await deps.events.filterGroup({
      account: key.account,
      region: key.region,
      logGroup: key.name,
      streams: input.logStreamNames,
      streamPrefix: input.logStreamNamePrefix,
      startTime: lo,
      endTime: windowEnd,
      where: pushdown ? { sql: pushdown.sql, params: pushdown.params } : undefined,
      after: after && after.ts >= lo ? after : undefined,
      limit: want,
    });
    for (const r of rows) {
      const message = r.keyId ? deps.keys.open(r.keyId, r.message) : r.message;
      if (compiled && (recheck || r.keyId) && !compiled.matches(message)) {
        after = { ts: r.ts, seq: r.seq };
        continue;
      }
      const size = Buffer.byteLength(message, 'utf8') + 26;
      if (bytes + size > MAX_PAGE_BYTES && events.length > 0) {
        full = true;
        break;
      }
      bytes += size;
      events.push({ logStreamName: r.logStream, timestamp: r.ts, message, ingestionTime: r.ingestTs, eventId: eventId(r.ts, r.seq) });
      after = { ts: r.ts, seq: r.seq };
      if (events.length >= limit) {
        full = true;
        break;
      }
    }
    if (full) break;
    if (rows.length < want) {
      // This window is done: continue after its last millisecond with a wider one.
      after = { ts: windowEnd, seq: MAX_SEQ };
      lo = windowEnd + 1;
      // Grow toward the window that would have filled the page, judging by this one's density.
      const factor = Math.min(16, Math.max(2, (1.5 * want) / Math.max(rows.length, 1)));
      window = Math.min(Math.ceil(window * factor), MAX_WINDOW_MS);
    } else {
      lo = after!.ts;
    }
  }
  const exhausted = !full && lo > hi;
  // A full page may have been the last one; one more call then answers empty without a token.
  return {
    events,
    searchedLogStreams: [],
    nextToken: !exhausted && after ? encodeToken({ ts: after.ts, seq: String(after.seq), q: fingerprint, w: window }) : undefined,
  };
}
