/**
 * Event data store references in a Lake statement. CloudTrail Lake accepts the store's ID (a bare
 * UUID, which no SQL grammar takes as an identifier) or its ARN after FROM; before parsing, each
 * reference outside string literals becomes a placeholder identifier `eds_<n>`. Quoted identifiers
 * ("…" or `…`) that hold a reference are replaced too; string literals are left alone (an event ID
 * compared in WHERE is a UUID as well).
 */
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const REF = new RegExp(`arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\\d{12}:eventdatastore/${UUID}|${UUID}`, 'y');
const WHOLE_REF = new RegExp(`^(?:arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\\d{12}:eventdatastore/${UUID}|${UUID})$`);
const IDENT_CHAR = /[A-Za-z0-9_]/;

export interface Substituted {
  sql: string;
  /** Placeholder → the reference as written (ID or ARN). */
  refs: Map<string, string>;
}

export function substituteStoreRefs(statement: string): Substituted {
  const refs = new Map<string, string>();
  const name = (ref: string) => {
    const placeholder = `eds_${refs.size}`;
    refs.set(placeholder, ref);
    return placeholder;
  };
  let out = '';
  let i = 0;
  while (i < statement.length) {
    const c = statement[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const end = closingQuote(statement, i);
      const inner = statement.slice(i + 1, end);
      out += c !== "'" && WHOLE_REF.test(inner) ? name(inner) : statement.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    REF.lastIndex = i;
    const m = !IDENT_CHAR.test(statement[i - 1] ?? ' ') ? REF.exec(statement) : null;
    if (m && !IDENT_CHAR.test(statement[i + m[0].length] ?? ' ')) {
      out += name(m[0]);
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return { sql: out, refs };
}

/** Index of the quote closing the one at `start` (a doubled quote is an escaped one); the end when unterminated. */
function closingQuote(s: string, start: number): number {
  const q = s[start];
  let i = start + 1;
  while (i < s.length) {
    if (s[i] === q) {
      if (s[i + 1] === q) { i += 2; continue; }
      return i;
    }
    i++;
  }
  return s.length - 1;
}
