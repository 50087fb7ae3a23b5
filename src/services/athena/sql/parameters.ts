/**
 * Parameterized queries, a pure module: the statements `PREPARE name FROM query`, `EXECUTE name
 * [USING v1, v2…]` and `DEALLOCATE PREPARE name`, and binding values to a query's `?` placeholders
 * (ExecutionParameters, or EXECUTE's USING list).
 *
 * Binding substitutes each placeholder, in order, with its value as SQL text, and the result is
 * then translated like any query. So that a value can never be more than a value, each must be one
 * literal and nothing else — a number, a quoted string ('it''s'), TRUE, FALSE, NULL, a typed
 * literal (DATE '2024-01-31', TIME '…', TIMESTAMP '…', DECIMAL '…') or INTERVAL '1' DAY — and is
 * inserted as one closed token (space-separated; a negative number parenthesized). A `?` inside a
 * string, a quoted identifier or a comment is text, not a placeholder; the quoting rules are the
 * ones the parser applies (literals.ts: Trino strings have no backslash escapes).
 */
import { AthenaSqlError } from './errors.ts';

/** AWS's StatementName (the API's pattern; names are case-sensitive). */
export const STATEMENT_NAME = /^[a-zA-Z_][a-zA-Z0-9_@:]{1,256}$/;

export type ParameterStatement =
  | { kind: 'prepare'; name: string; statement: string }
  | { kind: 'execute'; name: string; using: string[] }
  | { kind: 'deallocate'; name: string };

const INTERVAL_UNITS = new Set(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']);
const TYPED = new Set(['DATE', 'TIME', 'TIMESTAMP', 'DECIMAL']);
const LITERALS = "a number, a quoted string ('it''s'), TRUE, FALSE, NULL, DATE/TIME/TIMESTAMP/DECIMAL '…' or INTERVAL '…' <unit>";

/** Past whitespace and comments from `i`. */
function skipTrivia(s: string, i: number): number {
  for (;;) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (s.startsWith('--', i)) {
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl + 1;
    } else if (s.startsWith('/*', i)) {
      const end = s.indexOf('*/', i + 2);
      i = end < 0 ? s.length : end + 2;
    } else return i;
  }
}

/**
 * The end of the quoted text opened by s[i] (`'…'` and `"…"` double their quote to escape it;
 * `` `…` `` has no escapes); -1 when it is not closed.
 */
function quotedEnd(s: string, i: number): number {
  const q = s[i]!;
  let j = i + 1;
  for (;;) {
    const k = s.indexOf(q, j);
    if (k < 0) return -1;
    if (q !== '`' && s[k + 1] === q) j = k + 2;
    else return k + 1;
  }
}

const wordAt = (s: string, i: number): string => /^[A-Za-z_][A-Za-z0-9_@:]*/.exec(s.slice(i))?.[0] ?? '';

/** `line L:C: ` for offset `i`, as Athena prefixes statement errors. */
function at(s: string, i: number): string {
  const before = s.slice(0, i).split('\n');
  return `line ${before.length}:${before.at(-1)!.length + 1}: `;
}

/** The token at `i`, for messages (a whole quoted string, a word, or one character). */
function tokenAt(s: string, i: number): string {
  if (i >= s.length) return '<EOF>';
  const quoted = s[i] === "'" || s[i] === '"' ? quotedEnd(s, i) : -1;
  return (quoted > 0 ? s.slice(i, quoted) : /^(?:[A-Za-z0-9_@:]+|\S)/.exec(s.slice(i))?.[0] ?? s[i]!).slice(0, 40);
}

