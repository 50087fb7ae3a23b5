/**
 * A planned Logs Insights query → one ClickHouse SELECT over `log_events`, with every user value
 * bound as a `{pN:Type}` parameter.
 *
 * Pipeline → SQL. Commands run in order over a "stage": a FROM (the table or a subquery), WHERE
 * conditions, the fields defined so far (name → SQL expression), the current row order and a
 * pending limit. Row-wise commands only add to the stage: `fields`/`parse` bind names to
 * expressions (substituted where used), `filter` adds a WHERE condition, `sort` prepends order keys
 * (the previous order stays as tie-breaker), `limit` lowers the pending limit. A subquery boundary
 * is made only where the order of operations needs one: before a filter/sort/stats/dedup that
 * follows a limit, for dedup (a window function), and for stats (GROUP BY). So the common
 * `filter … | stats … by bin(5m)` is a single `SELECT … FROM log_events WHERE … GROUP BY …`, and
 * `filter @message like "x"` reaches the table's token index.
 *
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
 * Output: every column is rendered to text by SQL and aliased c0…cN; `columns` gives their names.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { intLiteral, stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import type {
  Call, DurationLit, Expr, FieldRef, PathSegment, Projection, Query, RegexLit, StatsCommand, StringLit,
} from './ast.ts';
import { malformed } from './lexer.ts';
import { MAX_LIMIT, checkRegex, fieldName, unnameGroups } from './parse.ts';
import { FUNCTIONS, refersTo, type Plan } from './plan.ts';

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

export interface SqlOptions {
  account: string;
  region: string;
  logGroups: readonly string[];
  /** Inclusive, ms since the epoch. */
  startMs: number;
  /** Inclusive, ms since the epoch. */
  endMs: number;
  /** StartQuery `limit`; the query's own `limit` applies too (the smaller wins). Default 10,000. */
  limit?: number;
  /** When the query started (now(), epoch ms). Default: Date.now(). */
  nowMs?: number;
}

export interface CompiledSql {
  /** Rows have columns c0…cN (Nullable(String)), named by `columns`. */
  sql: string;
  params: Record<string, unknown>;
  columns: string[];
  /** Event rows (each has @ptr) rather than stats results. */
  events: boolean;
  /** The row limit applied to the final result. */
  limit: number;
  /**
   * `SELECT count() AS recordsMatched`: events that reach the first stats (or the output, before the
   * final limit). Absent when the main query reports it itself in the `__matched` column (queries
   * whose only stats ends the pipeline but for sort/limit/display), saving a second scan.
   */
  matchedSql?: string;
  /**
   * `SELECT count() AS recordsScanned, sum(message_bytes) AS bytesScanned, countIf(key_id != '') AS encryptedRecords`,
   * with literals instead of parameters: run it without `params` so it runs beside the main query.
   */
  scanSql: string;
}

/** Default number of result rows ("If you omit limit, the query will return as many as 10,000 log events"). */
export const DEFAULT_LIMIT = 10_000;

const BASE_COLUMNS = ['ts', 'ingest_ts', 'seq', 'log_stream', 'log_group', 'message'] as const;

const NULL_TEXT = 'CAST(NULL AS Nullable(String))';
const NULL_NUM = 'CAST(NULL AS Nullable(Float64))';
const NULL_TS = 'CAST(NULL AS Nullable(Int64))';

/** Timestamps ClickHouse can show: 1900-01-01 ≤ t < 2300-01-01 (ms). Others are missing values. */
const MIN_TS = -2_208_988_800_000;
const MAX_TS = 10_413_792_000_000;

const MS: Record<'ms' | 's' | 'm' | 'h' | 'd', number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/**
 * "The cap for ms is 1000, the caps for s and m are 60, and the cap for h is 24" — so `bin(300s)`
 * "actually implements this as 60 seconds".
 */
const CAPS: Partial<Record<DurationLit['unit'], number>> = { ms: 1000, s: 60, m: 60, h: 24 };
interface OrderItem {
  sql: string;
  desc: boolean;
  stable?: boolean;
}

interface Stage {
  from: string;
  where: string[];
  bindings: Map<string, Val>;
  /** Before any stats: the table's columns are present and unknown names are discovered fields. */
  open: boolean;
  order: OrderItem[];
  limit: number | undefined;
}

type AggLevel = 'row' | 'group' | 'inAggregate';

interface Ctx {
  stage: Stage;
  level: AggLevel;
  /** In a stats expression: the other aggregations of the same stats, by name. */
  aggregates?: Map<string, Val>;
}

