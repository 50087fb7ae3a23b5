/**
 * The rules of a Logs Insights pipeline that do not depend on data, checked on the AST before any
 * SQL is built, and the decisions every query needs: which columns come out, which functions exist.
 *
 * Pipeline rules (each quoted from the AWS docs):
 * - stats: "A query can have a maximum of two stats commands."
 * - "If you use a sort or limit command, it must appear after the second stats command. If it is
 *   before the second stats command, the query is not valid."
 * - dedup: "The only query command that you can use in a query after the dedup command is limit."
 * - "In the second stats command … you can refer only to fields that are defined in the first stats
 *   command" — scope is checked while compiling (sql.ts), where names are resolved.
 *
 * Output columns:
 * - "If you specify [display] more than once in your query, only the fields you specify in the
 *   last occurrence are used."
 * - "If you have multiple fields commands and do not include a display command, the fields
 *   specified in all of the fields commands are displayed."
 * - `filter (duration>2000)` alone: "the results display the @timestamp and all log data in the
 *   @message field".
 * - After stats, the rows are the stats results: its `by` columns, then its aggregates (plus any
 *   fields defined after it). Only event rows carry @ptr.
 */
import type { Call, Command, Expr, Projection, Query } from './ast.ts';
import { malformed } from './lexer.ts';

export type FunctionKind = 'scalar' | 'aggregate';

export interface FunctionSpec {
  kind: FunctionKind;
  min: number;
  max: number;
}

const f = (kind: FunctionKind, min: number, max = min): FunctionSpec => ({ kind, min, max });
const MANY = 100;

/** Every documented function Osprey runs, by lower-cased name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map([
  // Numeric
  ['abs', f('scalar', 1)], ['ceil', f('scalar', 1)], ['floor', f('scalar', 1)],
  ['greatest', f('scalar', 1, MANY)], ['least', f('scalar', 1, MANY)], ['log', f('scalar', 1)],
  ['round', f('scalar', 1, 2)], ['sqrt', f('scalar', 1)], ['haversine', f('scalar', 4)],
  ['tonumber', f('scalar', 1)], ['toint', f('scalar', 1)], ['tolong', f('scalar', 1)], ['todouble', f('scalar', 1)],
  // Datetime
  ['bin', f('scalar', 1)], ['datefloor', f('scalar', 2)], ['dateceil', f('scalar', 2)],
  ['frommillis', f('scalar', 1)], ['tomillis', f('scalar', 1)], ['now', f('scalar', 0)],
  // General
  ['ispresent', f('scalar', 1)], ['coalesce', f('scalar', 1, MANY)], ['case', f('scalar', 2, 21)],
  ['if', f('scalar', 3)], ['isnumeric', f('scalar', 1)], ['messagesize', f('scalar', 1)],
  ['querystarttime', f('scalar', 0)], ['queryendtime', f('scalar', 0)], ['querytimerange', f('scalar', 0)],
  // JSON
  ['jsonparse', f('scalar', 1)], ['jsonstringify', f('scalar', 1)], ['jsonarraysize', f('scalar', 1)],
  ['jsonarraycontains', f('scalar', 2)],
  // IP addresses
  ['isvalidip', f('scalar', 1)], ['isvalidipv4', f('scalar', 1)], ['isvalidipv6', f('scalar', 1)],
  ['isipinsubnet', f('scalar', 2)], ['isipv4insubnet', f('scalar', 2)], ['isipv6insubnet', f('scalar', 2)],
  ['ipv4tonumber', f('scalar', 1)], ['isprivateip', f('scalar', 1)], ['ispublicip', f('scalar', 1)],
  ['isreservedip', f('scalar', 1)],
  // Strings
  ['isempty', f('scalar', 1)], ['isblank', f('scalar', 1)], ['concat', f('scalar', 1, MANY)],
  ['ltrim', f('scalar', 1, 2)], ['rtrim', f('scalar', 1, 2)], ['trim', f('scalar', 1, 2)],
  ['strlen', f('scalar', 1)], ['toupper', f('scalar', 1)], ['tolower', f('scalar', 1)],
  ['substr', f('scalar', 2, 3)], ['replace', f('scalar', 3)], ['regexreplace', f('scalar', 3)],
  ['strcontains', f('scalar', 2, 3)], ['startswith', f('scalar', 2)], ['endswith', f('scalar', 2)],
  ['urlencode', f('scalar', 1)], ['urldecode', f('scalar', 1)], ['base64encode', f('scalar', 1)],
  ['base64decode', f('scalar', 1)], ['split', f('scalar', 2)], ['hextoascii', f('scalar', 1)],
  ['hextodec', f('scalar', 1)], ['dectohex', f('scalar', 1)],
  // Aggregation and non-aggregation stats functions
  ['avg', f('aggregate', 1)], ['count', f('aggregate', 0, 1)], ['count_distinct', f('aggregate', 1)],
  ['max', f('aggregate', 1)], ['min', f('aggregate', 1)], ['pct', f('aggregate', 2)],
  ['stddev', f('aggregate', 1)], ['sum', f('aggregate', 1)], ['earliest', f('aggregate', 1)],
  ['latest', f('aggregate', 1)], ['sortsfirst', f('aggregate', 1)], ['sortslast', f('aggregate', 1)],
]);

/** Documented functions Osprey does not run: rejected by name with a clear message. */
const UNSUPPORTED_FUNCTIONS = new Set([
  'parsedate', 'formatdate', 'strftime', 'rate', 'count_over_time', 'sum_over_time', 'histogram',
]);