/** The end of the literal starting at `i`, or -1 when none starts there. */
export function literalEnd(s: string, i: number): number {
  const num = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(s.slice(i));
  if (num) return /^[A-Za-z0-9_]/.test(s[i + num[0].length] ?? '') ? -1 : i + num[0].length;
  if (s[i] === "'") return stringEnd(s, i);
  const word = wordAt(s, i);
  const kw = word.toUpperCase();
  if (kw === 'TRUE' || kw === 'FALSE' || kw === 'NULL') return i + word.length;
  if (TYPED.has(kw)) return stringEnd(s, skipSpaces(s, i + word.length));
  if (kw !== 'INTERVAL') return -1;
  let j = skipSpaces(s, i + word.length);
  if (s[j] === '+' || s[j] === '-') j++;
  const str = stringEnd(s, j);
  if (str < 0) return -1;
  const unitEnd = intervalUnitEnd(s, skipSpaces(s, str));
  if (unitEnd < 0) return -1;
  const to = skipSpaces(s, unitEnd);
  return wordAt(s, to).toUpperCase() === 'TO' ? intervalUnitEnd(s, skipSpaces(s, to + 2)) : unitEnd;
}

const skipSpaces = (s: string, i: number): number => {
  while (i < s.length && /\s/.test(s[i]!)) i++;
  return i;
};

const stringEnd = (s: string, i: number): number => (s[i] === "'" ? quotedEnd(s, i) : -1);

function intervalUnitEnd(s: string, i: number): number {
  const unit = wordAt(s, i);
  return INTERVAL_UNITS.has(unit.toUpperCase()) ? i + unit.length : -1;
}

/**
 * One parameter value as the SQL text to substitute: exactly one literal, else
 * INVALID_PARAMETER_USAGE (`position` is 1-based, for the message).
 */
export function parameterLiteral(value: string, position: number): string {
  const text = value.trim();
  if (literalEnd(text, 0) !== text.length || text.length === 0) {
    const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
    throw new AthenaSqlError('INVALID_PARAMETER_USAGE', `Parameter ${position} (${JSON.stringify(shown)}) is not a literal: a parameter is one value — ${LITERALS}`);
  }
  return text.startsWith('-') ? `(${text})` : text;
}

/** Offsets of the statement's `?` placeholders: not those in strings, quoted identifiers or comments. */
export function placeholderOffsets(sql: string): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      const end = quotedEnd(sql, i);
      i = end < 0 ? sql.length : end;
    } else {
      if (c === '?') out.push(i);
      i++;
    }
  }
  return out;
}

/** The statement with its placeholders replaced, in order, by `values` (each checked by parameterLiteral). */
export function bindParameters(sql: string, values: readonly string[]): string {
  const offsets = placeholderOffsets(sql);
  if (offsets.length !== values.length) {
    throw new AthenaSqlError('INVALID_PARAMETER_USAGE', `line 1:1: Incorrect number of parameters: expected ${offsets.length} but found ${values.length}`);
  }
  const literals = values.map((v, n) => parameterLiteral(v, n + 1));
  let out = '';
  let from = 0;
  offsets.forEach((offset, n) => {
    out += `${sql.slice(from, offset)} ${literals[n]} `;
    from = offset + 1;
  });
  return out + sql.slice(from);
}

/** A statement name at `i` (an identifier, or "quoted"), checked against AWS's pattern. */
function readName(s: string, i: number): { name: string; end: number } {
  let name: string;
  let end: number;
  if (s[i] === '"') {
    end = quotedEnd(s, i);
    if (end < 0) throw new AthenaSqlError('SYNTAX_ERROR', `${at(s, i)}mismatched input '"'. Expecting: <identifier>`);
    name = s.slice(i + 1, end - 1).replaceAll('""', '"');
  } else {
    name = wordAt(s, i);
    end = i + name.length;
  }
  if (name === '') throw new AthenaSqlError('SYNTAX_ERROR', `${at(s, i)}mismatched input '${tokenAt(s, i)}'. Expecting: <identifier>`);
  if (!STATEMENT_NAME.test(name)) {
    throw new AthenaSqlError('SYNTAX_ERROR', `${at(s, i)}Statement name '${name.slice(0, 60)}' must match ${STATEMENT_NAME.source.slice(1, -1)} (2 to 256 characters)`);
  }
  return { name, end };
}

