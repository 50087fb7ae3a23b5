/**
 * Backslashes in string literals. Trino's strings have no backslash escapes ('C:\' is a complete
 * string, '\b' is a backslash and a b — a regexp word boundary), but node-sql-parser's grammar
 * reads some (\b becomes a backspace, \' does not close the string). Before parsing, every
 * backslash inside a single-quoted literal becomes U+E000 (same length, so error positions stay
 * right); after parsing, U+E000 in the AST's strings turns back into a backslash.
 */
import { AthenaSqlError, type Node } from './errors.ts';

const MARK = '\uE000';

export function maskBackslashes(sql: string): string {
  if (sql.includes(MARK)) throw new AthenaSqlError('NOT_SUPPORTED', 'The character U+E000 is not supported in statements');
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '"' || c === '`') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === "'") {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === "'" && sql[j + 1] !== "'")) j += sql[j] === "'" ? 2 : 1;
      out += `'${sql.slice(i + 1, j).replace(/\\/g, MARK)}${j < sql.length ? "'" : ''}`;
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Turns U+E000 back into backslashes in every string of the AST (iteratively: ASTs can be deep). */
export function unmaskBackslashes(ast: Node): Node {
  const stack: Node[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop();
    for (const key of Object.keys(node)) {
      const v = node[key];
      if (typeof v === 'string') { if (v.includes(MARK)) node[key] = v.replaceAll(MARK, '\\'); } else if (v && typeof v === 'object') stack.push(v);
    }
  }
  return ast;
}