export type OutputSpec =
  /** The last display after the last stats: these expressions, evaluated at the end. */
  | { kind: 'display'; items: Projection[] }
  /** The named columns, in order (fields command names, stats columns, defaults). */
  | { kind: 'names'; names: string[] };

export interface Plan {
  query: Query;
  /** Event rows (no stats): each row also carries @ptr. */
  events: boolean;
  output: OutputSpec;
}

export function planQuery(query: Query): Plan {
  const { text, commands } = query;
  const fail = (message: string, at: { start: number; end: number }): never => {
    throw malformed(text, message, at.start, at.end);
  };

  const statsIdx = commands.flatMap((c, i) => (c.kind === 'stats' ? [i] : []));
  if (statsIdx.length > 2) fail('a query can have at most two stats commands', commands[statsIdx[2]!]!);
  if (statsIdx.length === 2) {
    for (let i = statsIdx[0]! + 1; i < statsIdx[1]!; i++) {
      const c = commands[i]!;
      if (c.kind === 'sort' || c.kind === 'limit') {
        fail(`${c.kind} must come after the second stats command`, c);
      }
    }
  }
  const dedupAt = commands.findIndex((c) => c.kind === 'dedup');
  if (dedupAt >= 0) {
    for (const c of commands.slice(dedupAt + 1)) {
      if (c.kind !== 'limit') fail(`${c.kind} cannot follow dedup: only limit can come after dedup`, c);
    }
  }

  // After a stats, its columns can be named by their text, `sort count(*) desc` included.
  let columns = new Set<string>();
  for (const c of commands) {
    checkCommand(c, { fail, text, columns });
    if (c.kind === 'stats') columns = new Set([...c.by, ...c.aggs].map((p) => p.name));
  }

  const lastStats = statsIdx.at(-1) ?? -1;
  const after = commands.slice(lastStats + 1);
  const display = after.filter((c) => c.kind === 'display').at(-1);
  let output: OutputSpec;
  if (display?.kind === 'display') {
    output = { kind: 'display', items: display.items };
  } else {
    const names: string[] = [];
    if (lastStats >= 0) {
      const s = commands[lastStats]!;
      if (s.kind === 'stats') names.push(...s.by.map((p) => p.name), ...s.aggs.map((p) => p.name));
    }
    for (const c of after) if (c.kind === 'fields') names.push(...c.items.map((p) => p.name));
    if (names.length === 0) names.push('@timestamp', '@message');
    output = { kind: 'names', names: [...new Set(names)] };
  }
  return { query, events: lastStats < 0, output };
}

type Fail = (message: string, at: { start: number; end: number }) => never;

interface Cx {
  fail: Fail;
  text: string;
  /** Columns of the last stats before this command (none before the first stats). */
  columns: Set<string>;
}