function expectWord(s: string, i: number, word: string): number {
  const j = skipTrivia(s, i);
  if (wordAt(s, j).toUpperCase() !== word) throw new AthenaSqlError('SYNTAX_ERROR', `${at(s, j)}mismatched input '${tokenAt(s, j)}'. Expecting: '${word}'`);
  return j + word.length;
}

/** Only trivia and one optional `;` may follow `i`. */
function expectEnd(s: string, i: number, expecting: string): void {
  let j = skipTrivia(s, i);
  if (s[j] === ';') j = skipTrivia(s, j + 1);
  if (j < s.length) throw new AthenaSqlError('SYNTAX_ERROR', `${at(s, j)}mismatched input '${tokenAt(s, j)}'. Expecting: ${expecting}`);
}

/** The first keyword of a statement (after whitespace and comments), upper-cased; '' when it starts otherwise. */
export function leadingKeyword(sql: string): string {
  return wordAt(sql, skipTrivia(sql, 0)).toUpperCase();
}

function parseExecute(s: string, start: number): ParameterStatement {
  const { name, end } = readName(s, skipTrivia(s, start));
  let i = skipTrivia(s, end);
  if (wordAt(s, i).toUpperCase() !== 'USING') {
    expectEnd(s, i, "'USING', <EOF>");
    return { kind: 'execute', name, using: [] };
  }
  const using: string[] = [];
  i += 'USING'.length;
  for (;;) {
    const from = skipTrivia(s, i);
    const to = literalEnd(s, from);
    const next = to < 0 ? from : skipTrivia(s, to);
    if (to < 0 || !(next >= s.length || s[next] === ',' || s[next] === ';')) {
      throw new AthenaSqlError('INVALID_PARAMETER_USAGE', `${at(s, from)}EXECUTE … USING takes literal values (${LITERALS}), found '${tokenAt(s, to < 0 ? from : next)}'`);
    }
    using.push(s.slice(from, to));
    if (s[next] !== ',') {
      expectEnd(s, next, "',', <EOF>");
      return { kind: 'execute', name, using };
    }
    i = next + 1;
  }
}

function parsePrepare(s: string, start: number): ParameterStatement {
  const { name, end } = readName(s, skipTrivia(s, start));
  const body = s.slice(expectWord(s, end, 'FROM')).trim();
  if (body === '') throw new AthenaSqlError('SYNTAX_ERROR', `${at(s, s.length)}mismatched input '<EOF>'. Expecting: 'SELECT', 'WITH'`);
  checkPreparable(body);
  return { kind: 'prepare', name, statement: body };
}

/** A prepared statement cannot itself be PREPARE, EXECUTE or DEALLOCATE (Trino's rule). */
export function checkPreparable(statement: string): void {
  const kw = leadingKeyword(statement);
  if (kw === 'PREPARE' || kw === 'EXECUTE' || kw === 'DEALLOCATE') {
    throw new AthenaSqlError('NOT_SUPPORTED', `Invalid statement type for prepared statement: ${kw}`);
  }
}

/** PREPARE, EXECUTE or DEALLOCATE PREPARE, parsed; undefined for any other statement. */
export function parseParameterStatement(sql: string): ParameterStatement | undefined {
  const start = skipTrivia(sql, 0);
  const kw = wordAt(sql, start).toUpperCase();
  const after = start + kw.length;
  if (kw === 'EXECUTE') return parseExecute(sql, after);
  if (kw === 'PREPARE') return parsePrepare(sql, after);
  if (kw !== 'DEALLOCATE') return undefined;
  const { name, end } = readName(sql, skipTrivia(sql, expectWord(sql, after, 'PREPARE')));
  expectEnd(sql, end, '<EOF>');
  return { kind: 'deallocate', name };
}
