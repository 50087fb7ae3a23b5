/**
 * Aggregates with `FILTER (WHERE cond)`, which node-sql-parser's Trino grammar does not parse.
 * Before parsing, `agg(args) FILTER (WHERE cond)` becomes `fl_<nonce>(cond, agg(args))`: a
 * placeholder call the expression compiler recognises, compiling the aggregate with its arguments
 * filtered (aggregates.ts). Strings, quoted identifiers and comments are skipped while scanning.
 */
import { tokenize } from './subqueries.ts';

export const filterNonce = (): string => Math.random().toString(36).slice(2, 8);

export function rewriteFilterClauses(sql: string, nonce: string): string {
  const tokens = tokenize(sql);
  const edits: { from: number; to: number; text: string }[] = [];
  for (let i = 1; i + 2 < tokens.length; i++) {
    if (tokens[i]!.text !== 'FILTER' || tokens[i - 1]!.text !== ')' || tokens[i + 1]!.text !== '(' || tokens[i + 2]!.text !== 'WHERE') continue;
    const open = matching(tokens, i - 1, -1);
    const close = matching(tokens, i + 1, 1);
    const name = tokens[open - 1];
    if (open < 1 || close < 0 || !name || !/^[A-Z_]/.test(name.text)) continue;
    const call = sql.slice(name.start, tokens[i - 1]!.end);
    const cond = sql.slice(tokens[i + 2]!.end, tokens[close]!.start);
    edits.push({ from: name.start, to: tokens[close]!.end, text: `fl_${nonce}(${cond}, ${call})` });
  }
  // Outermost first wins; nested FILTERs (inside a condition) are left to the grammar's error.
  let out = '';
  let copied = 0;
  for (const e of edits) {
    if (e.from < copied) continue;
    out += sql.slice(copied, e.from) + e.text;
    copied = e.to;
  }
  return out + sql.slice(copied);
}

/** The index of the parenthesis matching the one at `at`, scanning in `dir`; -1 when unbalanced. */
function matching(tokens: { text: string }[], at: number, dir: 1 | -1): number {
  const [open, close] = dir === 1 ? ['(', ')'] : [')', '('];
  let depth = 0;
  for (let j = at; j >= 0 && j < tokens.length; j += dir) {
    if (tokens[j]!.text === open) depth++;
    else if (tokens[j]!.text === close && --depth === 0) return j;
  }
  return -1;
}
