import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { LogEventCursor, LogEventRow } from '../../store/telemetry/log-events.ts';
import { compileFilterPattern, parseFilterPattern, toClickHouse } from './filter-pattern/index.ts';
import type { FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsDeps } from './deps.ts';
import { eventId } from './ingest-hooks.ts';
import { groupKey, groupNotFound } from './names.ts';
import { decodeToken, encodeToken } from './pagination.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const MAX_EVENTS = 10_000;
const MAX_PAGE_BYTES = 1_048_576;
/** Time spent scanning per call before answering with a partial page and a token (AWS does the same). */
const SCAN_BUDGET_MS = 5_000;
const FIRST_WINDOW_MS = 15 * 60_000;
const MAX_WINDOW_MS = 30 * 86_400_000;
const MAX_SEQ = (1n << 64n) - 1n;
/** Rows fetched per store query: a few pages' worth, served from the read-ahead cache. */
const QUERY_ROWS = 20_000;

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

export async function filterLogEvents(deps: LogsDeps, ctx: Ctx, input: CallInput<'logs', 'FilterLogEvents'>): Promise<CallOutput<'logs', 'FilterLogEvents'>> {
  const key = groupKey(ctx, input);
  checkRanges(input);
  // Parse before touching the store: a bad pattern is the caller's error even for a missing group.
  const pattern = input.filterPattern !== undefined ? parseFilterPattern(input.filterPattern) : undefined;
  if (!(await deps.meta.getGroup(key))) throw groupNotFound();

  const compiled = pattern ? compileFilterPattern(pattern) : undefined;
  const pushdown = pattern ? toClickHouse(pattern) : undefined;
  // Rows need the JS matcher when the SQL is only a necessary condition (or absent).
  const recheck = compiled !== undefined && (pushdown === undefined || !pushdown.exact);

  const fingerprint = JSON.stringify([ctx.account, ctx.region, key.name, input.logStreamNames ?? null, input.logStreamNamePrefix ?? null, input.startTime ?? null, input.endTime ?? null, input.filterPattern ?? null]);
  const resumed = resume(input.nextToken, fingerprint);
  let { after, window } = resumed;
  const { ahead } = resumed;

  const page: Page = { events: [], bytes: 0, limit: Math.min(input.limit ?? MAX_EVENTS, MAX_EVENTS), full: false };
  // A row's message if it belongs on the page (the pushdown already matched it unless rechecked).
  const accept = (r: LogEventRow): string | undefined => {
    const message = r.keyId ? deps.keys.open(r.keyId, r.message) : r.message;
    return compiled && (recheck || r.keyId) && !compiled.matches(message) ? undefined : message;
  };
  const span = await deps.meta.groupTimeRange(key);
  // The scan walks forward through time in windows that grow while they come back short, so each
  // query reads about as much data as a page needs instead of re-sorting the rest of the group.
  let lo = Math.max(after?.ts ?? -Infinity, input.startTime ?? -Infinity, span?.first ?? 0);
  const hi = Math.min(input.endTime ?? Infinity, span?.last ?? -1);
  // Rows a query returned beyond what this page could hold are kept for the next page (ahead).
  let pending: LogEventRow[] = ahead?.rows ?? [];
  let pendingEnd: number | undefined = ahead?.windowEnd;
  let fetched = ahead?.fetched ?? 0;
  const deadline = Date.now() + SCAN_BUDGET_MS;
  for (;;) {
    if (pending.length === 0) {
      if (pendingEnd !== undefined) {
        // The last window is used up: continue after its last millisecond with a wider one,
        // grown toward the size that would have filled a query, judging by its density.
        after = { ts: pendingEnd, seq: MAX_SEQ };
        lo = pendingEnd + 1;
        window = Math.min(Math.ceil(window * Math.min(16, Math.max(2, (1.5 * QUERY_ROWS) / Math.max(fetched, 1)))), MAX_WINDOW_MS);
        pendingEnd = undefined;
      }
      if (page.full || lo > hi || Date.now() >= deadline) break;
      const windowEnd = Math.min(hi, lo + window - 1);
      const rows = await deps.events.filterGroup({
        account: key.account,
        region: key.region,
        logGroup: key.name,
        streams: input.logStreamNames,
        streamPrefix: input.logStreamNamePrefix,
        startTime: lo,
        endTime: windowEnd,
        where: pushdown ? { sql: pushdown.sql, params: pushdown.params } : undefined,
        needles: pushdown?.needles,
        after: after && after.ts >= lo ? after : undefined,
        limit: QUERY_ROWS,
      });
      fetched = rows.length;
      pending = rows;
      // A short answer means the window holds nothing more; a full one continues inside it.
      if (rows.length < QUERY_ROWS) pendingEnd = windowEnd;
      else lo = rows[rows.length - 1].ts;
      if (rows.length === 0) continue;
    }
    if (page.full) break;
    const { used, last } = fillPage(page, pending, accept);
    if (last) after = last;
    pending = pending.slice(used);
    if (page.full) break;
  }
  const exhausted = !page.full && pending.length === 0 && pendingEnd === undefined && lo > hi;
  const nextToken = !exhausted && after ? encodeToken({ ts: after.ts, seq: String(after.seq), q: fingerprint, w: window }) : undefined;
  if (nextToken && (pending.length > 0 || pendingEnd !== undefined)) putReadAhead(nextToken, { rows: pending, windowEnd: pendingEnd, fetched });
  return {
    events: page.events,
    searchedLogStreams: [],
    nextToken,
  };
}

