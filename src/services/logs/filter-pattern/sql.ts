/**
 * Filter pattern → ClickHouse WHERE fragment, so FilterLogEvents can filter inside the store.
 *
 * Contract: every row the JS matcher (match.ts) accepts passes the SQL. With `exact: true` the SQL
 * accepts exactly those rows; with `exact: false` it is only a necessary condition and the rows it
 * returns must still go through `compileFilterPattern(p).matches`. `undefined` means nothing useful
 * can be pushed down (filter every row in JS).
 *
 * - terms: `position()` (case-sensitive byte substring, the same as String.includes on UTF-8) → exact;
 *   a term that must occur also gets the equivalent `LIKE '%…%'`, the form a skip index on
 *   log_events.message serves (searchSql in log-events-search-index.ts; with the ngram index a
 *   rare term read 1 granule of 367 instead of all); the same rows with or without the index;
 * - regex: `match()` with the RE2 translation from parse.ts, which spells out `.`, `\s`… so that
 *   RE2 and JS read it the same way (tested in sql.test.ts) → exact;
 * - JSON: a cheap `{` / property-name pre-filter, then `JSONHas`/`JSONType`/`JSONExtract*` per
 *   condition, used only where ClickHouse's view of the document provably equals JSON.parse's (no
 *   backslash escapes, every property name on the path occurs once, ClickHouse parses it); any
 *   other condition is left to JS → not exact;
 * - space-delimited: tokenising is not done in SQL; literal parts of `=` conditions must occur in
 *   the message (`position`), unanchored regexes must match it → not exact.
 *
 * Parameters are bound (`{fp0:String}`), never spliced into the SQL.
 */
import type { FieldExpr, FilterPattern, Glob, JsonCondition, JsonExpr, PathStep, Regex, Value } from './ast.ts';
import { searchSql } from '../../../store/telemetry/log-events-search-index.ts';
import { requiredJsonSubstrings } from './match.ts';

export interface ClickHouseFilter {
  sql: string;
  params: Record<string, unknown>;
  exact: boolean;
  /** Substrings every message the SQL accepts contains (for the per-block search index). */
  needles?: string[];
}

const COLUMN_RE = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

class Builder {
  readonly params: Record<string, unknown> = {};
  private n = 0;
  constructor(readonly col: string) {}

  str(v: string): string {
    const k = `fp${this.n++}`;
    this.params[k] = v;
    return `{${k}:String}`;
  }

  num(v: number): string {
    const k = `fp${this.n++}`;
    // As text: String() round-trips every double, and engines refuse JS numbers beyond ±2^53.
    this.params[k] = String(v);
    return `{${k}:Float64}`;
  }

  contains(needle: string, haystack = this.col): string {
    return `position(${haystack}, ${this.str(needle)}) > 0`;
  }

  /** `contains` for text that must occur in the message: also in the form the search index serves. */
  search(needle: string): string {
    return searchSql(this.col, needle, (v) => this.str(v));
  }

  regex(r: Regex, haystack = this.col): string {
    return `match(${haystack}, ${this.str(r.re2)})`;
  }

  glob(g: Glob, x: string): string {
    switch (g.mode) {
      case 'any': return '1';
      case 'exact': return `${x} = ${this.str(g.core)}`;
      case 'prefix': return `startsWith(${x}, ${this.str(g.core)})`;
      case 'suffix': return `endsWith(${x}, ${this.str(g.core)})`;
      case 'contains': return `position(${x}, ${this.str(g.core)}) > 0`;
    }
  }
}

const and = (xs: string[]): string => (xs.length === 0 ? '1' : xs.length === 1 ? xs[0]! : `(${xs.join(' AND ')})`);
const or = (xs: string[]): string => (xs.length === 0 ? '0' : xs.length === 1 ? xs[0]! : `(${xs.join(' OR ')})`);

