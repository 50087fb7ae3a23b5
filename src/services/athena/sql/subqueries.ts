/**
 * The Trino grammar of node-sql-parser 5.4 rejects a subquery used as a value (`x = (SELECT
 * max(y) …)`, `(SELECT count(*) …) AS n`) and a bare `EXISTS (SELECT …)` ("invalid column clause
 * with select statement"). Before parsing, each such subquery is lifted out of the text: it is
 * parsed on its own and its place takes a placeholder call `sq_<nonce>_<n>()` that the expression
 * compiler maps back. Subqueries the grammar does handle (FROM, JOIN, IN, WITH … AS, UNION
 * branches) stay in place. Strings, quoted identifiers and comments are skipped while scanning.
 */
import type { Node } from './errors.ts';

export interface Lifted {
  /** 'filter': the placeholder of an aggregate's FILTER clause (filter-clause.ts), with no AST. */
  kind: 'scalar' | 'exists' | 'filter';
  ast?: Node;
}

export interface Extracted {
  sql: string;
  lifted: Map<string, Lifted>;
}

/** Tokens after which a parenthesised SELECT is a relation or a list, which the grammar parses itself. */
const KEEP_AFTER = new Set(['FROM', 'JOIN', 'IN', 'AS', 'UNION', 'ALL', 'DISTINCT', 'INTERSECT', 'EXCEPT', 'LATERAL', '(']);
const CLAUSES = new Set(['SELECT', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'ON', 'USING', 'WITH', 'UNION', 'JOIN']);

export interface Token { text: string; start: number; end: number }

/** The end (exclusive) of the string, quoted identifier or comment starting at i, or i when none starts there. */
function skipOpaque(s: string, i: number): number {
  const c = s[i];
  if (c === "'" || c === '"' || c === '`') {
    let j = i + 1;
    while (j < s.length) {
      if (s[j] === c) {
        if (s[j + 1] === c) { j += 2; continue; }
        return j + 1;
      }
      j++;
    }
    return s.length;
  }
  if (c === '-' && s[i + 1] === '-') { const e = s.indexOf('\n', i); return e < 0 ? s.length : e + 1; }
  if (c === '/' && s[i + 1] === '*') { const e = s.indexOf('*/', i + 2); return e < 0 ? s.length : e + 2; }
  return i;
}

export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const skip = skipOpaque(s, i);
    if (skip !== i) {
      if (s[i] === "'" || s[i] === '"' || s[i] === '`') out.push({ text: 'LITERAL', start: i, end: skip });
      i = skip;
      continue;
    }
    if (/\s/.test(s[i]!)) { i++; continue; }
    const word = /^[A-Za-z_][\w$]*/.exec(s.slice(i, i + 256));
    const text = word ? word[0].toUpperCase() : s[i]!;
    out.push({ text, start: i, end: i + (word ? word[0].length : 1) });
    i += word ? word[0].length : 1;
  }
  return out;
}

/** Index of the token closing the parenthesis opened at token `open`. */
function closing(tokens: Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    if (tokens[j]!.text === '(') depth++;
    else if (tokens[j]!.text === ')' && --depth === 0) return j;
  }
  return tokens.length - 1;
}

export function extractSubqueries(sql: string, parse: (text: string) => Node, lifted = new Map<string, Lifted>(),
  nonce = Math.random().toString(36).slice(2, 8)): Extracted {
  const tokens = tokenize(sql);
  const clauses: (string | null)[] = [null];
  let out = '';
  let copied = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.text === '(') clauses.push(null);
    else if (t.text === ')') clauses.pop();
    else if (CLAUSES.has(t.text)) clauses[clauses.length - 1] = t.text;
    const next = tokens[i + 1]?.text;
    if (t.text !== '(' || (next !== 'SELECT' && next !== 'WITH')) continue;
    const prev = tokens[i - 1]?.text;
    const outerClause = clauses[clauses.length - 2] ?? null;
    // `coalesce((SELECT …), 0)`: a parenthesis after a function's own opens a value.
    const inCall = prev === '(' && /^[A-Z_]/.test(tokens[i - 2]?.text ?? '') && !KEEP_AFTER.has(tokens[i - 2]!.text) && !CLAUSES.has(tokens[i - 2]!.text);
    if (prev === undefined || (KEEP_AFTER.has(prev) && !inCall) || (prev === ',' && (outerClause === 'FROM' || outerClause === 'WITH'))) continue;
    const end = closing(tokens, i);
    const exists = prev === 'EXISTS';
    const from = exists ? tokens[i - 1]!.start : t.start;
    // Blanking (not dropping) the text before the subquery keeps its error positions (line:column) right
    // (a comment: the parser trims leading whitespace).
    const blank = sql.slice(0, tokens[i + 1]!.start).replace(/[^\n]/g, ' ');
    const before = blank.length >= 4 ? `/*${blank.slice(2, -2)}*/` : blank;
    const inner = extractSubqueries(before + sql.slice(tokens[i + 1]!.start, tokens[end]!.start), parse, lifted, nonce).sql;
    const name = `sq_${nonce}_${lifted.size}`;
    lifted.set(name, { kind: exists ? 'exists' : 'scalar', ast: parse(inner) });
    out += `${sql.slice(copied, from)}${name}()`;
    copied = tokens[end]!.end;
    clauses.pop();
    i = end;
  }
  return { sql: out + sql.slice(copied), lifted };
}