function checkRanges(input: CallInput<'logs', 'FilterLogEvents'>): void {
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw new ServiceError('InvalidParameterException', 'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  if (input.startTime !== undefined && input.endTime !== undefined && input.startTime > input.endTime) {
    throw new ServiceError('InvalidParameterException', 'startTime must be less than or equal to endTime.');
  }
}

/** Where a page starts: after the token's cursor, with the token's window and the rows read ahead for it. */
function resume(nextToken: string | undefined, fingerprint: string): { after?: LogEventCursor; window: number; ahead?: ReadAhead } {
  if (nextToken === undefined) return { window: FIRST_WINDOW_MS };
  const t = decodeToken(nextToken, isFilterToken);
  if (t.q !== fingerprint) throw new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.');
  return {
    after: { ts: t.ts, seq: BigInt(t.seq) },
    window: typeof t.w === 'number' && Number.isSafeInteger(t.w) && t.w > 0 ? Math.min(t.w, MAX_WINDOW_MS) : FIRST_WINDOW_MS,
    ahead: takeReadAhead(nextToken),
  };
}

/** The page being filled: its events, their size as AWS counts it, and whether it is full. */
interface Page {
  events: FilteredLogEvent[];
  bytes: number;
  limit: number;
  full: boolean;
}

/**
 * Moves rows onto the page until it is full. Returns how many rows were used up (rows `accept`
 * turns down count as used) and the cursor just past the last of them.
 */
function fillPage(page: Page, rows: LogEventRow[], accept: (r: LogEventRow) => string | undefined): { used: number; last?: LogEventCursor } {
  let used = 0;
  let last: LogEventCursor | undefined;
  for (const r of rows) {
    const message = accept(r);
    if (message !== undefined) {
      const size = Buffer.byteLength(message, 'utf8') + 26;
      if ((page.bytes + size > MAX_PAGE_BYTES && page.events.length > 0) || page.events.length >= page.limit) {
        page.full = true;
        break;
      }
      page.bytes += size;
      page.events.push({ logStreamName: r.logStream, timestamp: r.ts, message, ingestionTime: r.ingestTs, eventId: eventId(r.ts, r.seq) });
    }
    last = { ts: r.ts, seq: r.seq };
    used++;
  }
  return { used, last };
}

/** Rows one query fetched past a page's end, and whether its window was exhausted. */
interface ReadAhead {
  rows: LogEventRow[];
  windowEnd: number | undefined;
  fetched: number;
  expires: number;
}

/**
 * A small per-process cache of read-ahead rows keyed by the token handed out with them. Tokens stay
 * valid without it (a miss simply re-queries from the token's position); it only saves re-scanning
 * the window a client is paging through.
 */
const readAhead = new Map<string, ReadAhead>();
const READ_AHEAD_TTL_MS = 5 * 60_000;
const READ_AHEAD_MAX = 64;

function takeReadAhead(token: string): ReadAhead | undefined {
  const r = readAhead.get(token);
  readAhead.delete(token);
  return r && r.expires > Date.now() ? r : undefined;
}

function putReadAhead(token: string, r: Omit<ReadAhead, 'expires'>): void {
  const now = Date.now();
  for (const [k, v] of readAhead) if (v.expires <= now || readAhead.size >= READ_AHEAD_MAX) readAhead.delete(k);
  readAhead.set(token, { ...r, expires: now + READ_AHEAD_TTL_MS });
}
