/**
 * CloudWatch Logs Insights (Logs Insights QL): query text → one ClickHouse query over `log_events`.
 *
 *   const q = compileInsightsQuery(text, { account, region, logGroups, startMs, endMs, limit });
 *   const rows = await engine.query<Record<string, string | null>>(q.sql, q.params);
 *   const results = toResultFields(rows, q.columns);     // GetQueryResults `results`
 *   // statistics: engine.query(q.scanSql) (literals only), engine.query(q.matchedSql, q.params)
 *
 * Errors: MalformedQueryException (ServiceError) with the line/position of the problem and a
 * `queryCompileError` {location: {startCharOffset, endCharOffset}, message} member, for syntax
 * errors, unknown fields after stats, unknown/unsupported commands and functions;
 * InvalidParameterException for bad options.
 *
 * Encrypted groups: rows with key_id != '' are sealed and never evaluated in SQL (the query has
 * `key_id = ''`). `scanSql` counts them (`encryptedRecords`) so the service can report or handle them.
 */
import { ServiceError } from '../../../protocol/errors.ts';
import { parseQuery, MAX_LIMIT } from './parse.ts';
import { planQuery } from './plan.ts';
import { compileSql, type CompiledSql, type SqlOptions } from './sql.ts';

export type { Query, Command, Expr } from './ast.ts';
export { parseQuery, MAX_LIMIT, MAX_QUERY_LENGTH } from './parse.ts';
export { planQuery, FUNCTIONS, type Plan } from './plan.ts';
export { DEFAULT_LIMIT, type CompiledSql, type SqlOptions } from './sql.ts';

export type InsightsQueryOptions = SqlOptions;

export interface CompiledInsightsQuery extends CompiledSql {
  /** Always true: sealed (KMS) rows are left out of the SQL evaluation. */
  excludesEncrypted: true;
}

export function compileInsightsQuery(query: string, opts: InsightsQueryOptions): CompiledInsightsQuery {
  if (opts.logGroups.length === 0) {
    throw new ServiceError('InvalidParameterException', 'At least one log group must be specified');
  }
  if (!(opts.startMs <= opts.endMs)) {
    throw new ServiceError('InvalidParameterException', 'endTime must be greater than or equal to startTime');
  }
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1 || opts.limit > MAX_LIMIT)) {
    throw new ServiceError('InvalidParameterException',
      `1 validation error detected: Value '${opts.limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIMIT}`);
  }
  const plan = planQuery(parseQuery(query));
  return { ...compileSql(plan, opts), excludesEncrypted: true };
}

/** ClickHouse's CANNOT_COMPILE_REGEXP: a regular expression RE2 refused at run time. */
const CANNOT_COMPILE_REGEXP = 427;

/**
 * For the service, when running the compiled SQL fails: the few engine errors that mean the query
 * itself is bad (a regular expression RE2 rejects despite the checks in parse.ts) as
 * MalformedQueryException; undefined for everything else (an internal failure of the query).
 */
export function queryErrorFromEngine(e: unknown): ServiceError | undefined {
  const code = (e as { clickhouseCode?: unknown } | null)?.clickhouseCode;
  if (code === CANNOT_COMPILE_REGEXP) {
    const detail = /cannot compile re2: (.*?)(?:\. Look at|$)/.exec(String((e as Error).message))?.[1];
    return new ServiceError('MalformedQueryException', `invalid regular expression${detail ? `: ${detail}` : ''}`);
  }
  return undefined;
}

export interface ResultField {
  field: string;
  value: string;
}

/** Engine rows (c0…cN) → GetQueryResults rows. Missing values are left out, as AWS does. */
export function toResultFields(rows: readonly Record<string, unknown>[], columns: readonly string[]): ResultField[][] {
  return rows.map((r) => {
    const out: ResultField[] = [];
    columns.forEach((field, i) => {
      const v = r[`c${i}`];
      if (v !== null && v !== undefined) out.push({ field, value: String(v) });
    });
    return out;
  });
}

export interface LogRecordPointer {
  logGroup: string;
  logStream: string;
  /** Event time, ms. */
  ts: number;
  /** UInt64 as a decimal string. */
  seq: string;
}

/**
 * @ptr is base64 of the JSON `{"g":logGroup,"s":logStream,"t":"ts","q":"seq"}` (built in SQL, see
 * sql.ts; numbers as decimal strings). GetLogRecord decodes it and reads the row back within the
 * caller's account and region: `log_group = g AND log_stream = s AND ts = t AND seq = q`.
 */
export function decodePtr(ptr: string): LogRecordPointer | undefined {
  try {
    const o = JSON.parse(Buffer.from(ptr, 'base64').toString('utf8')) as { g?: unknown; s?: unknown; t?: unknown; q?: unknown };
    const t = typeof o.t === 'string' && /^-?\d+$/.test(o.t) ? Number(o.t) : undefined;
    if (typeof o.g !== 'string' || typeof o.s !== 'string' || t === undefined || typeof o.q !== 'string' || !/^\d+$/.test(o.q)) {
      return undefined;
    }
    return { logGroup: o.g, logStream: o.s, ts: t, seq: o.q };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// GetLogGroupFields: "a list of the fields that are included in log events in the specified log
// group … and the percentage of log events that contain each field. The search is limited to a
// time period of 15 minutes before the time of the request." A bounded sample is read with
// `logGroupFieldsSampleSql` and summarised in JS (flattening JSON as Insights names its fields).

export const FIELDS_SAMPLE_SIZE = 10_000;

export function logGroupFieldsSampleSql(opts: { account: string; region: string; logGroup: string; startMs: number; endMs: number }): {
  sql: string;
  params: Record<string, unknown>;
} {
  return {
    sql: 'SELECT message FROM log_events WHERE account = {account:String} AND region = {region:String} ' +
      "AND log_group = {group:String} AND ts >= {start:Int64} AND ts <= {end:Int64} AND key_id = '' " +
      `ORDER BY ts DESC LIMIT ${FIELDS_SAMPLE_SIZE}`,
    params: { account: opts.account, region: opts.region, group: opts.logGroup, start: String(opts.startMs), end: String(opts.endMs) },
  };
}

const SYSTEM_FIELDS = ['@timestamp', '@message', '@logStream', '@log', '@ingestionTime'];

/** Field names (JSON leaves flattened with dots, list items as `.N`) and the % of events holding each. */
export function summarizeFields(messages: readonly string[]): { name: string; percent: number }[] {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const names = new Set<string>();
    if (/^\s*\{/.test(m)) {
      try {
        flatten(JSON.parse(m), '', names);
      } catch {
        // not JSON: only the system fields
      }
    }
    for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const total = messages.length;
  const out = total === 0 ? [] : SYSTEM_FIELDS.map((name) => ({ name, percent: 100 }));
  for (const [name, c] of [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    out.push({ name, percent: Math.round((c / total) * 100) });
  }
  return out;
}

function flatten(v: unknown, prefix: string, out: Set<string>): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    v.forEach((x, i) => flatten(x, `${prefix}${i}.`, out));
  } else if (typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      // "If the name of a discovered log field starts with the @ character, CloudWatch Logs Insights
      // displays it with an additional @ appended to the beginning."
      const key = prefix === '' && k.startsWith('@') ? `@${k}` : k;
      flatten(x, `${prefix}${key}.`, out);
    }
  } else {
    out.add(prefix.slice(0, -1));
  }
}
