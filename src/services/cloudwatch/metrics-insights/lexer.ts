/**
 * Tokens of a Metrics Insights query. The quoting rules, from "What needs quotation marks or escape
 * characters?":
 *
 * - "label values must always be surrounded with single quotation marks" → `string` tokens;
 * - "Metric namespaces, metric names, and label keys that contain characters other than letters,
 *   numbers, and underscore (_) must be surrounded by double quote marks" → a bare `word` is
 *   `[A-Za-z0-9_]+` (ASCII: anything else must be quoted) and a `"quoted"` name is a `name` token;
 * - "If one of these contains a double quotation mark or single quotation mark itself … you must
 *   escape each quotation mark with a backslash" → inside either kind of quotes `\"`, `\'` and `\\`
 *   stand for the character. Other backslashes are kept as written (names such as `C:\logs`). The
 *   quote kind that does not close the text is also accepted unescaped (`"it's"`), which the docs
 *   neither require nor forbid.
 *
 * Keywords are `word`s; the parser matches them case-insensitively ("None of the keywords are case
 * sensitive, but the identifiers … are case sensitive"). There are no comments and no `;`.
 */
import { syntaxError } from './errors.ts';

export type Token =
  | { kind: 'word'; text: string; start: number; end: number }
  | { kind: 'name'; value: string; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'punct'; text: '(' | ')' | ','; start: number; end: number }
  /** Comparison operators; only `=` and `!=` are in the language, the others are lexed to be named in errors. */
  | { kind: 'op'; text: string; start: number; end: number }
  | { kind: 'eof'; start: number; end: number };

const isWordChar = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_');

const OPERATORS = ['!=', '<>', '<=', '>=', '=', '<', '>'];

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isWordChar(c)) {
      while (isWordChar(text[i])) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"' || c === "'") {
      const { value, end } = quoted(text, start);
      tokens.push({ kind: c === '"' ? 'name' : 'string', value, start, end });
      i = end;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, start, end: start + 1 });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, start, end: start + op.length });
      i += op.length;
      continue;
    }
    // Inside a word, as in `AWS/EC2`, `My.Metric`, `load-balancer`: an unquoted name.
    const hint = isWordChar(text[i - 1]) && isWordChar(text[i + 1])
      ? '. Namespaces, metric names and label keys with characters other than letters, numbers and _ must be surrounded by double quotes'
      : '';
    throw syntaxError(text, `Unexpected character '${c}'${hint}`, start);
  }
  tokens.push({ kind: 'eof', start: text.length, end: text.length });
  return tokens;
}

function quoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start]!;
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) {
      const what = quote === '"' ? 'quoted name' : 'label value';
      throw syntaxError(text, `Unterminated ${what}: the closing ${quote} is missing`, start, text.length);
    }
    const c = text[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      const next = text[i + 1]!;
      if (next === '"' || next === "'" || next === '\\') {
        value += next;
        i += 2;
        continue;
      }
    }
    value += c;
    i++;
  }
}

/** How a token reads in an error message. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof': return 'the end of the query';
    case 'word': return `'${t.text}'`;
    case 'name': return `"${t.value}"`;
    case 'string': return `the label value '${t.value}'`;
    default: return `'${t.text}'`;
  }
}