export function toClickHouse(p: FilterPattern, column = 'message'): ClickHouseFilter | undefined {
  if (!COLUMN_RE.test(column)) throw new Error(`invalid column name: ${column}`);
  const b = new Builder(column);
  switch (p.kind) {
    case 'all':
      return { sql: '1', params: {}, exact: true };
    case 'terms': {
      const blank = (t: { text: string }): boolean => t.text.trim() === '';
      if (p.exclude.some(blank)) return { sql: '0', params: {}, exact: true };
      const needles = p.include.filter((t) => !blank(t)).map((t) => t.text);
      const parts = needles.map((t) => b.search(t));
      for (const t of p.exclude) parts.push(`NOT (${b.contains(t.text)})`);
      // ?terms count only when there are no other terms (see match.ts).
      if (p.include.length === 0 && p.exclude.length === 0 && !p.optional.some(blank)) {
        parts.push(or(p.optional.map((t) => b.search(t.text))));
      }
      return { sql: and(parts), params: b.params, exact: true, ...(needles.length > 0 ? { needles } : {}) };
    }
    case 'regex':
      return { sql: b.regex(p.regex), params: b.params, exact: true };
    case 'json':
      return { sql: jsonSql(b, p.expr), params: b.params, exact: false };
    case 'delimited': {
      const parts: string[] = [];
      for (const f of p.fields) {
        if (f.kind === 'field' && f.cond !== null) {
          const c = fieldNecessary(b, f.cond);
          if (c !== null) parts.push(c);
        }
      }
      return parts.length === 0 ? undefined : { sql: and(parts), params: b.params, exact: false };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// JSON

function jsonSql(b: Builder, expr: JsonExpr): string {
  const col = b.col;
  const hasBackslash = `position(${col}, ${b.str('\\')}) > 0`;
  const parts = [`match(${col}, ${b.str('^[\\t\\n\\r ]*\\{')})`];
  // The same substring pre-filter as the JS matcher: messages without escapes must contain them.
  const required = requiredJsonSubstrings(expr);
  if (required.length > 0) parts.push(`(${hasBackslash} OR ${and(required.map((r) => b.contains(r)))})`);
  parts.push(jsonNecessary(b, expr, hasBackslash));
  return and(parts);
}

function jsonNecessary(b: Builder, e: JsonExpr, hasBackslash: string): string {
  if (e.kind === 'and') return and(e.items.map((x) => jsonNecessary(b, x, hasBackslash)));
  if (e.kind === 'or') return or(e.items.map((x) => jsonNecessary(b, x, hasBackslash)));
  return jsonCondition(b, e, hasBackslash);
}

/** `(ClickHouse might disagree with JSON.parse) OR (the condition in ClickHouse)`. */
function jsonCondition(b: Builder, c: JsonCondition, hasBackslash: string): string {
  const steps = c.selector.steps;
  // A wildcard (`[*]`, `.*`) has no JSONExtract path: left to the JS matcher.
  if (steps.some((s) => s.kind === 'anyIndex' || s.kind === 'anyProp')) return '1';
  const col = b.col;
  const path = [col, ...steps.map((s: PathStep) => (s.kind === 'prop' ? b.str(s.name) : s.kind === 'index' ? String(s.index + 1) : ''))].join(', ');
  const uncertain = [
    hasBackslash,
    ...[...new Set(steps.flatMap((s) => (s.kind === 'prop' ? [s.name] : [])))].map((name) => `countSubstrings(${col}, ${b.str(`"${name}"`)}) > 1`),
    `NOT isValidJSON(${col})`,
  ];
  const type = `JSONType(${path})`;
  const isNumber = `${type} IN ('Int64', 'UInt64', 'Double')`;
  const isString = `${type} = 'String'`;
  const isBool = `${type} = 'Bool'`;
  const str = `JSONExtractString(${path})`;
  const boolText = `if(JSONExtractBool(${path}), 'true', 'false')`;

  let exact: string;
  if (c.kind === 'notExists') exact = `NOT JSONHas(${path})`;
  else if (c.kind === 'is') {
    exact = c.what === 'null' ? `(JSONHas(${path}) AND ${type} = 'Null')`
      : `(${isBool} AND ${c.what === 'true' ? '' : 'NOT '}JSONExtractBool(${path}))`;
  } else {
    exact = compareSql(b, c.op, c.value, { isNumber, isString, isBool, str, boolText, num: `JSONExtractFloat(${path})` });
  }
  return or([...uncertain, exact]);
}

interface JsonAccess {
  isNumber: string;
  isString: string;
  isBool: string;
  str: string;
  boolText: string;
  num: string;
}

/** Mirrors jsonValueTest in match.ts. Number text (String(n) in JS) is not reproduced: numbers pass. */
function compareSql(b: Builder, op: string, value: Value, a: JsonAccess): string {
  if (value.kind === 'number') {
    const n = b.num(value.value);
    const numeric = `(${a.isNumber} AND ${a.num} ${op} ${n})`;
    if (op !== '=' && op !== '!=') return numeric;
    const text = b.str(value.text);
    return or([numeric, `(${a.isString} AND ${a.str} ${op} ${text})`, `(${a.isBool} AND ${a.boolText} ${op} ${text})`]);
  }
  const test = (x: string): string => (value.kind === 'regex' ? b.regex(value.regex, x) : b.glob(value.glob, x));
  const neg = op === '!=' ? 'NOT ' : '';
  return or([`(${a.isString} AND ${neg}${test(a.str)})`, `(${a.isBool} AND ${neg}${test(a.boolText)})`, a.isNumber]);
}

// ---------------------------------------------------------------------------------------------
// Space-delimited

/** A condition every message whose field satisfies `e` meets, or null when there is none cheap. */
function fieldNecessary(b: Builder, e: FieldExpr): string | null {
  if (e.kind === 'and') {
    const xs = e.items.map((x) => fieldNecessary(b, x)).filter((x): x is string => x !== null);
    return xs.length === 0 ? null : and(xs);
  }
  if (e.kind === 'or') {
    const xs = e.items.map((x) => fieldNecessary(b, x));
    return xs.some((x) => x === null) ? null : or(xs as string[]);
  }
  if (e.op !== '=') return null;
  // A field's text is a substring of the message, so its literal parts are too.
  if (e.value.kind === 'string' && e.value.glob.mode !== 'any' && e.value.glob.core !== '') return b.search(e.value.glob.core);
  if (e.value.kind === 'regex' && !e.value.regex.anchored) return b.regex(e.value.regex);
  return null;
}
