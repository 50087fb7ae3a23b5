import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../lib/logger.ts';
import type { Clock } from '../../../lib/clock.ts';
import { ServiceError } from '../../../protocol/errors.ts';
import type { Ctx } from '../../../protocol/service.ts';
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import type { LogsMetaRepo } from '../../../store/meta/logs.ts';
import type { LogEventStore } from '../../../store/telemetry/log-events.ts';
import type { KeyStore } from '../../../store/keys/key-store.ts';
import type { InsightsQueryRepo, QueryStatistics } from '../../../store/meta/insights-queries.ts';
import {
  compileInsightsQuery,
  decodePtr,
  logGroupFieldsSampleSql,
  queryErrorFromEngine,
  summarizeFields,
  toResultFields,
  type CompiledInsightsQuery,
} from '../insights/index.ts';
import { groupKey, groupNotFound, required, resolveIdentifier } from '../names.ts';
import { decodeToken, encodeToken } from '../pagination.ts';
import type { CallInput, CallOutput } from '../../../protocol/operations.ts';

/** AWS quotas: 30 concurrent queries per account, 60-minute timeout, ≤ 50 log groups per query. */
export const MAX_CONCURRENT_QUERIES = 30;
export const QUERY_TIMEOUT_MS = 60 * 60_000;
export const MAX_QUERY_LOG_GROUPS = 50;
const RESULTS_KEPT_MS = 7 * 86_400_000;

export interface InsightsDeps {
  engine: SqlEngine;
  meta: LogsMetaRepo;
  events: LogEventStore;
  keys: KeyStore;
  queries: InsightsQueryRepo;
  clock: Clock;
  log: Logger;
  timeoutMs?: number;
}

/**
 * Runs Logs Insights queries: StartQuery compiles (syntax errors surface right away, as in AWS) and
 * schedules; the query then runs inside ClickHouse and its results are kept for GetQueryResults.
 */
export class InsightsQueries {
  private readonly running = new Map<string, { account: string }>();
  /**
   * Start-up clean-up of the last run's queries. StartQuery waits for it, so a new query is never
   * among those marked interrupted by a repo that answers asynchronously.
   */
  private readonly recovered: Promise<void>;

  constructor(private readonly d: InsightsDeps) {
    this.recovered = this.recover().catch((err: unknown) => d.log.warn({ err }, 'Logs Insights start-up clean-up failed'));
  }

  private async recover(): Promise<void> {
    const n = await this.d.queries.failInterrupted();
    if (n > 0) this.d.log.warn({ queries: n }, 'Logs Insights queries interrupted by the last shutdown were marked Failed');
    await this.d.queries.purgeOlderThan(this.d.clock.now() - RESULTS_KEPT_MS);
  }

  async startQuery(ctx: Ctx, input: CallInput<'logs', 'StartQuery'>): Promise<CallOutput<'logs', 'StartQuery'>> {
    const queryString = required(input.queryString, 'queryString');
    const startTime = required(input.startTime, 'startTime');
    const endTime = required(input.endTime, 'endTime');
    if (input.queryLanguage !== undefined && input.queryLanguage !== 'CWLI') {
      throw new ServiceError('InvalidParameterException', `Query language ${input.queryLanguage} is not supported by Osprey; use CWLI (Logs Insights QL).`);
    }
    const given = [input.logGroupName, input.logGroupNames, input.logGroupIdentifiers].filter((x) => x !== undefined).length;
    if (given !== 1) {
      throw new ServiceError('InvalidParameterException', 'Specify exactly one of logGroupName, logGroupNames or logGroupIdentifiers.');
    }
    const ids = input.logGroupName !== undefined ? [input.logGroupName] : (input.logGroupNames ?? input.logGroupIdentifiers!);
    if (ids.length > MAX_QUERY_LOG_GROUPS) {
      throw new ServiceError('InvalidParameterException', `A query can include at most ${MAX_QUERY_LOG_GROUPS} log groups.`);
    }
    const groups: string[] = [];
    for (const id of ids) {
      const key = resolveIdentifier(ctx, id, 'logGroupIdentifiers');
      if (!(await this.d.meta.getGroup(key))) throw new ServiceError('ResourceNotFoundException', `Log group '${key.name}' does not exist for account ID '${ctx.account}'`);
      groups.push(key.name);
    }
    if (endTime < startTime) throw new ServiceError('InvalidParameterException', 'endTime must be greater than or equal to startTime');
    // StartQuery times are epoch seconds, both ends inclusive.
    const compiled = compileInsightsQuery(queryString, {
      account: ctx.account,
      region: ctx.region,
      logGroups: groups,
      startMs: startTime * 1000,
      endMs: endTime * 1000 + 999,
      limit: input.limit,
      nowMs: ctx.clock.now(),
    });
    let mine = 0;
    for (const r of this.running.values()) if (r.account === ctx.account) mine++;
    if (mine >= MAX_CONCURRENT_QUERIES) {
      throw new ServiceError('LimitExceededException', `Account has reached the limit of ${MAX_CONCURRENT_QUERIES} concurrent queries.`);
    }
    const queryId = randomUUID();
    // Counted as running from here: the awaits below must not let a 31st query past the check.
    this.running.set(queryId, { account: ctx.account });
    try {
      await this.recovered;
      await this.d.queries.insert({ queryId, account: ctx.account, region: ctx.region, queryString, logGroups: groups, createdAt: ctx.clock.now() });
    } catch (e) {
      this.running.delete(queryId);
      throw e;
    }
    setImmediate(() => void this.run(queryId, compiled));
    return { queryId };
  }

