// The lexical side of Trino/Athena SQL the editor needs: tokens for highlighting, the keywords, and
// whether the caret sits inside a string, quoted identifier or comment (no completion there). Not a
// parser: the server parses; this only has to agree with it on where literals and comments are.

/** Comments, string literals (with '' escapes), quoted identifiers, numbers, words, spaces, anything else; unterminated literals run to the end. */
export const TOKEN = /(--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_][\w$]*|\s+|[\s\S])/g;

/**
 * Reserved and common keywords of Athena's DML (Trino) — highlighted, and never taken for a table
 * alias. `timestamp`, `date` and `time` are left out: they are column names too (osprey.logs.timestamp).
 */
export const KEYWORDS = new Set([
  'all', 'and', 'any', 'array', 'as', 'asc', 'between', 'by', 'case', 'cast', 'cross', 'cube', 'current_date', 'current_time',
  'current_timestamp', 'desc', 'describe', 'distinct', 'else', 'end', 'escape', 'except', 'exists', 'explain', 'false',
  'fetch', 'filter', 'first', 'following', 'for', 'from', 'full', 'group', 'grouping', 'having', 'if', 'ilike', 'in', 'inner',
  'intersect', 'interval', 'into', 'is', 'join', 'last', 'lateral', 'left', 'like', 'limit', 'map', 'natural', 'not', 'null',
  'nulls', 'offset', 'on', 'only', 'or', 'order', 'ordinality', 'outer', 'over', 'partition', 'preceding', 'range', 'recursive',
  'right', 'rollup', 'row', 'rows', 'select', 'sets', 'show', 'some', 'table', 'tables', 'then', 'true', 'try_cast',
  'unbounded', 'union', 'unnest', 'using', 'values', 'when', 'where', 'window', 'with', 'zone', 'day', 'hour', 'minute', 'month',
  'second', 'year', 'databases', 'schemas', 'columns', 'tablesample', 'at',
]);

export const isKeyword = (word: string): boolean => KEYWORDS.has(word.toLowerCase());

/** True when text ending here is inside a comment, string literal or quoted identifier. */
export function insideLiteral(before: string): boolean {
  let last = '';
  for (const [t] of before.matchAll(TOKEN)) last = t;
  if (last.startsWith('--')) return true;
  if (last.startsWith('/*')) return !(last.length >= 4 && last.endsWith('*/'));
  if (last.startsWith("'")) return !/^'(?:[^']|'')*'$/.test(last);
  if (last.startsWith('"')) return !/^"(?:[^"]|"")*"$/.test(last);
  return false;
}
