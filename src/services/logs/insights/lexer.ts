/**
 * Tokens of a Logs Insights query. The lexer is a cursor the parser drives, because one character
 * means two things: `/` divides (`latency / 1000`) except where the grammar expects a regular
 * expression (`like /x/`, `parse @message /x/`), where the parser asks for `rescanRegex`.
 *
 * - Field names are one token: segments of `[A-Za-z0-9_@]` or `` `backquoted` `` text joined by
 *   dots (`client.ip`, `` `x-request-id` ``, `` map.`a.b` ``), optionally followed by `[N]` list
 *   indexes (`users[1]`). "Any log field named in a query that has characters other than the @ sign,
 *   the period (.), and alphanumeric characters must be surrounded by backtick characters."
 * - Keywords (and, or, not, in, like, as, by, asc, desc, command names) are name tokens; the parser
 *   recognises them case-insensitively.
 * - `5m`, `1h`, `300s`, `2hrs` are time periods; `#` starts a comment that runs to the end of the line.
 */
import { ServiceError } from '../../../protocol/errors.ts';
import type { PathSegment, TimeUnit } from './ast.ts';
import { lineColumn } from '../../../lib/line-column.ts';

export type Token =
  | { kind: 'name'; start: number; end: number; text: string; segments: PathSegment[] }
  | { kind: 'number'; start: number; end: number; text: string; value: number }
  | { kind: 'duration'; start: number; end: number; text: string; amount: number; unit: TimeUnit }
  | { kind: 'string'; start: number; end: number; text: string; value: string }
  | { kind: 'regex'; start: number; end: number; text: string; source: string }
  | { kind: 'op'; start: number; end: number; text: string }
  | { kind: 'eof'; start: number; end: number; text: string };

/**
 * The error for a query that cannot run. AWS returns MalformedQueryException with a
 * `queryCompileError` naming the offending character range; so do we.
 */
export function malformed(text: string, message: string, start: number, end = start + 1): ServiceError {
  const { line, column } = lineColumn(text, start, 0);
  const full = `${message} at line ${line} and position ${column}`;
  return new ServiceError('MalformedQueryException', full, {
    fields: {
      queryCompileError: {
        location: { startCharOffset: start, endCharOffset: Math.max(start, end - 1) },
        message: full,
      },
    },
  });
}

const UNITS: Record<string, TimeUnit> = {
  ms: 'ms', msec: 'ms', millisecond: 'ms',
  s: 's', sec: 's', second: 's',
  m: 'm', min: 'm', minute: 'm',
  h: 'h', hr: 'h', hour: 'h',
  d: 'd', day: 'd',
  w: 'w', week: 'w',
  mo: 'mo', mon: 'mo', month: 'mo',
  q: 'q', qtr: 'q', quarter: 'q',
  y: 'y', yr: 'y', year: 'y',
};

/**
 * "The following time units and abbreviations are supported … For all units and abbreviations that
 * include more than one character, adding s to pluralize is supported."
 */