  private async run(queryId: string, q: CompiledInsightsQuery): Promise<void> {
    const started = Date.now();
    try {
      if (!(await this.d.queries.transition(queryId, ['Scheduled'], 'Running'))) return; // stopped before it began
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), this.d.timeoutMs ?? QUERY_TIMEOUT_MS)));
      const work = Promise.all([
        this.d.engine.query<Record<string, unknown>>(q.sql, q.params),
        this.d.engine.query<Record<string, unknown>>(q.scanSql), // literals only: runs beside the main query
        q.matchedSql ? this.d.engine.query<Record<string, unknown>>(q.matchedSql, q.params) : Promise.resolve(undefined),
      ]);
      const outcome = await Promise.race([work, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        await this.d.queries.transition(queryId, ['Running'], 'Timeout', { durationMs: Date.now() - started, error: 'Query exceeded the 60-minute limit' });
        return;
      }
      const [rows, scan, matched] = outcome;
      const statistics: QueryStatistics = {
        // Either its own query, or carried by every result row of the main one (__matched_total).
        recordsMatched: Number((matched ? matched[0]?.recordsMatched : rows[0]?.__matched_total) ?? 0),
        recordsScanned: Number(scan[0]?.recordsScanned ?? 0),
        bytesScanned: Number(scan[0]?.bytesScanned ?? 0),
      };
      await this.d.queries.transition(queryId, ['Running'], 'Complete', { durationMs: Date.now() - started, results: toResultFields(rows, q.columns), statistics });
    } catch (err) {
      // A regex that RE2 rejects only at run time is the query's fault, not the server's.
      const reason = queryErrorFromEngine(err) ?? err;
      this.d.log.warn({ err: reason, queryId }, 'Logs Insights query failed');
      await this.d.queries.transition(queryId, ['Scheduled', 'Running'], 'Failed', { durationMs: Date.now() - started, error: (reason as Error).message });
    } finally {
      this.running.delete(queryId);
    }
  }

  async getQueryResults(ctx: Ctx, input: CallInput<'logs', 'GetQueryResults'>): Promise<CallOutput<'logs', 'GetQueryResults'>> {
    const q = await this.d.queries.get(ctx.account, ctx.region, required(input.queryId, 'queryId'));
    if (!q) throw new ServiceError('ResourceNotFoundException', 'Query does not exist.');
    const all = q.results ?? [];
    const offset = input.nextToken !== undefined ? decodeToken(input.nextToken, isOffset).o : 0;
    const max = input.maxItems ?? 10_000;
    const page = all.slice(offset, offset + max);
    return {
      queryLanguage: 'CWLI',
      results: page,
      statistics: q.statistics ?? { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 },
      status: q.status,
      nextToken: offset + max < all.length ? encodeToken({ o: offset + max }) : undefined,
    };
  }

  async stopQuery(ctx: Ctx, input: CallInput<'logs', 'StopQuery'>): Promise<CallOutput<'logs', 'StopQuery'>> {
    const q = await this.d.queries.get(ctx.account, ctx.region, required(input.queryId, 'queryId'));
    if (!q) throw new ServiceError('ResourceNotFoundException', 'Query does not exist.');
    if (!(await this.d.queries.transition(q.queryId, ['Scheduled', 'Running'], 'Cancelled'))) {
      throw new ServiceError('InvalidParameterException', `Query ${q.queryId} is not running (status ${q.status}).`);
    }
    return { success: true };
  }

  async describeQueries(ctx: Ctx, input: CallInput<'logs', 'DescribeQueries'>): Promise<CallOutput<'logs', 'DescribeQueries'>> {
    const limit = input.maxResults ?? 1000;
    const offset = input.nextToken !== undefined ? decodeToken(input.nextToken, isOffset).o : 0;
    // Over-fetch one page to tell whether another exists; the group filter runs on the page.
    // No stored query is ever Unknown (AWS's status for a query it lost track of): nothing matches.
    // Every query Osprey runs is Logs Insights QL (StartQuery refuses SQL and PPL), so a filter on
    // another language matches nothing.
    if (input.status === 'Unknown' || (input.queryLanguage !== undefined && input.queryLanguage !== 'CWLI')) {
      return { queries: [], nextToken: undefined };
    }
    const rows = await this.d.queries.list(ctx.account, ctx.region, input.status, limit + 1, offset);
    const page = rows.slice(0, limit).filter((q) => input.logGroupName === undefined || q.logGroups.includes(input.logGroupName));
    return {
      queries: page.map((q) => ({
        queryLanguage: 'CWLI',
        queryId: q.queryId,
        queryString: q.queryString,
        status: q.status,
        createTime: q.createdAt,
        logGroupName: q.logGroups[0],
        queryDuration: q.durationMs ?? undefined,
        bytesScanned: q.statistics?.bytesScanned,
      })),
      nextToken: rows.length > limit ? encodeToken({ o: offset + limit }) : undefined,
    };
  }

  async getLogRecord(ctx: Ctx, input: CallInput<'logs', 'GetLogRecord'>): Promise<CallOutput<'logs', 'GetLogRecord'>> {
    const p = decodePtr(required(input.logRecordPointer, 'logRecordPointer'));
    if (!p) throw new ServiceError('InvalidParameterException', 'The specified logRecordPointer is invalid.');
    const e = await this.d.events.getEvent(ctx.account, ctx.region, p.logGroup, p.logStream, p.ts, BigInt(p.seq));
    if (!e) throw new ServiceError('ResourceNotFoundException', 'The log record does not exist.');
    const message = e.keyId ? this.d.keys.open(e.keyId, e.message) : e.message;
    const record: Record<string, string> = {
      '@timestamp': String(e.ts),
      '@message': message,
      '@logStream': e.logStream,
      '@log': `${ctx.account}:${e.logGroup}`,
      '@ingestionTime': String(e.ingestTs),
    };
    if (/^\s*\{/.test(message)) {
      try {
        flattenInto(JSON.parse(message), '', record);
      } catch {
        // plain text: system fields only
      }
    }
    return { logRecord: record };
  }

  async getLogGroupFields(ctx: Ctx, input: CallInput<'logs', 'GetLogGroupFields'>): Promise<CallOutput<'logs', 'GetLogGroupFields'>> {
    const key = groupKey(ctx, input);
    if (!(await this.d.meta.getGroup(key))) throw groupNotFound();
    // "If you specify time, the 8 minutes before and 8 minutes after this time are searched. If you
    // omit time, the most recent 15 minutes up to the current time are searched."
    const now = ctx.clock.now();
    const [start, end] = input.time !== undefined ? [input.time * 1000 - 8 * 60_000, input.time * 1000 + 8 * 60_000] : [now - 15 * 60_000, now];
    const q = logGroupFieldsSampleSql({ account: ctx.account, region: ctx.region, logGroup: key.name, startMs: start, endMs: end });
    const rows = await this.d.engine.query<{ message: string }>(q.sql, q.params);
    return { logGroupFields: summarizeFields(rows.map((r) => r.message)) };
  }
}

const isOffset = (v: unknown): v is { o: number } =>
  typeof v === 'object' && v !== null && Number.isInteger((v as { o?: unknown }).o) && (v as { o: number }).o >= 0;

function flattenInto(v: unknown, prefix: string, out: Record<string, string>): void {
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flattenInto(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out[prefix] = v === null ? 'null' : String(v);
  }
}
