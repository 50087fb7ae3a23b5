/**
 * Values. Insights is dynamically typed: a discovered JSON field is text that may hold a number.
 * Every expression compiles to SQL plus a static type:
 * - text  Nullable(String): field values (JSON leaves as their text, strings unescaped), strings;
 * - num   a number (Float64, or an integer for counts and milliseconds);
 * - bool  UInt8 1/0 ("The value of isRes is either 0 or 1");
 * - ts    Int64 milliseconds since the epoch (@timestamp, bin(), datefloor()…), shown as
 *         `YYYY-MM-DD HH:MM:SS.mmm` UTC;
 * - json  a JSON object/array text from jsonParse()/split() ("maps and lists").
 * A missing field is NULL: comparisons with it are NULL (the row does not pass a filter), counts
 * skip it, the output omits it. Comparisons are numeric when both sides are numbers (a text value
 * counts when it parses as one), otherwise they compare strings; a number literal against a
 * non-numeric text is false (`!=`: true). Arithmetic on non-numbers is NULL; x / 0 is NULL.
 *
 * This file holds the types and the conversions between them.
 */
import type { Binder } from './context.ts';

export type VType = 'text' | 'num' | 'bool' | 'ts' | 'json';

export interface Val {
  sql: string;
  type: VType;
  /** For literals: the text as written and, when it reads as a number, its value. */
  lit?: { kind: 'string' | 'number'; text: string; num: number | undefined };
  /** Depends on the table's own columns only, so it stays valid across subqueries that keep them. */
  stable?: boolean;
  /**
   * Never NULL (the system fields): null guards around it can be left out — `ifNull(message, '')`
   * costs a copy of every message, ~20 % of a parse query.
   */
  notNull?: boolean;
}

export const NULL_TEXT = 'CAST(NULL AS Nullable(String))';
export const NULL_NUM = 'CAST(NULL AS Nullable(Float64))';
export const NULL_TS = 'CAST(NULL AS Nullable(Int64))';

/** Timestamps ClickHouse can show: 1900-01-01 ≤ t < 2300-01-01 (ms). Others are missing values. */
export const MIN_TS = -2_208_988_800_000;
export const MAX_TS = 10_413_792_000_000;

export const ofNum = (sql: string): Val => ({ sql, type: 'num' });
export const ofText = (sql: string): Val => ({ sql, type: 'text' });
export const ofBool = (sql: string): Val => ({ sql, type: 'bool' });

/** What `toFloat64OrNull` accepts, so literals fold the way column values convert. */
export function numericValue(s: string): number | undefined {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export function asNum(b: Binder, v: Val): string {
  switch (v.type) {
    case 'num': return v.sql;
    case 'text': return v.lit?.num !== undefined ? b.f64(v.lit.num) : `toFloat64OrNull(${v.sql})`;
    case 'bool': case 'ts': return `toFloat64(${v.sql})`;
    case 'json': return NULL_NUM;
  }
}

export function asText(b: Binder, v: Val): string {
  switch (v.type) {
    case 'text': return v.sql;
    case 'num': return v.lit !== undefined ? b.str(v.lit.text) : `toString(${v.sql})`;
    case 'bool': return `toString(${v.sql})`;
    case 'ts': return `toString(fromUnixTimestamp64Milli(${v.sql}, 'UTC'))`;
    case 'json': return NULL_TEXT;
  }
}

export function asBool(v: Val): string {
  switch (v.type) {
    case 'bool': return v.sql;
    case 'num': return `(${v.sql} != 0)`;
    case 'text': return `(toFloat64OrNull(${v.sql}) != 0 OR lower(${v.sql}) = 'true')`;
    case 'ts': return `isNotNull(${v.sql})`;
    case 'json': return '0';
  }
}

export function asTs(v: Val): string {
  switch (v.type) {
    case 'ts': return v.sql;
    case 'num': return `if(${v.sql} >= ${MIN_TS} AND ${v.sql} < ${MAX_TS}, toInt64(${v.sql}), NULL)`;
    case 'text':
      return `coalesce(toInt64OrNull(${v.sql}), toUnixTimestamp64Milli(parseDateTime64BestEffortOrNull(${v.sql}, 3, 'UTC')))`;
    default: return NULL_TS;
  }
}

/** A value as the result column shows it. Maps and lists show as their JSON text. */
export function asOutput(b: Binder, v: Val): string {
  return v.type === 'json' ? v.sql : asText(b, v);
}

export function isStaticNumber(v: Val): boolean {
  return v.type === 'num' || v.type === 'bool';
}

/** One type for values that meet in one column (coalesce, if, case): their own if they agree, else text. */
export function unify(b: Binder, vals: Val[]): { sqls: string[]; type: VType } {
  const types = new Set(vals.map((v) => v.type));
  if (types.size === 1) {
    const type = vals[0]!.type;
    if (type === 'num') return { sqls: vals.map((v) => `toFloat64(${v.sql})`), type };
    if (type !== 'text') return { sqls: vals.map((v) => v.sql), type };
  }
  return { sqls: vals.map((v) => (v.type === 'json' ? v.sql : asText(b, v))), type: 'text' };
}

/**
 * A string whose byte order is the documented natural order of non-number values: digit runs
 * become '0' + their zero-padded length + the digits (a digit run still compares with other
 * characters as its first digit would), other runs end with a NUL so a shorter run sorts first.
 */
export function naturalKey(s: string): string {
  return `arrayStringConcat(arrayMap(c -> if(match(c, '^[0-9]'), concat('0', leftPad(toString(length(c)), 8, '0'), c), ` +
    `concat(c, char(0))), extractAll(ifNull(${s}, ''), '[0-9]+|[^0-9]+')))`;
}
