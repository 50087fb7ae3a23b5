/**
 * Lake SQL expressions (node-sql-parser's Trino AST) → ClickHouse SQL. Only the node types and
 * functions listed here compile; anything else is refused with a message naming it, so nothing
 * the user writes reaches ClickHouse except through this whitelist (identifiers map to fixed
 * expressions, literals are re-quoted).
 */
import { andOrGroups } from '../../../../lib/sql/and-or-groups.ts';
import { EVENT_TIME_SQL, MAP_FIELDS, SCALAR_FIELDS, memberAsString, quote } from './fields.ts';

export class UnsupportedQuery extends Error {}

/* eslint-disable @typescript-eslint/no-explicit-any -- node-sql-parser's AST is loosely typed */
export type Node = any;

const unsupported = (what: string): never => {
  throw new UnsupportedQuery(what);
};

const COMPARE = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);
const ARITH = new Set(['+', '-', '*', '/', '%']);
const AGGREGATES = new Set(['COUNT', 'MIN', 'MAX', 'SUM', 'AVG', 'APPROX_DISTINCT']);
const PLAIN_FUNCTIONS: Record<string, string> = {
  lower: 'lower', upper: 'upper', coalesce: 'coalesce', length: 'lengthUTF8', concat: 'concat', trim: 'trimBoth',
  substr: 'substringUTF8', substring: 'substringUTF8', abs: 'abs', round: 'round',
};
const TRUNC_UNITS = new Set(['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']);

/** The field path a column reference names (`userIdentity.arn`), or undefined for `*`. */
export function columnPath(node: Node, storeAliases: ReadonlySet<string>): string {
  const col = typeof node.column === 'string' ? node.column : node.column?.expr?.value;
  if (typeof col !== 'string') return unsupported('this column reference');
  const table = typeof node.table === 'string' ? node.table : null;
  return table && !storeAliases.has(table) ? `${table}.${col}` : col;
}

export class ExprCompiler {
  constructor(private readonly storeAliases: ReadonlySet<string>) {}

  compile(node: Node): string {
    switch (node?.type) {
      case 'column_ref': return this.column(node);
      case 'single_quote_string': case 'string': case 'double_quote_string': return quote(String(node.value));
      case 'number': return this.number(node.value);
      case 'bool': return node.value ? 'true' : 'false';
      case 'null': return 'NULL';
      case 'binary_expr': return this.binary(node);
      case 'unary_expr': return this.unary(node);
      case 'aggr_func': return this.aggregate(node);
      case 'function': return this.call(node);
      case 'expr_list': return `(${(node.value as Node[]).map((v) => this.compile(v)).join(', ')})`;
      case 'case': return this.caseExpr(node);
      default: return unsupported(node?.ast || node?.type === 'select' ? 'subqueries' : `expression type ${String(node?.type)}`);
    }
  }

  private number(v: unknown): string {
    const n = Number(v);
    if (!Number.isFinite(n)) unsupported(`number ${String(v)}`);
    return String(n);
  }

  private column(node: Node): string {
    const path = columnPath(node, this.storeAliases);
    if (path === '*') return unsupported('* outside SELECT * or count(*)');
    const key = path.toLowerCase();
    const scalar = SCALAR_FIELDS.get(key);
    if (scalar) return scalar;
    const member = MAP_FIELDS.get(key);
    if (member) return memberAsString([member]);
    return unsupported(`column ${path} (not in the CloudTrail event schema)`);
  }

