/**
 * Which engine runs a filter-pattern regex. V8's default (backtracking) engine is ~50× faster on
 * ordinary patterns, but a single unbounded quantifier is already quadratic on a long message
 * (`a*b` over 100 KB of `a`: 11 s) and stacked optional atoms are exponential; AWS evaluates with
 * RE2, which is always linear. So: the fast engine only when backtracking is provably bounded — no
 * `*`, `+` or `{n,}`, and the bounded quantifiers (`?`, `{n,m}`) allow few alternatives in total —
 * and V8's linear-time engine (lib/linear-regexp.ts) otherwise.
 */
import { linearRegExp } from '../../../lib/linear-regexp.ts';
import type { Regex } from './ast.ts';

/** Most alternative paths a bounded pattern may have at one start position on the fast engine. */
const MAX_PATHS = 64;

export function compileRegex(r: Regex): RegExp {
  return backtrackingIsBounded(r.source) ? new RegExp(r.js) : linearRegExp(r.js);
}

/** Scans the pattern as written (AWS's subset: no groups) for its quantifiers. */
export function backtrackingIsBounded(source: string): boolean {
  let paths = 1;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') {
      // A character class: quantifier characters inside are literals.
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (c === '*' || c === '+') return false;
    if (c === '?') paths *= 2;
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (m) {
        if (m[2] !== undefined && m[3] === '') return false; // {n,}
        if (m[3] !== undefined) paths *= Number(m[3]) - Number(m[1]) + 1;
        i += m[0].length - 1;
      }
    }
    if (paths > MAX_PATHS) return false;
  }
  return true;
}
