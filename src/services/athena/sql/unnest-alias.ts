/**
 * Trino accepts an UNNEST's alias without AS — `CROSS JOIN UNNEST(t.resources) unnested (entry)`,
 * as AWS's CloudTrail examples write it — but the grammar only parses `… AS unnested (entry)`.
 * This inserts the AS, skipping string literals, quoted identifiers and comments. (Positions in
 * syntax errors after such an UNNEST are then 3 columns further right.)
 */
const KEYWORDS = new Set([
  'AS', 'ON', 'USING', 'WHERE', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'OFFSET', 'UNION', 'INTERSECT', 'EXCEPT', 'CROSS', 'JOIN', 'INNER',
  'LEFT', 'RIGHT', 'FULL', 'NATURAL', 'WITH', 'WINDOW', 'FETCH', 'TABLESAMPLE',
]);

/** The index just after the parenthesis that closes the one at `open`, or -1. */
function closing(sql: string, open: number): number {
  let depth = 0;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

export function addUnnestAs(sql: string): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const rest = sql.slice(i);
    const skip = /^(?:'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
    if (skip) {
      out += skip[0];
      i += skip[0].length;
      continue;
    }
    const m = /^\bUNNEST\s*\(/i.exec(rest);
    if (m && !/[\w$]/.test(sql[i - 1] ?? '')) {
      const end = closing(sql, i + m[0].length - 1);
      if (end !== -1) {
        const after = /^\s+([A-Za-z_][\w]*)/.exec(sql.slice(end));
        out += sql.slice(i, end);
        i = end;
        if (after && !KEYWORDS.has(after[1]!.toUpperCase())) out += ' AS';
        continue;
      }
    }
    out += sql[i];
    i++;
  }
  return out;
}
