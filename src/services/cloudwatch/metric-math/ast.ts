/** Typed AST of a metric math expression (see parse.ts for the grammar). */
import type { SearchQuery } from './search/ast.ts';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '^';
export type ComparisonOp = '==' | '!=' | '<' | '>' | '<=' | '>=';
/** `&&` and `||` are parsed to AND and OR. */
export type LogicalOp = 'AND' | 'OR';
export type BinaryOp = ArithmeticOp | ComparisonOp | LogicalOp;

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  /** A bare uppercase word used as an argument: AVG/MIN/MAX/SUM and ASC/DESC in SORT, REPEAT/LINEAR in FILL. */
  | { kind: 'keyword'; name: Keyword }
  /** The Id of another query of the request (metric or expression). */
  | { kind: 'id'; name: string }
  /** `[a, b, …]`: an array of time series; nested arrays are flattened. */
  | { kind: 'array'; items: Expr[] }
  | { kind: 'negate'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { kind: 'call'; name: string; args: Expr[] }
  /** SEARCH('query', 'Statistic'[, Period]); the query is parsed with the expression. */
  | { kind: 'search'; query: SearchQuery; statistic: string; period?: number }
  /** A function AWS documents that Osprey does not implement; evaluating it is an error. */
  | { kind: 'unsupported'; name: string };

export const KEYWORDS = ['AVG', 'MIN', 'MAX', 'SUM', 'ASC', 'DESC', 'REPEAT', 'LINEAR'] as const;
export type Keyword = (typeof KEYWORDS)[number];
export const isKeyword = (word: string): word is Keyword => (KEYWORDS as readonly string[]).includes(word);