function checkCommand(c: Command, cx: Cx): void {
  const { fail } = cx;
  switch (c.kind) {
    case 'fields':
    case 'display':
      for (const p of c.items) checkExpr(p.expr, 'row', cx);
      return;
    case 'filter':
      checkExpr(c.cond, 'row', cx);
      return;
    case 'sort':
      for (const k of c.keys) checkExpr(k.expr, 'row', cx);
      return;
    case 'stats': {
      const names = new Set<string>();
      for (const p of c.by) {
        checkExpr(p.expr, 'row', cx);
        if (names.has(p.name)) fail(`duplicate column name ${p.name} in stats`, p);
        names.add(p.name);
      }
      // An expression may combine the other aggregations of the same stats by their names, as in
      // AWS's sample `provisonedMemoryMB - maxMemoryUsedMB as overProvisionedMB`.
      const aggNames = new Set(c.aggs.map((p) => p.name));
      for (const p of c.aggs) {
        checkExpr(p.expr, 'group', cx);
        if (!containsAggregate(p.expr) && !refersTo(p.expr, aggNames, p.name)) {
          fail(`${p.name} is not an aggregation: every stats expression needs an aggregation function such as count(), sum() or avg()`, p);
        }
        if (names.has(p.name)) fail(`duplicate column name ${p.name} in stats`, p);
        names.add(p.name);
      }
      return;
    }
    default:
      return;
  }
}

export function containsAggregate(e: Expr): boolean {
  if (e.kind === 'call' && FUNCTIONS.get(e.name)?.kind === 'aggregate') return true;
  return children(e).some(containsAggregate);
}

/** Whether `e` names one of `names` (other than `self`) as a field. */
export function refersTo(e: Expr, names: Set<string>, self: string): boolean {
  if (e.kind === 'field') return e.name !== self && names.has(e.name);
  return children(e).some((c) => refersTo(c, names, self));
}

export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'call': return e.args;
    case 'unary': return [e.operand];
    case 'arith': case 'compare': case 'logical': return [e.left, e.right];
    case 'like': return [e.operand, e.pattern];
    case 'in': return [e.operand, ...e.items];
    default: return [];
  }
}

/**
 * Function names, arities, `*` only in count, aggregations only directly inside stats (not nested,
 * not in `by`, not in other commands), regular expressions and periods only where they belong.
 */
function checkExpr(e: Expr, level: 'row' | 'group' | 'inAggregate', cx: Cx): void {
  const { fail } = cx;
  switch (e.kind) {
    case 'star':
      fail('* is only valid in count(*)', e);
      break;
    case 'regex':
      fail('a regular expression can only follow like, =~ or parse', e);
      break;
    case 'duration':
      fail(`a time period such as ${e.text} is only valid in bin(), datefloor() and dateceil()`, e);
      break;
    case 'call': {
      checkCall(e, level, cx);
      return;
    }
    default:
      break;
  }
  for (const c of children(e)) {
    if (e.kind === 'like' && c === e.pattern) continue;
    checkExpr(c, level, cx);
  }
}

function checkCall(e: Call, level: 'row' | 'group' | 'inAggregate', cx: Cx): void {
  const { fail } = cx;
  // `stats count(*) by x | sort count(*) desc`: the stats column of that name.
  if (level !== 'group' && cx.columns.has(cx.text.slice(e.start, e.end).trim())) return;
  const spec = FUNCTIONS.get(e.name);
  if (spec === undefined) {
    if (UNSUPPORTED_FUNCTIONS.has(e.name)) fail(`the function ${e.rawName} is not supported`, e);
    fail(`unknown function ${e.rawName}`, e);
  }
  if (e.args.length < spec!.min || e.args.length > spec!.max) {
    const want = spec!.min === spec!.max ? `${spec!.min}` : spec!.max >= MANY ? `at least ${spec!.min}` : `${spec!.min} to ${spec!.max}`;
    fail(`${e.rawName}() takes ${want} argument(s), got ${e.args.length}`, e);
  }
  if (spec!.kind === 'aggregate') {
    if (level === 'row') fail(`the aggregation function ${e.rawName}() can only be used in stats`, e);
    if (level === 'inAggregate') fail(`aggregation functions cannot be nested: ${e.rawName}()`, e);
  }
  const inner = spec!.kind === 'aggregate' ? 'inAggregate' : level;
  e.args.forEach((a, i) => {
    if (a.kind === 'star') {
      if (e.name !== 'count' || e.args.length !== 1) fail('* is only valid in count(*)', a);
      return;
    }
    if (a.kind === 'duration') {
      const periodArg = (e.name === 'bin' && i === 0) || ((e.name === 'datefloor' || e.name === 'dateceil') && i === 1);
      if (!periodArg) fail(`a time period such as ${a.text} is only valid in bin(), datefloor() and dateceil()`, a);
      return;
    }
    checkExpr(a, inner, cx);
  });
}
