/**
 * Typed AST of a CloudWatch Logs Insights (Logs Insights QL) query: `parse.ts` builds it, `plan.ts`
 * checks it against the language's rules, `sql.ts` compiles it to ClickHouse SQL.
 *
 * Every node carries its `[start, end)` offsets in the query text, so errors can point at the text
 * and unaliased columns can be named after what the user typed (`count(*)`, `bin(5m)`).
 */

export interface Span {
  start: number;
  end: number;
}

/** One step of a field path: `a.b.0`, `` a.`b.c` ``, `a[1]`. */
export type PathSegment =
  | { kind: 'name'; name: string; quoted: boolean }
  | { kind: 'index'; index: number };

export type TimeUnit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'mo' | 'q' | 'y';

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '^';
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr =
  | FieldRef
  | StringLit
  | NumberLit
  | BoolLit
  | RegexLit
  | DurationLit
  | Star
  | Call
  | Unary
  | Arith
  | Compare
  | Logical
  | Like
  | InList;

export interface FieldRef extends Span {
  kind: 'field';
  /** The field's name as Insights displays it: segments joined with '.', indexes as `.N`. */
  name: string;
  segments: PathSegment[];
}

export interface StringLit extends Span {
  kind: 'string';
  value: string;
}

export interface NumberLit extends Span {
  kind: 'number';
  value: number;
  /** As written, e.g. `200`, `0.5`. */
  text: string;
}

export interface BoolLit extends Span {
  kind: 'bool';
  value: boolean;
}

/** `/…/` — only where the language takes a regular expression (`like`, `=~`, `parse`). */
export interface RegexLit extends Span {
  kind: 'regex';
  /** The expression between the slashes, `\/` unescaped to `/`. */
  source: string;
}

/** A time period: `5m`, `1h`, `300s`, `2hrs`. */
export interface DurationLit extends Span {
  kind: 'duration';
  amount: number;
  unit: TimeUnit;
  text: string;
}

/** `*` in `count(*)`. */
export interface Star extends Span {
  kind: 'star';
}

export interface Call extends Span {
  kind: 'call';
  /** Lower-cased: function names are case-insensitive (`isPresent`, `SUM`, `BIN`). */
  name: string;
  /** As written, for messages. */
  rawName: string;
  args: Expr[];
}

export interface Unary extends Span {
  kind: 'unary';
  op: 'not' | '-' | '+';
  operand: Expr;
}

export interface Arith extends Span {
  kind: 'arith';
  op: ArithOp;
  left: Expr;
  right: Expr;
}

export interface Compare extends Span {
  kind: 'compare';
  op: CompareOp;
  left: Expr;
  right: Expr;
}

export interface Logical extends Span {
  kind: 'logical';
  op: 'and' | 'or';
  left: Expr;
  right: Expr;
}

/** `x like "sub"`, `x like /re/`, `x =~ /re/`, `x not like …`. */
export interface Like extends Span {
  kind: 'like';
  negated: boolean;
  operand: Expr;
  pattern: StringLit | RegexLit;
}

/** `x in [a, b]`, `x not in [a, b]`. */
export interface InList extends Span {
  kind: 'in';
  negated: boolean;
  operand: Expr;
  items: Expr[];
}

/** `expr [as alias]` in fields, display and stats. `name` is the column name it produces. */
export interface Projection extends Span {
  expr: Expr;
  alias?: string;
  /** The alias, or the field's name, or the expression's text as written. */
  name: string;
}

export interface SortKey extends Span {
  expr: Expr;
  desc: boolean;
}

export type Command =
  | FieldsCommand
  | DisplayCommand
  | FilterCommand
  | StatsCommand
  | SortCommand
  | LimitCommand
  | DedupCommand
  | ParseCommand;

export interface FieldsCommand extends Span {
  kind: 'fields';
  items: Projection[];
}

export interface DisplayCommand extends Span {
  kind: 'display';
  items: Projection[];
}

export interface FilterCommand extends Span {
  kind: 'filter';
  cond: Expr;
}

export interface StatsCommand extends Span {
  kind: 'stats';
  aggs: Projection[];
  by: Projection[];
}

export interface SortCommand extends Span {
  kind: 'sort';
  keys: SortKey[];
}

export interface LimitCommand extends Span {
  kind: 'limit';
  count: number;
}

export interface DedupCommand extends Span {
  kind: 'dedup';
  fields: FieldRef[];
}

export type ParseCommand = ParseGlobCommand | ParseRegexCommand;

export interface ParseGlobCommand extends Span {
  kind: 'parse';
  mode: 'glob';
  source: FieldRef;
  pattern: string;
  names: string[];
}

export interface ParseRegexCommand extends Span {
  kind: 'parse';
  mode: 'regex';
  source: FieldRef;
  /** The regular expression as written (named groups `(?<name>…)` define the fields). */
  regex: string;
  /**
   * One entry per capturing group, in order: the field it fills (its `(?<name>…)`, or the `as`
   * name at its position), or null for a group that only structures the expression.
   */
  names: (string | null)[];
}

export interface Query {
  text: string;
  commands: Command[];
}