export function timeUnit(word: string): TimeUnit | undefined {
  const w = word.toLowerCase();
  if (Object.hasOwn(UNITS, w)) return UNITS[w];
  if (w.length > 2 && w.endsWith('s')) {
    const singular = w.slice(0, -1);
    if (singular.length > 1 && Object.hasOwn(UNITS, singular)) return UNITS[singular];
  }
  return undefined;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isLetter = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isNameChar = (c: string | undefined): boolean => isLetter(c) || isDigit(c) || c === '_' || c === '@';
const isNameStart = (c: string | undefined): boolean => isLetter(c) || c === '_' || c === '@' || c === '`';

const TWO_CHAR_OPS = new Set(['!=', '<=', '>=', '=~']);
const ONE_CHAR_OPS = new Set(['|', ',', '(', ')', '[', ']', '+', '-', '*', '/', '%', '^', '=', '<', '>', '!']);

export class Lexer {
  private pos = 0;
  private peeked: Token | undefined;

  constructor(readonly text: string) {}

  fail(message: string, start: number, end?: number): never {
    throw malformed(this.text, message, start, end);
  }

  peek(): Token {
    this.peeked ??= this.scan();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  /** Re-reads a `/` token (already peeked) as the start of a `/regex/`. */
  rescanRegex(slash: Token): Token & { kind: 'regex' } {
    const text = this.text;
    let i = slash.start + 1;
    let source = '';
    for (;;) {
      if (i >= text.length) this.fail('unterminated regular expression', slash.start, text.length);
      const c = text[i]!;
      if (c === '\\' && i + 1 < text.length) {
        // `\/` is a slash inside the expression; every other escape belongs to the regex.
        source += text[i + 1] === '/' ? '/' : c + text[i + 1]!;
        i += 2;
        continue;
      }
      if (c === '/') break;
      source += c;
      i++;
    }
    this.pos = i + 1;
    this.peeked = undefined;
    return { kind: 'regex', start: slash.start, end: i + 1, text: text.slice(slash.start, i + 1), source };
  }

  private skipSpaceAndComments(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
        this.pos++;
      } else if (c === '#') {
        while (this.pos < text.length && text[this.pos] !== '\n') this.pos++;
      } else {
        break;
      }
    }
  }

  private scan(): Token {
    this.skipSpaceAndComments();
    const text = this.text;
    const start = this.pos;
    if (start >= text.length) return { kind: 'eof', start, end: start, text: '<EOF>' };
    const c = text[start]!;
    if (isNameStart(c)) return this.scanName();
    if (isDigit(c) || (c === '.' && isDigit(text[start + 1]))) return this.scanNumber();
    if (c === '"' || c === "'") return this.scanString(c);
    const two = text.slice(start, start + 2);
    if (TWO_CHAR_OPS.has(two)) {
      this.pos += 2;
      return { kind: 'op', start, end: start + 2, text: two };
    }
    if (ONE_CHAR_OPS.has(c)) {
      this.pos++;
      return { kind: 'op', start, end: start + 1, text: c };
    }
    return this.fail(`unexpected symbol found ${c}`, start);
  }

  private scanName(): Token {
    const text = this.text;
    const start = this.pos;
    const segments: PathSegment[] = [];
    for (;;) {
      const c = text[this.pos];
      if (c === '`') {
        const open = this.pos;
        let name = '';
        this.pos++;
        for (;;) {
          if (this.pos >= text.length) this.fail('unterminated backquoted field name', open, text.length);
          const d = text[this.pos]!;
          if (d === '`') {
            if (text[this.pos + 1] === '`') {
              name += '`';
              this.pos += 2;
              continue;
            }
            this.pos++;
            break;
          }
          name += d;
          this.pos++;
        }
        if (name === '') this.fail('empty field name', open, this.pos);
        segments.push({ kind: 'name', name, quoted: true });
      } else if (isNameChar(c)) {
        const s = this.pos;
        while (isNameChar(text[this.pos])) this.pos++;
        segments.push({ kind: 'name', name: text.slice(s, this.pos), quoted: false });
      } else {
        this.fail(`unexpected symbol found ${c ?? '<EOF>'} in field name`, this.pos);
      }
      // List indexes written right after the segment: `users[1]`. (`in[1, 2]` is the keyword.)
      const single = segments.length === 1 && segments[0]!.kind === 'name' && !segments[0]!.quoted;
      const isInKeyword = single && (segments[0] as { name: string }).name.toLowerCase() === 'in';
      while (!isInKeyword && text[this.pos] === '[') {
        const m = /^\[(\d+)\]/.exec(text.slice(this.pos, this.pos + 24));
        if (!m) break;
        segments.push({ kind: 'index', index: Number(m[1]) });
        this.pos += m[0].length;
      }
      if (text[this.pos] === '.' && (isNameChar(text[this.pos + 1]) || text[this.pos + 1] === '`')) {
        this.pos++;
        continue;
      }
      if (text[this.pos] === '.') this.fail('a field name cannot end with "."', this.pos);
      break;
    }
    return { kind: 'name', start, end: this.pos, text: text.slice(start, this.pos), segments };
  }

  private scanNumber(): Token {
    const text = this.text;
    const start = this.pos;
    const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(start))!;
    this.pos += m[0].length;
    if (isLetter(text[this.pos])) {
      // A time period: an integer amount immediately followed by a unit.
      const u = /^[A-Za-z]+/.exec(text.slice(this.pos))![0];
      const end = this.pos + u.length;
      const unit = timeUnit(u);
      if (!/^\d+$/.test(m[0]) || unit === undefined) {
        this.fail(`invalid time period ${text.slice(start, end)} (use an integer followed by ms, s, m, h, d, w, mo, q or y)`, start, end);
      }
      if (isNameChar(text[end])) this.fail(`invalid time period ${text.slice(start, end + 1)}`, start, end + 1);
      this.pos = end;
      return { kind: 'duration', start, end, text: text.slice(start, end), amount: Number(m[0]), unit: unit! };
    }
    if (text[this.pos] === '_' || text[this.pos] === '@') this.fail(`unexpected symbol found ${text[this.pos]}`, this.pos);
    return { kind: 'number', start, end: this.pos, text: m[0], value: Number(m[0]) };
  }

  private scanString(quote: string): Token {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    let value = '';
    for (;;) {
      if (i >= text.length) this.fail('unterminated string', start, text.length);
      const c = text[i]!;
      if (c === quote) break;
      if (c === '\\' && i + 1 < text.length) {
        const e = text[i + 1]!;
        if (e === quote || e === '\\') value += e;
        else if (e === 'n') value += '\n';
        else if (e === 't') value += '\t';
        else if (e === 'r') value += '\r';
        else value += c + e; // unknown escapes stay as written (Windows paths, regex-looking text)
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    this.pos = i + 1;
    return { kind: 'string', start, end: i + 1, text: text.slice(start, i + 1), value };
  }
}