/** What `toFloat64OrNull` accepts, so literals fold the way column values convert. */
export function numericValue(s: string): number | undefined {
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** `%` and `_` are LIKE wildcards, `\` its escape. */
function likeContains(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function reEscape(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, (c) => `\\${c}`);
}

function classEscape(s: string): string {
  return [...s].map((c) => (/[\\\]\[^-]/.test(c) ? `\\${c}` : c)).join('');
}

/** A glob (`*` wildcards) as RE2: lazy wildcards, the last one greedy when it ends the pattern. */
export function globToRegex(glob: string): string {
  const parts = glob.split('*');
  let re = '(?s)';
  parts.forEach((lit, i) => {
    re += reEscape(lit);
    if (i < parts.length - 1) re += i === parts.length - 2 && parts.at(-1) === '' ? '(.*)' : '(.*?)';
  });
  return re;
}

function validCidr(cidr: string, family: 4 | 6 | 'any'): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!m) return false;
  const bits = Number(m[2]);
  if (isIPv4(m[1]!)) return family !== 6 && bits <= 32;
  if (isIPv6(m[1]!)) return family !== 4 && bits <= 128;
  return false;
}

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
/** IANA special-purpose registries (RFC 6890 and updates). */
const RESERVED_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.0.2.0/24', '192.31.196.0/24', '192.52.193.0/24', '192.88.99.0/24', '192.168.0.0/16', '192.175.48.0/24',
  '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4', '255.255.255.255/32',
];
const RESERVED_V6 = [
  '::/128', '::1/128', '::ffff:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48', '100::/64', '2001::/23', '2001:db8::/32',
  '2002::/16', 'fc00::/7', 'fe80::/10', 'ff00::/8',
];

/** Lambda's discovered fields (REPORT/START/END lines): name → [regex with one group, numeric scale]. */
const LAMBDA_FIELDS: Record<string, [string, number | undefined]> = {
  '@type': ['^(START|END|REPORT|INIT_START|INIT_REPORT) ', undefined],
  '@requestId': ['^(?:START|END|REPORT) RequestId: ([0-9A-Za-z-]+)', undefined],
  '@duration': ['^REPORT .*?\\tDuration: ([0-9.]+) ms', 1],
  '@billedDuration': ['^REPORT .*?Billed Duration: ([0-9.]+) ms', 1],
  '@memorySize': ['^REPORT .*?Memory Size: ([0-9]+) MB', 1_000_000],
  '@maxMemoryUsed': ['^REPORT .*?Max Memory Used: ([0-9]+) MB', 1_000_000],
  '@initDuration': ['^REPORT .*?Init Duration: ([0-9.]+) ms', 1],
  '@xrayTraceId': ['^REPORT .*?XRAY TraceId: ([^\\t]+)', undefined],
  '@xraySegmentId': ['^REPORT .*?SegmentId: ([^\\t]+)', undefined],
};

export function compileSql(plan: Plan, opts: SqlOptions): CompiledSql {
  return new Compiler(plan.query, opts).compile(plan);
}

class Compiler {
  private readonly params: Record<string, unknown> = {};
  private nParam = 0;
  private nAlias = 0;
  private readonly text: string;
  private readonly baseWhere: string;
  private readonly scanWhere: string;
  /** Some queried group is a Lambda function's: look for JSON embedded in text lines too. */
  private readonly lambda: boolean;

  constructor(query: Query, private readonly opts: SqlOptions) {
    this.text = query.text;
    this.lambda = opts.logGroups.some((g) => g.startsWith('/aws/lambda/'));
    this.params.q_account = opts.account;
    this.params.q_region = opts.region;
    this.params.q_groups = [...opts.logGroups];
    this.params.q_start = String(Math.trunc(opts.startMs));
    this.params.q_end = String(Math.trunc(opts.endMs));
    this.baseWhere = 'account = {q_account:String} AND region = {q_region:String} AND log_group IN {q_groups:Array(String)} ' +
      'AND ts >= {q_start:Int64} AND ts <= {q_end:Int64}' +
      // Sealed rows (AssociateKmsKey) can only be opened by the service, never evaluated in SQL.
      " AND key_id = ''";
    // The same range with literals: the scan statistics then run beside the (bound) main query
    // instead of queueing behind it (sql-literal.ts).
    this.scanWhere = `account = ${stringLiteral(opts.account)} AND region = ${stringLiteral(opts.region)} ` +
      `AND log_group IN (${opts.logGroups.map(stringLiteral).join(', ')}) ` +
      `AND ts >= ${intLiteral(Math.trunc(opts.startMs))} AND ts <= ${intLiteral(Math.trunc(opts.endMs))}`;
  }

  private fail(message: string, at: { start: number; end: number }): never {
    throw malformed(this.text, message, at.start, at.end);
  }

  private str(v: string): string {
    const k = `p${this.nParam++}`;
    this.params[k] = v;
    return `{${k}:String}`;
  }

  private f64(v: number): string {
    const k = `p${this.nParam++}`;
    this.params[k] = String(v);
    return `{${k}:Float64}`;
  }

  private alias(prefix: string): string {
    return `__${prefix}${this.nAlias++}`;
  }

  // -------------------------------------------------------------------------------------------
  // Pipeline

  compile(plan: Plan): CompiledSql {
    let stage = this.baseStage();
    let matched: Stage | undefined;
    let statsSeen = 0;
    // recordsMatched can ride along in the main query when the first stats is the last stage
    // that changes rows: a hidden count() per group, summed over all groups by a window.
    const firstStats = plan.query.commands.findIndex((c) => c.kind === 'stats');
    const foldMatched = firstStats >= 0 &&
      plan.query.commands.slice(firstStats + 1).every((c) => c.kind === 'sort' || c.kind === 'limit' || c.kind === 'display');
    for (const c of plan.query.commands) {
      switch (c.kind) {
        case 'fields':
          for (const p of c.items) this.bind(stage, p.name, this.expr(p.expr, { stage, level: 'row' }));
          break;
        case 'display':
          // Only chooses the output columns (plan.ts); checked here so a bad name fails where it is.
          for (const p of c.items) this.expr(p.expr, { stage, level: 'row' });
          break;
        case 'filter': {
          stage = this.settle(stage);
          const v = this.expr(c.cond, { stage, level: 'row' });
          stage.where.push(...this.prefilters(c.cond, stage), this.bool(v));
          break;
        }
        case 'parse':
          this.parse(stage, c);
          break;
        case 'sort': {
          stage = this.settle(stage);
          const keys = c.keys.flatMap((k) => this.orderItems(this.expr(k.expr, { stage, level: 'row' }), k.desc, k));
          stage.order = [...keys, ...stage.order];
          break;
        }
        case 'limit':
          stage.limit = Math.min(stage.limit ?? Infinity, c.count);
          break;
        case 'dedup':
          stage = this.dedup(this.settle(stage), c.fields);
          break;
        case 'stats':
          stage = this.settle(stage);
          if (statsSeen++ === 0) matched = stage;
          stage = this.stats(stage, c, foldMatched && statsSeen === 1);
          break;
      }
    }
    if (matched === undefined) matched = stage;

    // Output columns, evaluated over the final stage.
    const outputs: { name: string; v: Val }[] = [];
    if (plan.output.kind === 'display') {
      for (const p of plan.output.items) outputs.push({ name: p.name, v: this.expr(p.expr, { stage, level: 'row' }) });
    } else {
      for (const name of plan.output.names) outputs.push({ name, v: this.resolveName(stage, name, plan.query) });
    }
    const seen = new Set<string>();
    const cols = outputs.filter((o) => (seen.has(o.name) ? false : (seen.add(o.name), true)));
    if (plan.events && !seen.has('@ptr')) cols.push({ name: '@ptr', v: stage.bindings.get('@ptr')! });

    const limit = Math.min(stage.limit ?? Infinity, this.opts.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
    const select = cols.map((o, i) => `${this.out(o.v)} AS c${i}`).join(', ') + (foldMatched ? ', toString(sum(__matched) OVER ()) AS __matched_total' : '');
    const sql = `SELECT ${select} FROM ${stage.from}${whereSql(stage.where)}${orderSql(stage.order)} LIMIT ${limit}`;

    return {
      sql,
      params: this.params,
      columns: cols.map((o) => o.name),
      events: plan.events,
      limit,
      matchedSql: foldMatched ? undefined : `SELECT count() AS recordsMatched FROM ${matched.from}${whereSql(matched.where)}`,
      // message_bytes is a small materialized column, so statistics never re-read the messages.
      scanSql: 'SELECT count() AS recordsScanned, sum(message_bytes) AS bytesScanned, ' +
        `countIf(key_id != '') AS encryptedRecords FROM log_events WHERE ${this.scanWhere}`,
    };
  }

  private baseStage(): Stage {
    const b = new Map<string, Val>();
    const sys = (name: string, sql: string, type: VType): void => {
      b.set(name, { sql, type, stable: true, notNull: true });
    };
    sys('@timestamp', 'ts', 'ts');
    sys('@message', 'message', 'text');
    sys('@logStream', 'log_stream', 'text');
    sys('@ingestionTime', 'ingest_ts', 'ts');
    sys('@log', `concat(${this.str(this.opts.account)}, ':', log_group)`, 'text');
    // @ptr: base64 of {"g":group,"s":stream,"t":"ts","q":"seq"} — see decodePtr in index.ts.
    sys('@ptr', "base64Encode(toJSONString(CAST(tuple(log_group, log_stream, toString(ts), toString(seq)), " +
      "'Tuple(g String, s String, t String, q String)')))", 'text');
    return {
      from: 'log_events',
      where: [this.baseWhere],
      bindings: b,
      open: true,
      // Results are newest first unless the query sorts ("the default descending sort order using @timestamp").
      order: [{ sql: 'ts', desc: true, stable: true }, { sql: 'seq', desc: true, stable: true }],
      limit: undefined,
    };
  }

  private bind(stage: Stage, name: string, v: Val): void {
    stage.bindings.set(name, v);
  }

  /** A stage whose pending limit is applied: commands that see the set of rows need it first. */
  private settle(stage: Stage): Stage {
    return stage.limit === undefined ? stage : this.materialize(stage);
  }

  /** Turns a stage into a subquery: bindings and order keys become its columns. */
  private materialize(stage: Stage, extra: (s: Stage) => string[] = () => []): Stage {
    const cols: string[] = stage.open ? [...BASE_COLUMNS] : [];
    const bindings = new Map<string, Val>();
    for (const [name, v] of stage.bindings) {
      if (v.stable && stage.open) {
        bindings.set(name, v);
        continue;
      }
      const a = this.alias('b');
      cols.push(`${v.sql} AS ${a}`);
      bindings.set(name, { ...v, sql: a, stable: false });
    }
    const order: OrderItem[] = stage.order.map((o) => {
      if (o.stable && stage.open) return o;
      const a = this.alias('o');
      cols.push(`${o.sql} AS ${a}`);
      return { sql: a, desc: o.desc };
    });
    cols.push(...extra(stage));
    const tail = stage.limit !== undefined ? `${orderSql(stage.order)} LIMIT ${stage.limit}` : '';
    const sql = `(SELECT ${cols.length > 0 ? cols.join(', ') : '1 AS __one'} FROM ${stage.from}${whereSql(stage.where)}${tail})`;
    return { from: sql, where: [], bindings, open: stage.open, order, limit: undefined };
  }

  /**
   * Cheap necessary conditions for a filter's top-level conjuncts on discovered JSON fields:
   * `level = "ERROR"`, `level in ["WARN", "ERROR"]`, `path like "orders"` can only hold if the raw
   * message contains the text (or escapes it, hence the backslash test). They let ClickHouse skip
   * parsing JSON for most events (and use the message token index). Only top-level AND terms get
   * one, where false and NULL both drop the event, so results are unchanged.
   */
  private prefilters(cond: Expr, stage: Stage): string[] {
    if (!stage.open) return [];
    const out: string[] = [];
    const plainText = (e: Expr): string | undefined =>
      e.kind === 'string' && e.value !== '' && numericValue(e.value) === undefined ? e.value : undefined;
    const contains = (texts: string[]): string =>
      `(position(message, '\\\\') > 0 OR ${texts.map((t) => `position(message, ${this.str(t)}) > 0`).join(' OR ')})`;
    const walk = (e: Expr): void => {
      if (e.kind === 'logical' && e.op === 'and') {
        walk(e.left);
        walk(e.right);
      } else if (e.kind === 'compare' && e.op === '=') {
        const [f, lit] = e.left.kind === 'field' ? [e.left, e.right] : [e.right, e.left];
        const t = plainText(lit);
        if (f.kind === 'field' && t !== undefined && this.isDiscoveredJson(f, stage)) out.push(contains([t]));
      } else if (e.kind === 'in' && !e.negated && e.operand.kind === 'field' && this.isDiscoveredJson(e.operand, stage)) {
        const texts = e.items.map(plainText);
        if (texts.every((t) => t !== undefined)) out.push(contains(texts as string[]));
      } else if (e.kind === 'like' && !e.negated && e.pattern.kind === 'string' && e.pattern.value !== '' &&
        e.operand.kind === 'field' && this.isDiscoveredJson(e.operand, stage)) {
        out.push(contains([e.pattern.value]));
      }
    };
    walk(cond);
    return out;
  }

  /** Whether a field reference reads a JSON value straight from @message. */
  private isDiscoveredJson(f: FieldRef, stage: Stage): boolean {
    if (f.name.startsWith('@') && !f.name.startsWith('@@')) return false;
    for (let i = f.segments.length; i >= 1; i--) {
      if (stage.bindings.has(fieldName(f.segments.slice(0, i)))) return false;
    }
    return true;
  }

  private parse(stage: Stage, c: Query['commands'][number] & { kind: 'parse' }): void {
    const v = this.expr(c.source, { stage, level: 'row' });
    const src = this.text_(v);
    const notNull = v.notNull === true && v.type !== 'json';
    const s = notNull ? src : `ifNull(${src}, '')`;
    const absent = notNull ? '' : `isNull(${src}) OR `;
    if (c.mode === 'glob') {
      // Globs use position()/substring() — the same leftmost, lazy match as the regex
      // globToRegex() spells out — one scalar per name, with no per-event array.
      const g = this.globCaptures(s, c.pattern);
      c.names.forEach((name, i) => {
        if (name === null) return;
        const capture = g.captures[i];
        // A name beyond the glob's captures is bound to nothing, as with the regex form.
        this.bind(stage, name, { sql: capture === undefined ? NULL_TEXT : `if(${absent}NOT (${g.found}), ${NULL_TEXT}, ${capture})`, type: 'text' });
      });
      return;
    }
    // One extraction per event; the names below share it (ClickHouse evaluates it once).
    const groups = `extractGroups(${s}, ${this.str(unnameGroups(c.regex))})`;
    c.names.forEach((name, i) => {
      if (name === null) return;
      this.bind(stage, name, { sql: `if(${absent}empty(${groups}), ${NULL_TEXT}, ${groups}[${i + 1}])`, type: 'text' });
    });
  }

  /**
   * A glob's match condition and captures. Equivalent to extractGroups(s, globToRegex(glob)): the
   * match starts at the first occurrence of the leading literal (any later start could only match
   * less), each `*` takes the text up to the first occurrence of the next literal, and a trailing
   * `*` takes the rest. Positions are in bytes on both sides, and literals are whole UTF-8
   * strings, so captures never split a character.
   */
  private globCaptures(s: string, glob: string): { found: string; captures: string[] } {
    const parts = glob.split('*');
    const found: string[] = [];
    const captures: string[] = [];
    let start: string;
    if (parts[0] !== '') {
      const lit = this.str(parts[0]!);
      const at = `position(${s}, ${lit})`;
      found.push(`${at} > 0`);
      start = `(${at} + length(${lit}))`;
    } else {
      start = '1';
    }
    for (let i = 1; i < parts.length; i++) {
      const next = parts[i]!;
      if (next === '' && i === parts.length - 1) {
        captures.push(`substring(${s}, ${start})`);
        break;
      }
      const lit = this.str(next);
      const at = `position(${s}, ${lit}, ${start})`;
      found.push(`${at} > 0`);
      captures.push(`substring(${s}, ${start}, ${at} - ${start})`);
      start = `(${at} + length(${lit}))`;
    }
    return { found: found.length > 0 ? found.join(' AND ') : '1', captures };
  }

  /**
   * "Duplicates are discarded based on the sort order, with only the first result in the sort
   * order being kept … Log events with null values for any of the specified fields are retained."
   */
  private dedup(stage: Stage, fields: FieldRef[]): Stage {
    const keys = fields.map((f) => this.expr(f, { stage, level: 'row' }).sql);
    const order = orderList(stage.order) || 'tuple()';
    const out = this.materialize(stage, () => [
      `row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY ${order}) AS __rn`,
      `(${keys.map((k) => `isNull(${k})`).join(' OR ')}) AS __dn`,
    ]);
    out.where.push('(__rn = 1 OR __dn)');
    return out;
  }

  private stats(stage: Stage, c: StatsCommand, countMatched = false): Stage {
    const select: string[] = countMatched ? ['count() AS __matched'] : [];
    const bindings = new Map<string, Val>();
    const keys: string[] = [];
    const order: OrderItem[] = [];
    for (const p of c.by) {
      const v = this.expr(p.expr, { stage, level: 'row' });
      if (v.type === 'json') this.fail('grouping by a map or list is not supported', p);
      const a = this.alias('k');
      select.push(`${v.sql} AS ${a}`);
      keys.push(a);
      bindings.set(p.name, { sql: a, type: v.type });
      order.push({ sql: a, desc: false });
    }
    // Aggregations first, then expressions over their names (`a - b as c`), in the order written.
    const aggregates = new Map<string, Val>();
    const compiled = new Map<Projection, Val>();
    const names = new Set(c.aggs.map((p) => p.name));
    const pending = c.aggs.filter((p) => {
      if (refersTo(p.expr, names, p.name)) return true;
      const v = this.expr(p.expr, { stage, level: 'group' });
      compiled.set(p, v);
      aggregates.set(p.name, v);
      return false;
    });
    for (const p of pending) {
      const v = this.expr(p.expr, { stage, level: 'group', aggregates });
      compiled.set(p, v);
      aggregates.set(p.name, v);
    }
    for (const p of c.aggs) {
      const v = compiled.get(p)!;
      const a = this.alias('a');
      select.push(`${v.sql} AS ${a}`);
      bindings.set(p.name, { sql: a, type: v.type });
    }
    const group = keys.length > 0 ? ` GROUP BY ${keys.join(', ')}` : ' HAVING count() > 0';
    const sql = `(SELECT ${select.join(', ')} FROM ${stage.from}${whereSql(stage.where)}${group})`;
    return { from: sql, where: [], bindings, open: false, order, limit: undefined };
  }

  /** A name from plan.ts's output list, resolved like a field reference. */
  private resolveName(stage: Stage, name: string, query: Query): Val {
    const v = stage.bindings.get(name);
    if (v !== undefined) return v;
    const segments: PathSegment[] = name.split('.').map((s) => ({ kind: 'name', name: s, quoted: false }));
    const at = { start: 0, end: query.text.length };
    return this.field({ kind: 'field', name, segments, ...at }, { stage, level: 'row' });
  }

  // -------------------------------------------------------------------------------------------
  // Conversions between value types

  private num(v: Val): string {
    switch (v.type) {
      case 'num': return v.sql;
      case 'text': return v.lit?.num !== undefined ? this.f64(v.lit.num) : `toFloat64OrNull(${v.sql})`;
      case 'bool': case 'ts': return `toFloat64(${v.sql})`;
      case 'json': return NULL_NUM;
    }
  }

  private text_(v: Val): string {
    switch (v.type) {
      case 'text': return v.sql;
      case 'num': return v.lit !== undefined ? this.str(v.lit.text) : `toString(${v.sql})`;
      case 'bool': return `toString(${v.sql})`;
      case 'ts': return `toString(fromUnixTimestamp64Milli(${v.sql}, 'UTC'))`;
      case 'json': return NULL_TEXT;
    }
  }

  private bool(v: Val): string {
    switch (v.type) {
      case 'bool': return v.sql;
      case 'num': return `(${v.sql} != 0)`;
      case 'text': return `(toFloat64OrNull(${v.sql}) != 0 OR lower(${v.sql}) = 'true')`;
      case 'ts': return `isNotNull(${v.sql})`;
      case 'json': return '0';
    }
  }

  private ts(v: Val): string {
    switch (v.type) {
      case 'ts': return v.sql;
      case 'num': return `if(${v.sql} >= ${MIN_TS} AND ${v.sql} < ${MAX_TS}, toInt64(${v.sql}), NULL)`;
      case 'text':
        return `coalesce(toInt64OrNull(${v.sql}), toUnixTimestamp64Milli(parseDateTime64BestEffortOrNull(${v.sql}, 3, 'UTC')))`;
      default: return NULL_TS;
    }
  }

  /** A value as the result column shows it. Maps and lists show as their JSON text. */
  private out(v: Val): string {
    return v.type === 'json' ? v.sql : this.text_(v);
  }

  private isStaticNumber(v: Val): boolean {
    return v.type === 'num' || v.type === 'bool';
  }

  // -------------------------------------------------------------------------------------------
  // Expressions

  private expr(e: Expr, ctx: Ctx): Val {
    switch (e.kind) {
      case 'field':
        return this.field(e, ctx);
      case 'string':
        return { sql: this.str(e.value), type: 'text', lit: { kind: 'string', text: e.value, num: numericValue(e.value) } };
      case 'number':
        if (!Number.isFinite(e.value)) this.fail(`number out of range: ${e.text}`, e);
        return { sql: this.f64(e.value), type: 'num', lit: { kind: 'number', text: e.text, num: e.value } };
      case 'bool':
        return { sql: e.value ? '1' : '0', type: 'bool' };
      case 'unary': {
        const v = this.expr(e.operand, ctx);
        if (e.op === 'not') return { sql: `(NOT ${this.bool(v)})`, type: 'bool' };
        return { sql: e.op === '-' ? `(-${this.num(v)})` : this.num(v), type: 'num' };
      }
      case 'arith':
        return this.arith(e.op, this.expr(e.left, ctx), this.expr(e.right, ctx));
      case 'compare':
        return this.compare(e.op, this.expr(e.left, ctx), this.expr(e.right, ctx));
      case 'logical': {
        const l = this.bool(this.expr(e.left, ctx));
        const r = this.bool(this.expr(e.right, ctx));
        return { sql: `(${l} ${e.op === 'and' ? 'AND' : 'OR'} ${r})`, type: 'bool' };
      }
      case 'like':
        return this.like(this.expr(e.operand, ctx), e.pattern, e.negated);
      case 'in':
        return this.inList(e.operand, e.items, e.negated, ctx);
      case 'call': {
        // After stats, `count(*)` names the stats column written that way.
        const column = ctx.stage.open || ctx.level === 'group' ? undefined : ctx.stage.bindings.get(this.text.slice(e.start, e.end).trim());
        return column ?? this.call(e, ctx);
      }
      default:
        // star, regex and duration are placed by plan.ts; anything else here is a bug.
        return this.fail(`unexpected ${e.kind}`, e);
    }
  }

  private field(e: FieldRef, ctx: Ctx): Val {
    const { stage } = ctx;
    if (ctx.level === 'group') {
      const agg = ctx.aggregates?.get(e.name);
      if (agg !== undefined) return agg;
      this.fail(`${e.name} must be inside an aggregation function (or listed after by)`, e);
    }
    const bound = stage.bindings.get(e.name);
    if (bound !== undefined) return bound;
    // AWS's own parse example extracts (?<user2>…) and then groups `by @user2`: an @-name that is
    // not a system field falls back to the field defined without the @.
    if (e.segments.length === 1 && /^@[^@]/.test(e.name) && !(e.name in LAMBDA_FIELDS)) {
      const plain = stage.bindings.get(e.name.slice(1));
      if (plain !== undefined) return plain;
    }
    // `json_message.status_code` where json_message is a jsonParse() map.
    for (let i = e.segments.length - 1; i >= 1; i--) {
      const prefix = stage.bindings.get(fieldName(e.segments.slice(0, i)));
      if (prefix?.type === 'json') return { sql: this.jsonPath(`ifNull(${prefix.sql}, '')`, e.segments.slice(i)), type: 'text' };
    }
    if (!stage.open) {
      this.fail(`field ${e.name} is not available here: after stats, only the fields that stats defines can be used`, e);
    }
    return this.discovered(e);
  }

  /**
   * A field Insights discovers in the event: JSON keys flattened with dots ("nested JSON fields
   * using the dot notation", arrays as `items.0.instanceId`), and Lambda's @-fields. A JSON key
   * that itself starts with @ is named with an extra @ (`@@example.com`).
   */
  private discovered(e: FieldRef): Val {
    const first = e.segments[0]!;
    let segments = e.segments;
    if (first.kind === 'name' && first.name.startsWith('@')) {
      if (first.name.startsWith('@@')) {
        segments = [{ ...first, name: first.name.slice(1) }, ...e.segments.slice(1)];
      } else {
        const lambda = e.segments.length === 1 ? LAMBDA_FIELDS[first.name] : undefined;
        if (lambda === undefined) return { sql: NULL_TEXT, type: 'text' };
        const [re, scale] = lambda;
        const x = `extract(message, ${this.str(re)})`;
        return scale === undefined
          ? { sql: `nullIf(${x}, '')`, type: 'text' }
          : { sql: `(toFloat64OrNull(${x}) * ${scale})`, type: 'num' };
      }
    }
    const direct = this.jsonPath('message', segments);
    if (!this.lambda) return { sql: direct, type: 'text' };
    // "CloudWatch Logs Insights automatically discovers log fields in Lambda logs, but only for the
    // first embedded JSON fragment in each log event" (`<time>\t<request id>\tINFO\t{…}`).
    const at = "position(message, '\\t{')";
    const embedded = this.jsonPath(`substring(message, ${at} + 1)`, segments);
    return {
      sql: `coalesce(${direct}, if(startsWith(log_group, '/aws/lambda/') AND NOT startsWith(message, '{') AND ${at} > 0, ${embedded}, NULL))`,
      type: 'text',
    };
  }

  /**
   * JSONExtract along a path. Unquoted dots are nesting; a backquoted segment containing dots is
   * first tried as one key (`` `user.id` `` for {"user.id": …}), then as a nested path.
   */
  private jsonPath(json: string, segments: readonly PathSegment[]): string {
    let paths: string[][] = [[]];
    for (const s of segments) {
      if (s.kind === 'index') {
        paths = paths.map((p) => [...p, String(s.index + 1)]);
      } else if (/^\d+$/.test(s.name) && !s.quoted) {
        // `items.0.instanceId`: a list position ("JSON arrays are flattened into a list of field names").
        paths = paths.map((p) => [...p, String(Number(s.name) + 1)]);
      } else if (s.quoted && s.name.includes('.') && paths.length < 4) {
        const whole = this.str(s.name);
        const parts = s.name.split('.').map((x) => this.str(x));
        paths = paths.flatMap((p) => [[...p, whole], [...p, ...parts]]);
      } else {
        const k = this.str(s.name);
        paths = paths.map((p) => [...p, k]);
      }
    }
    const one = (p: string[]): string => `JSONExtract(${json}, ${p.join(', ')}, 'Nullable(String)')`;
    return paths.length === 1 ? one(paths[0]!) : `coalesce(${paths.map(one).join(', ')})`;
  }

  private arith(op: string, a: Val, b: Val): Val {
    const x = this.num(a);
    const y = this.num(b);
    switch (op) {
      case '/': return { sql: `(${x} / nullIf(${y}, 0))`, type: 'num' };
      case '%': return { sql: `(${x} % nullIf(${y}, 0))`, type: 'num' };
      case '^': return { sql: `pow(${x}, ${y})`, type: 'num' };
      default: return { sql: `(${x} ${op} ${y})`, type: 'num' };
    }
  }

  private compare(op: string, a: Val, b: Val): Val {
    if (a.type === 'json' || b.type === 'json') return { sql: '0', type: 'bool' }; // "Comparing map and list to any other fields result in false"
    if (a.type === 'ts' || b.type === 'ts') {
      return { sql: `(${this.ts(a)} ${op} ${this.ts(b)})`, type: 'bool' };
    }
    const an = this.isStaticNumber(a);
    const bn = this.isStaticNumber(b);
    if (an && bn) return { sql: `(${this.num(a)} ${op} ${this.num(b)})`, type: 'bool' };
    if (an || bn) {
      const t = an ? b : a; // the text side
      const nSql = this.num(an ? a : b);
      if (t.lit !== undefined) {
        if (t.lit.num === undefined) return { sql: op === '!=' ? '1' : '0', type: 'bool' };
        const tn = this.f64(t.lit.num);
        return { sql: an ? `(${nSql} ${op} ${tn})` : `(${tn} ${op} ${nSql})`, type: 'bool' };
      }
      const tn = `toFloat64OrNull(${t.sql})`;
      const cmp = an ? `${nSql} ${op} ${tn}` : `${tn} ${op} ${nSql}`;
      return { sql: `if(isNull(${t.sql}), NULL, if(isNotNull(${tn}), ${cmp}, ${op === '!=' ? 1 : 0}))`, type: 'bool' };
    }
    // Text against text: numerically when both read as numbers.
    const lit = a.lit ?? b.lit;
    if (a.lit !== undefined && b.lit !== undefined) {
      const both = a.lit.num !== undefined && b.lit.num !== undefined;
      return { sql: both ? `(${this.f64(a.lit.num!)} ${op} ${this.f64(b.lit.num!)})` : `(${a.sql} ${op} ${b.sql})`, type: 'bool' };
    }
    if (lit !== undefined && lit.num === undefined) return { sql: `(${a.sql} ${op} ${b.sql})`, type: 'bool' };
    const na = a.lit?.num !== undefined ? this.f64(a.lit.num) : `toFloat64OrNull(${a.sql})`;
    const nb = b.lit?.num !== undefined ? this.f64(b.lit.num) : `toFloat64OrNull(${b.sql})`;
    return {
      sql: `if(isNotNull(${na}) AND isNotNull(${nb}), ${na} ${op} ${nb}, ${a.sql} ${op} ${b.sql})`,
      type: 'bool',
    };
  }

  private like(v: Val, pattern: StringLit | RegexLit, negated: boolean): Val {
    const t = this.text_(v);
    const m = pattern.kind === 'string'
      ? `like(${t}, ${this.str(likeContains(pattern.value))})`
      : `match(${t}, ${this.str(unnameGroups(pattern.source))})`;
    return { sql: negated ? `(NOT ${m})` : m, type: 'bool' };
  }

  /** "String matches using in must be complete string matches"; numbers match numerically. */
  private inList(operandExpr: Expr, items: Expr[], negated: boolean, ctx: Ctx): Val {
    const v = this.expr(operandExpr, ctx);
    if (v.type === 'json') return { sql: '0', type: 'bool' };
    const nums: string[] = [];
    const strs: string[] = [];
    const others: string[] = [];
    for (const item of items) {
      const iv = this.expr(item, ctx);
      if (v.type !== 'ts' && iv.lit !== undefined) {
        if (iv.lit.num !== undefined) {
          nums.push(this.f64(iv.lit.num));
          continue;
        }
        // A non-numeric string equals a text value exactly, and never a number.
        if (v.type === 'text') strs.push(iv.sql);
        continue;
      }
      others.push(this.compare('=', v, iv).sql);
    }
    const parts: string[] = [];
    if (nums.length > 0) parts.push(`${this.num(v)} IN (${nums.join(', ')})`);
    if (strs.length > 0) parts.push(`${v.sql} IN (${strs.join(', ')})`);
    parts.push(...others);
    const any = parts.length === 0 ? '0' : parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
    const sql = `if(isNull(${v.sql}), NULL, ${any})`;
    return { sql: negated ? `(NOT ${sql})` : sql, type: 'bool' };
  }

  // -------------------------------------------------------------------------------------------
  // Sorting: "All non-number values come before all number values … For non-number values, the
  // algorithm groups consecutive numeric characters and consecutive alphabetic characters into
  // separate chunks … It orders non-numeric portions by their Unicode values, and it orders
  // numeric portions by their length first and then by their numerical value." Descending is the
  // exact reverse. Missing values come last either way.

  private orderItems(v: Val, desc: boolean, at: { start: number; end: number }): OrderItem[] {
    if (v.type === 'json') this.fail('sorting by a map or list is not supported', at);
    if (v.type !== 'text') return [{ sql: `isNull(${v.sql})`, desc: false }, { sql: v.sql, desc }];
    const n = `toFloat64OrNull(${v.sql})`;
    return [
      { sql: `isNull(${v.sql})`, desc: false },
      { sql: `isNotNull(${n})`, desc },
      { sql: n, desc },
      // Number values order by value, then as written ("0", "01", "1"); the chunked key is for the rest.
      { sql: `if(isNull(${n}), ${naturalKey(v.sql)}, '')`, desc },
      { sql: v.sql, desc },
    ];
  }

  // -------------------------------------------------------------------------------------------
  // Functions

  private literalString(e: Expr | undefined, fn: string, what: string): string {
    if (e?.kind !== 'string') return this.fail(`${fn}() needs ${what} as a "string" literal`, e ?? { start: 0, end: 0 });
    return e.value;
  }

  private period(e: Expr | undefined, fn: string, at: Call): DurationLit {
    if (e?.kind !== 'duration') return this.fail(`${fn}() needs a time period such as 5m or 1h`, e ?? at);
    if (e.amount <= 0) this.fail(`the time period ${e.text} must be positive`, e);
    return e;
  }

  private floorTs(t: string, d: DurationLit): string {
    if (d.unit === 'w') {
      // Weeks start on Monday; 1970-01-05 was one (4 days after the epoch).
      const p = d.amount * 7 * MS.d;
      const off = 4 * MS.d;
      return `(${t} - ((((${t} - ${off}) % ${p}) + ${p}) % ${p}))`;
    }
    const months = d.unit === 'mo' ? d.amount : d.unit === 'q' ? 3 * d.amount : d.unit === 'y' ? 12 * d.amount : 0;
    if (months > 0) {
      // Month count since 1970-01, floored to a multiple of the period (n months, quarters, years).
      const dt = `fromUnixTimestamp64Milli(${t}, 'UTC')`;
      const m = `((toYear(${dt}) - 1970) * 12 + toMonth(${dt}) - 1)`;
      const f = `(${m} - (((${m} % ${months}) + ${months}) % ${months}))`;
      return `toUnixTimestamp64Milli(toDateTime64(makeDate32(1970 + toInt32(floor(${f} / 12)), toInt32(${f} - floor(${f} / 12) * 12 + 1), 1), 3, 'UTC'))`;
    }
    const cap = CAPS[d.unit];
    const p = Math.min(d.amount, cap ?? Infinity) * MS[d.unit as keyof typeof MS];
    return `(${t} - ((${t} % ${p}) + ${p}) % ${p})`;
  }

  private ceilTs(t: string, d: DurationLit): string {
    const f = this.floorTs(t, d);
    const months = d.unit === 'mo' ? d.amount : d.unit === 'q' ? 3 * d.amount : d.unit === 'y' ? 12 * d.amount : 0;
    if (months > 0) {
      return `if(${f} = ${t}, ${t}, toUnixTimestamp64Milli(addMonths(fromUnixTimestamp64Milli(${f}, 'UTC'), ${months})))`;
    }
    const p = d.unit === 'w' ? d.amount * 7 * MS.d : Math.min(d.amount, CAPS[d.unit] ?? Infinity) * MS[d.unit as keyof typeof MS];
    return `if(${f} = ${t}, ${t}, ${f} + ${p})`;
  }

  private timestampOf(ctx: Ctx, at: Call): string {
    const v = ctx.stage.bindings.get('@timestamp');
    if (v === undefined) {
      this.fail(`${at.rawName}() uses @timestamp, which is not available after stats unless the first stats defines it`, at);
    }
    return this.ts(v!);
  }

  private unify(vals: Val[]): { sqls: string[]; type: VType } {
    const types = new Set(vals.map((v) => v.type));
    if (types.size === 1) {
      const type = vals[0]!.type;
      if (type === 'num') return { sqls: vals.map((v) => `toFloat64(${v.sql})`), type };
      if (type !== 'text') return { sqls: vals.map((v) => v.sql), type };
    }
    return { sqls: vals.map((v) => (v.type === 'json' ? v.sql : this.text_(v))), type: 'text' };
  }

  private ipIn(t: string, valid: string, cidrs: string[], placeholder: string): string {
    const addr = `if(${valid}, ${t}, '${placeholder}')`;
    return `(${cidrs.map((c) => `isIPAddressInRange(${addr}, ${this.str(c)})`).join(' OR ')})`;
  }

  private call(e: Call, ctx: Ctx): Val {
    const name = e.name;
    // Arguments of an aggregation are per event; a scalar function keeps its caller's level.
    const rowCtx: Ctx = FUNCTIONS.get(name)?.kind === 'aggregate' ? { stage: ctx.stage, level: 'inAggregate' } : ctx;
    const args = (): Val[] => e.args.map((a) => this.expr(a, rowCtx));
    const arg = (i: number): Val => this.expr(e.args[i]!, rowCtx);
    const t = (i: number): string => this.text_(arg(i));
    const n = (i: number): string => this.num(arg(i));
    const num = (sql: string): Val => ({ sql, type: 'num' });
    const text = (sql: string): Val => ({ sql, type: 'text' });
    const bool = (sql: string): Val => ({ sql, type: 'bool' });

    switch (name) {
      // ---- numeric
      case 'abs': return num(`abs(${n(0)})`);
      case 'ceil': return num(`ceil(${n(0)})`);
      case 'floor': return num(`floor(${n(0)})`);
      case 'sqrt': return num(`sqrt(${n(0)})`);
      case 'log': return num(`log(${n(0)})`);
      case 'round': {
        const x = n(0);
        if (e.args.length === 1) return num(`if(${x} >= 0, floor(${x} + 0.5), -floor(-${x} + 0.5))`);
        const m = `pow(10, ${n(1)})`;
        return num(`(if(${x} >= 0, floor(${x} * ${m} + 0.5), -floor(-${x} * ${m} + 0.5)) / ${m})`);
      }
      case 'greatest':
      case 'least': {
        const xs = args().map((v) => `toFloat64(${this.num(v)})`);
        return num(`${name === 'greatest' ? 'arrayMax' : 'arrayMin'}(arrayFilter(x -> isNotNull(x), [${xs.join(', ')}]))`);
      }
      case 'haversine': {
        const [lat1, lon1, lat2, lon2] = [n(0), n(1), n(2), n(3)];
        return num(`(2 * 6371 * asin(sqrt(pow(sin(radians(${lat2} - ${lat1}) / 2), 2) + ` +
          `cos(radians(${lat1})) * cos(radians(${lat2})) * pow(sin(radians(${lon2} - ${lon1}) / 2), 2))))`);
      }
      case 'tonumber':
      case 'todouble': return num(n(0));
      case 'toint': {
        const x = n(0);
        return num(`if(abs(${x}) < 2147483648, toInt32(trunc(${x})), NULL)`);
      }
      case 'tolong': {
        const v = arg(0);
        const x = this.num(v);
        const exact = v.type === 'text' ? `toInt64OrNull(${v.sql})` : 'NULL';
        return num(`coalesce(${exact}, if(abs(${x}) < 9.2e18, toInt64(trunc(${x})), NULL))`);
      }

      // ---- datetime
      case 'bin':
        return { sql: this.floorTs(this.timestampOf(ctx, e), this.period(e.args[0], 'bin', e)), type: 'ts' };
      case 'datefloor':
        return { sql: this.floorTs(this.ts(arg(0)), this.period(e.args[1], e.rawName, e)), type: 'ts' };
      case 'dateceil':
        return { sql: this.ceilTs(this.ts(arg(0)), this.period(e.args[1], e.rawName, e)), type: 'ts' };
      case 'frommillis': {
        const x = n(0);
        return { sql: `if(${x} >= ${MIN_TS} AND ${x} < ${MAX_TS}, toInt64(${x}), NULL)`, type: 'ts' };
      }
      case 'tomillis': return num(this.ts(arg(0)));
      case 'now': return num(`toInt64(${this.f64(Math.floor((this.opts.nowMs ?? Date.now()) / 1000))})`);

      // ---- general
      case 'ispresent': return bool(`isNotNull(${arg(0).sql})`);
      case 'coalesce': {
        const u = this.unify(args());
        return { sql: u.sqls.length === 1 ? u.sqls[0]! : `coalesce(${u.sqls.join(', ')})`, type: u.type };
      }
      case 'if': {
        const u = this.unify([arg(1), arg(2)]);
        return { sql: `if(${this.bool(arg(0))}, ${u.sqls[0]}, ${u.sqls[1]})`, type: u.type };
      }
      case 'case': {
        const vs = args();
        const conds: string[] = [];
        const values: Val[] = [];
        for (let i = 0; i + 1 < vs.length; i += 2) {
          conds.push(this.bool(vs[i]!));
          values.push(vs[i + 1]!);
        }
        if (conds.length > 10) this.fail('case() supports up to 10 branches', e);
        const hasDefault = vs.length % 2 === 1;
        if (hasDefault) values.push(vs.at(-1)!);
        const u = this.unify(values);
        const branches = conds.map((c, i) => `${c}, ${u.sqls[i]}`);
        return { sql: `multiIf(${branches.join(', ')}, ${hasDefault ? u.sqls.at(-1) : 'NULL'})`, type: u.type };
      }
      case 'isnumeric': return bool(`isNotNull(toFloat64OrNull(${t(0)}))`);
      case 'messagesize': return num(`length(${t(0)})`);
      case 'querystarttime': return num(`toInt64(${this.f64(Math.trunc(this.opts.startMs))})`);
      case 'queryendtime': return num(`toInt64(${this.f64(Math.trunc(this.opts.endMs))})`);
      case 'querytimerange': return num(`toInt64(${this.f64(Math.trunc(this.opts.endMs - this.opts.startMs))})`);

      // ---- JSON
      case 'jsonparse': {
        const s = t(0);
        return { sql: `if(isValidJSON(ifNull(${s}, '')) AND match(ifNull(${s}, ''), '^\\\\s*[\\\\[{]'), ${s}, ${NULL_TEXT})`, type: 'json' };
      }
      case 'jsonstringify': {
        const v = arg(0);
        return text(v.type === 'json' ? v.sql : NULL_TEXT);
      }
      case 'jsonarraysize': {
        const v = arg(0);
        const s = `ifNull(${v.type === 'json' ? v.sql : this.text_(v)}, '')`;
        return num(`if(JSONType(${s}) = 'Array', toFloat64(JSONLength(${s})), NULL)`);
      }
      case 'jsonarraycontains': {
        const v = arg(0);
        const s = `ifNull(${v.type === 'json' ? v.sql : this.text_(v)}, '')`;
        return bool(`(JSONType(${s}) = 'Array' AND has(JSONExtract(${s}, 'Array(Nullable(String))'), ${t(1)}))`);
      }

      // ---- IP addresses
      case 'isvalidip': { const s = t(0); return bool(`coalesce(isIPv4String(${s}) OR isIPv6String(${s}), 0)`); }
      case 'isvalidipv4': return bool(`coalesce(isIPv4String(${t(0)}), 0)`);
      case 'isvalidipv6': return bool(`coalesce(isIPv6String(${t(0)}), 0)`);
      case 'isipinsubnet':
      case 'isipv4insubnet':
      case 'isipv6insubnet': {
        const family = name === 'isipv4insubnet' ? 4 : name === 'isipv6insubnet' ? 6 : 'any';
        const cidr = this.literalString(e.args[1], e.rawName, 'the subnet in CIDR notation');
        if (!validCidr(cidr, family)) {
          this.fail(`${e.rawName}(): ${JSON.stringify(cidr)} is not a${family === 'any' ? 'n IPv4 or IPv6' : family === 4 ? 'n IPv4' : 'n IPv6'} subnet in CIDR notation`, e.args[1]!);
        }
        const s = t(0);
        const v4 = cidr.includes(':') ? '0' : `isIPv4String(${s})`;
        const v6 = cidr.includes(':') ? `isIPv6String(${s})` : '0';
        const valid = family === 4 ? `isIPv4String(${s})` : family === 6 ? `isIPv6String(${s})` : `(${v4} OR ${v6})`;
        const ph = cidr.includes(':') ? '::' : '0.0.0.0';
        return bool(`coalesce(${valid} AND ${this.ipIn(s, valid, [cidr], ph)}, 0)`);
      }
      case 'ipv4tonumber': return num(`IPv4StringToNumOrNull(${t(0)})`);
      case 'isprivateip': {
        const s = t(0);
        const v4 = `isIPv4String(${s})`;
        return bool(`coalesce(${v4} AND ${this.ipIn(s, v4, PRIVATE_V4, '0.0.0.0')}, 0)`);
      }
      case 'isreservedip':
      case 'ispublicip': {
        const s = t(0);
        const v4 = `isIPv4String(${s})`;
        const v6 = `isIPv6String(${s})`;
        const reserved = `((${v4} AND ${this.ipIn(s, v4, RESERVED_V4, '0.0.0.0')}) OR (${v6} AND ${this.ipIn(s, v6, RESERVED_V6, '::')}))`;
        return bool(name === 'isreservedip' ? `coalesce(${reserved}, 0)` : `coalesce((${v4} OR ${v6}) AND NOT ${reserved}, 0)`);
      }

      // ---- strings
      case 'isempty': return bool(`coalesce(empty(${t(0)}), 1)`);
      case 'isblank': return bool(`coalesce(match(${t(0)}, '^\\\\s*$'), 1)`);
      case 'concat': {
        const parts = args().map((v) => `ifNull(${this.text_(v)}, '')`);
        return text(parts.length === 1 ? parts[0]! : `concat(${parts.join(', ')})`);
      }
      case 'ltrim':
      case 'rtrim':
      case 'trim': {
        const s = t(0);
        // "If the function has a second string argument, it does not remove white space. Instead,
        // it removes the characters in trimChars" (a set of characters: ltrim("xyZxyfooxyZ","xyZ") = "fooxyZ").
        let cls = '\\s';
        if (e.args.length === 2) {
          const chars = this.literalString(e.args[1], e.rawName, 'the characters to remove');
          if (chars === '') return text(s);
          cls = classEscape(chars);
        }
        const re = name === 'ltrim' ? `^[${cls}]+` : name === 'rtrim' ? `[${cls}]+$` : `^[${cls}]+|[${cls}]+$`;
        return text(`${name === 'trim' ? 'replaceRegexpAll' : 'replaceRegexpOne'}(${s}, ${this.str(re)}, '')`);
      }
      case 'strlen': return num(`lengthUTF8(${t(0)})`);
      case 'toupper': return text(`upperUTF8(${t(0)})`);
      case 'tolower': return text(`lowerUTF8(${t(0)})`);
      case 'substr': {
        // Zero-based start: substr("xyZfooxyZ", 3, 3) = "foo".
        const s = t(0);
        const start = `toInt64(greatest(${n(1)}, 0)) + 1`;
        if (e.args.length === 2) return text(`substringUTF8(${s}, ${start})`);
        return text(`substringUTF8(${s}, ${start}, toInt64(greatest(${n(2)}, 0)))`);
      }
      case 'replace': return text(`replaceAll(${t(0)}, ${t(1)}, ${t(2)})`);
      case 'regexreplace': {
        const s = t(0);
        const re = this.literalString(e.args[1], e.rawName, 'the pattern');
        checkRegex(re, (msg, i) => this.fail(msg, { start: e.args[1]!.start + 1 + i, end: e.args[1]!.start + 2 + i }));
        const r = e.args[2]!;
        // `$1` (Java) → `\1` (RE2); a literal backslash must be doubled for ClickHouse.
        const repl = r.kind === 'string' ? this.str(r.value.replace(/\\/g, '\\\\').replace(/\$(\d)/g, '\\$1')) : t(2);
        return text(`replaceRegexpAll(${s}, ${this.str(re)}, ${repl})`);
      }
      case 'strcontains': {
        let ci = false;
        if (e.args.length === 3) {
          const c = e.args[2]!;
          if (c.kind !== 'bool') this.fail(`${e.rawName}() takes true or false as its third argument`, c);
          ci = c.value;
        }
        return bool(`coalesce(${ci ? 'positionCaseInsensitiveUTF8' : 'position'}(${t(0)}, ${t(1)}) > 0, 0)`);
      }
      case 'startswith': return bool(`coalesce(startsWith(${t(0)}, ${t(1)}), 0)`);
      case 'endswith': return bool(`coalesce(endsWith(${t(0)}, ${t(1)}), 0)`);
      case 'urlencode': return text(`encodeURLFormComponent(${t(0)})`);
      case 'urldecode': return text(`decodeURLFormComponent(${t(0)})`);
      case 'base64encode': return text(`base64Encode(${t(0)})`);
      case 'base64decode': return text(`tryBase64Decode(${t(0)})`);
      case 'split': {
        const s = t(0);
        const d = this.literalString(e.args[1], e.rawName, 'the delimiter');
        return { sql: `if(isNull(${s}), ${NULL_TEXT}, toJSONString(splitByString(${this.str(d)}, ifNull(${s}, ''))))`, type: 'json' };
      }
      case 'hextoascii': return text(`unhex(replaceRegexpOne(${t(0)}, '^0[xX]', ''))`);
      case 'hextodec': {
        const h = `replaceRegexpOne(${t(0)}, '^0[xX]', '')`;
        return num(`if(match(${h}, '^[0-9a-fA-F]{1,16}$'), reinterpretAsUInt64(reverse(unhex(leftPad(${h}, 16, '0')))), NULL)`);
      }
      case 'dectohex': {
        const x = n(0);
        return text(`if(abs(${x}) < 18446744073709551616, concat(if(${x} < 0, '-0x', '0x'), lower(hex(toUInt64(abs(trunc(${x})))))), NULL)`);
      }

      // ---- aggregations (plan.ts allows them only at the top of a stats expression)
      case 'count':
        if (e.args.length === 0 || e.args[0]!.kind === 'star') return num('count()');
        return num(`count(${arg(0).sql})`);
      case 'count_distinct': return num(`uniqExact(${arg(0).sql})`);
      case 'sum': return num(`sum(${n(0)})`);
      case 'avg': return num(`avg(${n(0)})`);
      case 'stddev': {
        // Sample standard deviation (n − 1); undefined (no result) for a single value.
        const s = `stddevSamp(${n(0)})`;
        return num(`if(isNaN(${s}), NULL, ${s})`);
      }
      case 'min':
      case 'max': {
        const v = arg(0);
        if (v.type === 'json') this.fail(`${e.rawName}() of a map or list is not supported`, e);
        if (v.type !== 'text') return { sql: `${name}(${v.sql})`, type: v.type };
        // Numbers compare as numbers; a field with no numeric value compares as strings.
        const x = `toFloat64OrNull(${v.sql})`;
        const arg2 = name === 'min' ? 'argMinIf' : 'argMaxIf';
        return text(`if(countIf(isNotNull(${x})) > 0, ${arg2}(${v.sql}, ${x}, isNotNull(${x})), ${name}(${v.sql}))`);
      }
      case 'pct': {
        const p = e.args[1]!;
        if (p.kind !== 'number' || p.value < 0 || p.value > 100) this.fail('pct() takes a percentile between 0 and 100 as a number', p);
        // Nearest rank: the smallest value with at least p % of the values at or below it (a value from the data).
        const x = n(0);
        const cnt = `countIf(isNotNull(${x}))`;
        return num(`if(${cnt} = 0, NULL, arrayElement(arraySort(groupArrayIf(${x}, isNotNull(${x}))), ` +
          `toUInt64(greatest(1, ceil(${this.f64((p as { value: number }).value)} / 100 * ${cnt})))))`);
      }
      case 'earliest':
      case 'latest': {
        const v = arg(0);
        const ts = this.timestampOf(rowCtx, e);
        return { sql: `${name === 'earliest' ? 'argMinIf' : 'argMaxIf'}(${v.sql}, ${ts}, isNotNull(${v.sql}))`, type: v.type };
      }
      case 'sortsfirst':
      case 'sortslast': {
        const v = arg(0);
        if (v.type === 'json') this.fail(`${e.rawName}() of a map or list is not supported`, e);
        if (v.type !== 'text') return { sql: `${name === 'sortsfirst' ? 'min' : 'max'}(${v.sql})`, type: v.type };
        const x = `toFloat64OrNull(${v.sql})`;
        const key = `tuple(isNotNull(${x}), ifNull(${x}, 0), ${naturalKey(v.sql)}, ifNull(${v.sql}, ''))`;
        return text(`${name === 'sortsfirst' ? 'argMinIf' : 'argMaxIf'}(${v.sql}, ${key}, isNotNull(${v.sql}))`);
      }
      default:
        return this.fail(`unknown function ${e.rawName}`, e);
    }
  }
}

/**
 * A string whose byte order is the documented natural order of non-number values: digit runs
 * become '0' + their zero-padded length + the digits (a digit run still compares with other
 * characters as its first digit would), other runs end with a NUL so a shorter run sorts first.
 */
function naturalKey(s: string): string {
  return `arrayStringConcat(arrayMap(c -> if(match(c, '^[0-9]'), concat('0', leftPad(toString(length(c)), 8, '0'), c), ` +
    `concat(c, char(0))), extractAll(ifNull(${s}, ''), '[0-9]+|[^0-9]+')))`;
}

function whereSql(where: string[]): string {
  return where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
}

function orderList(order: OrderItem[]): string {
  return order.map((o) => `${o.sql} ${o.desc ? 'DESC' : 'ASC'}`).join(', ');
}

function orderSql(order: OrderItem[]): string {
  return order.length === 0 ? '' : ` ORDER BY ${orderList(order)}`;
}