  private binary(node: Node): string {
    const op = String(node.operator).toUpperCase();
    // The parser groups AND and OR as equals; regrouped so AND binds tighter, as SQL defines.
    if (op === 'AND' || op === 'OR') {
      const anded = andOrGroups(node).map((g) => `(${g.map((o) => this.compile(o)).join(' AND ')})`);
      return anded.length === 1 ? anded[0]! : `(${anded.join(' OR ')})`;
    }
    const time = this.timeComparison(op, node.left, node.right);
    if (time) return time;
    const l = this.compile(node.left);
    if (COMPARE.has(op)) return `(${l} ${op === '<>' ? '!=' : op} ${this.compile(node.right)})`;
    if (ARITH.has(op)) return `(${l} ${op} ${this.compile(node.right)})`;
    if (op === '||') return `concat(${l}, ${this.compile(node.right)})`;
    if (op === 'IN' || op === 'NOT IN') return `(${l} ${op} ${this.list(node.right)})`;
    if (op === 'LIKE' || op === 'NOT LIKE') return `(${l} ${op} ${this.compile(node.right)})`;
    if (op === 'IS' || op === 'IS NOT') {
      if (node.right?.type === 'null') return `(${l} ${op} NULL)`;
      if (node.right?.type === 'bool') return `(${l} ${op === 'IS' ? '=' : '!='} ${node.right.value ? 'true' : 'false'})`;
      return unsupported(`${op} with anything but NULL, TRUE or FALSE`);
    }
    if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
      const [a, b] = node.right?.value ?? [];
      return `(${l} ${op} ${this.compile(a)} AND ${this.compile(b)})`;
    }
    return unsupported(`operator ${op}`);
  }

  private list(node: Node): string {
    if (node?.type !== 'expr_list') return unsupported('IN with anything but a list of values');
    return `(${(node.value as Node[]).map((v) => this.compile(v)).join(', ')})`;
  }

  /**
   * eventTime against a timestamp string (`eventTime > '2026-12-01 00:00:00'`) compares the stored
   * epoch milliseconds, so the table's sort key prunes the scan.
   */
  private timeComparison(op: string, left: Node, right: Node): string | undefined {
    if (!COMPARE.has(op)) return undefined;
    const isTime = (n: Node) => n?.type === 'column_ref' && columnPath(n, this.storeAliases).toLowerCase() === 'eventtime';
    const isString = (n: Node) => n?.type === 'single_quote_string' || n?.type === 'string';
    if (!(isTime(left) && isString(right)) && !(isString(left) && isTime(right))) return undefined;
    const literal = String(isString(left) ? left.value : right.value);
    const ms = parseTimestamp(literal);
    const sqlOp = op === '<>' ? '!=' : op;
    return isTime(left) ? `(event_time ${sqlOp} ${ms})` : `(${ms} ${sqlOp} event_time)`;
  }

  private unary(node: Node): string {
    const op = String(node.operator).toUpperCase();
    if (op === 'NOT') return `(NOT ${this.compile(node.expr)})`;
    if (op === '-') return `(-${this.compile(node.expr)})`;
    return unsupported(`operator ${op}`);
  }

  private aggregate(node: Node): string {
    const name = String(node.name).toUpperCase();
    if (node.over) unsupported('window functions (OVER)');
    if (!AGGREGATES.has(name)) unsupported(`aggregate ${name}`);
    const arg = node.args?.expr;
    if (name === 'COUNT' && arg?.type === 'star') return 'count()';
    const inner = this.compile(arg);
    if (name === 'APPROX_DISTINCT') return `uniq(${inner})`;
    if (node.args?.distinct) {
      if (name !== 'COUNT') unsupported(`${name}(DISTINCT …)`);
      return `countDistinct(${inner})`;
    }
    return `${name.toLowerCase()}(${inner})`;
  }

  private call(node: Node): string {
    const name = String(node.name?.name?.map((p: Node) => p.value).join('.') ?? '').toLowerCase();
    if (node.over) unsupported('window functions (OVER)');
    const args: Node[] = node.args?.value ?? [];
    switch (name) {
      case 'element_at': return this.elementAt(args);
      case 'json_extract_scalar': case 'json_extract': return this.jsonExtract(args);
      case 'date_trunc': return this.dateTrunc(args);
      case 'date_add': return this.dateAdd(args);
      case 'now': case 'current_timestamp': return "now64(3, 'UTC')";
      case 'from_iso8601_timestamp': return `parseDateTime64BestEffort(${this.compile(args[0])}, 3, 'UTC')`;
      default: {
        const fn = PLAIN_FUNCTIONS[name];
        if (!fn) return unsupported(`function ${name}`);
        return `${fn}(${args.map((a) => this.compile(a)).join(', ')})`;
      }
    }
  }

  /** element_at(requestParameters, 'logGroupName'): one member of a map column. */
  private elementAt(args: Node[]): string {
    const [map, key] = args;
    const member = map?.type === 'column_ref' ? MAP_FIELDS.get(columnPath(map, this.storeAliases).toLowerCase()) : undefined;
    if (!member || (key?.type !== 'single_quote_string' && key?.type !== 'string')) {
      return unsupported('element_at except element_at(<map column such as requestParameters>, \'<key>\')');
    }
    return memberAsString([member, String(key.value)]);
  }

  /** json_extract_scalar(requestParameters, '$.a.b'): a path below a map or struct column. */
  private jsonExtract(args: Node[]): string {
    const [col, path] = args;
    const member = col?.type === 'column_ref' ? MAP_FIELDS.get(columnPath(col, this.storeAliases).toLowerCase()) : undefined;
    const text = path?.type === 'single_quote_string' || path?.type === 'string' ? String(path.value) : '';
    if (!member || !/^\$(\.[A-Za-z0-9_-]+)+$/.test(text)) {
      return unsupported("json_extract_scalar except json_extract_scalar(<map column such as requestParameters>, '$.member.path')");
    }
    return memberAsString([member, ...text.slice(2).split('.')]);
  }

  private dateTrunc(args: Node[]): string {
    const unit = String(args[0]?.value ?? '').toLowerCase();
    if (!TRUNC_UNITS.has(unit)) return unsupported(`date_trunc unit ${unit}`);
    return `toDateTime64(date_trunc(${quote(unit)}, ${this.compile(args[1])}), 3, 'UTC')`;
  }

  /** date_add('day', -7, now()): the timestamp moved by a whole number of units. */
  private dateAdd(args: Node[]): string {
    const unit = String(args[0]?.value ?? '').toLowerCase();
    if (!TRUNC_UNITS.has(unit) || args.length !== 3) return unsupported(`date_add unit ${unit}`);
    return `(${this.compile(args[2])} + toInterval${unit[0]!.toUpperCase()}${unit.slice(1)}(${this.compile(args[1])}))`;
  }

  private caseExpr(node: Node): string {
    if (node.expr) unsupported('CASE <value> WHEN (use CASE WHEN <condition>)');
    const parts: string[] = [];
    let otherwise = 'NULL';
    for (const arm of node.args as Node[]) {
      if (arm.type === 'when') parts.push(`${this.compile(arm.cond)}, ${this.compile(arm.result)}`);
      else otherwise = this.compile(arm.result);
    }
    return `multiIf(${parts.join(', ')}, ${otherwise})`;
  }
}

/** `2026-12-01 00:00:00`, `2026-12-01T00:00:00Z`, `2026-12-01` (UTC) → epoch ms. */
export function parseTimestamp(s: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(Z|[+-]\d{2}:?\d{2})?$/.exec(s.trim());
  const ms = m ? Date.parse(`${m[1]}T${m[2] ?? '00:00:00'}${m[3] ?? 'Z'}`) : NaN;
  if (!Number.isFinite(ms)) unsupported(`timestamp '${s}' (use 'YYYY-MM-DD HH:MM:SS')`);
  return ms;
}

export { EVENT_TIME_SQL };
