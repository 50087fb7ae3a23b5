/**
 * Filter pattern text → typed AST (ast.ts). Every invalid or unsupported pattern is rejected with
 * `InvalidParameterException: Invalid filter pattern: <reason> (at position N)`, N counting
 * characters of the pattern from 1; nothing is ever degraded to "match everything".
 *
 * Syntax follows AWS's "Filter pattern syntax for metric filters, subscription filters, filter log
 * events, and Live Tail" page and its supported-regex section. Decisions on undocumented points are
 * marked "Undocumented:" below.
 */
import { ServiceError } from '../../../protocol/errors.ts';
import { linearRegExp } from '../../../lib/linear-regexp.ts';
import type {
  CompareOp, DelimitedField, DelimitedPattern, FieldExpr, FilterPattern, Glob, JsonCondition, JsonExpr,
  JsonPattern, JsonSelector, PathStep, Regex, Term, Value,
} from './ast.ts';

/** filterPattern: "Length Constraints: Minimum length of 0. Maximum length of 1024." */
export const MAX_PATTERN_LENGTH = 1024;
/** "There is a limit of 2 regex for each filter pattern when creating a delimited or JSON filter pattern". */
export const MAX_REGEX_PER_PATTERN = 2;
/** RE2 rejects larger repetition counts, so we do too (the same regex must compile in both engines). */
export const MAX_REPEAT = 1000;

export function invalidPattern(reason: string, pos?: number): ServiceError {
  const at = pos === undefined ? '' : ` (at position ${pos + 1})`;
  return new ServiceError('InvalidParameterException', `Invalid filter pattern: ${reason}${at}`);
}

/** Parses a filter pattern; throws ServiceError('InvalidParameterException') when it is not valid. */
export function parseFilterPattern(text: string): FilterPattern {
  if (typeof text !== 'string') throw invalidPattern('the filter pattern must be a string');
  if (text.length > MAX_PATTERN_LENGTH) {
    throw invalidPattern(`the filter pattern is ${text.length} characters long; the maximum is ${MAX_PATTERN_LENGTH}`);
  }
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  if (start === end) return { kind: 'all', source: text };

  const first = text[start];
  const last = text[end - 1];
  if (first === '{') {
    if (last !== '}' || end - start < 2) throw invalidPattern("a filter pattern that starts with '{' must end with '}'", end - 1);
    return parseJsonPattern(text, start, end);
  }
  if (first === '[') {
    if (last !== ']' || end - start < 2) throw invalidPattern("a filter pattern that starts with '[' must end with ']'", end - 1);
    return parseDelimitedPattern(text, start, end);
  }
  if (first === '%') {
    if (last !== '%' || end - start < 2) throw invalidPattern("a regular expression pattern that starts with '%' must end with '%'", end - 1);
    const regex = parseRegex(text.slice(start + 1, end - 1), start + 1);
    return { kind: 'regex', source: text, regex };
  }
  return parseTerms(text, start, end);
}

// ---------------------------------------------------------------------------------------------
// Character classes

/** ASCII whitespace (what separates terms, and what is trimmed around a pattern). */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 0x5f; // _
}

/** JSON property names: "alphanumeric strings that also support '-' and '_' characters". */
function isPropChar(c: number): boolean {
  return isWordChar(c) || c === 0x2d; // -
}

/** Characters allowed in an unquoted value (`UpdateTrail`, `123.123.*`, `4*`, `-1.5`, `1e+3`). */
function isUnquotedValueChar(c: number): boolean {
  return isWordChar(c) || c === 0x2e || c === 0x2a || c === 0x2b || c === 0x2d; // . * + -
}

/**
 * Regex literal symbols. The doc lists ':', '_', '#', '=', '@', '/', ';', ',' and '-' (older copies
 * of the page omit ':'). Undocumented: the space character, which the doc's own example
 * `%^starting|^initializing|^shutting down%` needs, is accepted too.
 */
const REGEX_SYMBOLS = new Set([':', '_', '#', '=', '@', '/', ';', ',', '-', ' ']);
/** Characters that are regex operators when unescaped ('^', '$', '?', '[', ']', '{', '}', '|', '\', '*', '+', '.'). */
const REGEX_OPERATORS = new Set(['^', '$', '?', '[', ']', '{', '}', '|', '\\', '*', '+', '.']);

function isRegexLiteral(ch: string): boolean {
  return isAlnum(ch.charCodeAt(0)) || REGEX_SYMBOLS.has(ch);
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** AWS's NUMBER: an integer or decimal with optional sign, optionally followed by e/E and a signed integer. */
export function isNumberLiteral(s: string): boolean {
  return NUMBER_RE.test(s);
}

// ---------------------------------------------------------------------------------------------
// Unstructured terms

/**
 * `ERROR Exception` (all), `-DEBUG` (none), `?ERROR ?WARN` (any), `"exact phrase"`.
 * Unquoted terms may only contain letters, digits and '_' ("Enclose exact phrases and terms that
 * include non-alphanumeric characters in double quotation marks"); AWS answers other characters
 * with "Invalid character(s) in term". Undocumented: whitespace is allowed between a '?'/'-' prefix
 * and its term (the 2023 doc writes `"ERROR" - "Exiting"`).
 */
function parseTerms(s: string, start: number, end: number): FilterPattern {
  const include: Term[] = [];
  const exclude: Term[] = [];
  const optional: Term[] = [];
  let i = start;
  while (i < end) {
    while (i < end && isSpace(s.charCodeAt(i))) i++;
    if (i >= end) break;
    const termStart = i;
    let list = include;
    if (s[i] === '?' || s[i] === '-') {
      list = s[i] === '?' ? optional : exclude;
      i++;
      while (i < end && isSpace(s.charCodeAt(i))) i++;
      if (i >= end) throw invalidPattern(`'${s[termStart]}' must be followed by a term`, termStart);
    }
    if (s[i] === '"') {
      const q = readQuoted(s, i, end);
      if (q.next < end && !isSpace(s.charCodeAt(q.next))) {
        throw invalidPattern('a quoted phrase must be followed by a space or the end of the pattern', q.next);
      }
      list.push({ text: q.text, quoted: true, pos: termStart });
      i = q.next;
      continue;
    }
    let j = i;
    while (j < end && !isSpace(s.charCodeAt(j))) j++;
    const word = s.slice(i, j);
    for (let k = 0; k < word.length; k++) {
      if (!isWordChar(word.charCodeAt(k))) {
        throw invalidPattern(
          `Invalid character(s) in term '${word}': a term with characters other than letters, digits and '_' must be enclosed in double quotes`,
          i + k);
      }
    }
    list.push({ text: word, quoted: false, pos: termStart });
    i = j;
  }
  // `""` and `" "` are AWS's documented "match everything" patterns.
  const blank = (t: Term): boolean => t.text.trim() === '';
  if (exclude.length === 0 && include.every(blank) && optional.every(blank)) return { kind: 'all', source: s };
  return { kind: 'terms', source: s, include, exclude, optional };
}

/**
 * A double-quoted string starting at s[i] === '"'. Undocumented: a backslash escapes '"' and '\'
 * (how AWS CDK's FilterPattern quotes terms); before any other character it is kept literally.
 */
function readQuoted(s: string, i: number, end: number): { text: string; next: number } {
  let out = '';
  let j = i + 1;
  while (j < end) {
    const ch = s[j]!;
    if (ch === '"') return { text: out, next: j + 1 };
    if (ch === '\\' && j + 1 < end && (s[j + 1] === '"' || s[j + 1] === '\\')) {
      out += s[j + 1];
      j += 2;
      continue;
    }
    out += ch;
    j++;
  }
  throw invalidPattern('unterminated quoted string: missing closing \'"\'', i);
}

// ---------------------------------------------------------------------------------------------
// Regular expressions

// JS regexes are compiled without the `u` flag (V8's linear-time fallback, see match.ts, does
// not support it), so code-point semantics are spelled out: `.` and negated sets match a
// surrogate pair as one character and never half of one.
const JS_PAIR = '[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]';
const JS_SURROGATES = '\\uD800-\\uDFFF';
const jsNegated = (set: string): string => `(?:${JS_PAIR}|[^${set}${JS_SURROGATES}])`;
const JS_DOT = jsNegated('\\n\\r\\u2028\\u2029');
const RE2_DOT = '[^\\n\\r\\x{2028}\\x{2029}]';
// \s: tab, LF, VT, FF, CR and space (POSIX/Java); spelled out so that JS (which adds Unicode
// spaces) and RE2 (which omits VT) agree.
const SPACE_SET = '\\x09-\\x0D\\x20';
const DIGIT_SET = '0-9';
const WORD_SET = 'A-Za-z0-9_';

/** Characters escaped to be literal outside a class (the same escape is valid in JS and RE2). */
const ESCAPE_OUTSIDE = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/']);
const ESCAPE_INSIDE = new Set(['\\', ']', '[', '^', '-']);

/**
 * Validates a regex against AWS's supported subset and translates it. `base` is the offset of
 * `src` in the pattern, for error positions. Rejected: '(' and ')', characters outside the
 * supported set (e.g. '!'), multi-byte characters, and anything RE2 or JS would read differently
 * (an empty class `[]`, a lone `{`, stacked repetitions, escapes other than `\d\D\s\S\w\W` and of
 * supported symbols/operators).
 */
export function parseRegex(src: string, base: number): Regex {
  if (src.length === 0) throw invalidPattern('empty regular expression', base);
  for (let k = 0; k < src.length; k++) {
    const c = src.charCodeAt(k);
    if (c >= 0x80) throw invalidPattern('multi-byte characters are not supported in a regular expression', base + k);
    if (c < 0x20 || c === 0x7f) throw invalidPattern('control characters are not supported in a regular expression', base + k);
  }
  let i = 0;
  let js = '';
  let re2 = '';
  let anchored = false;
  const n = src.length;
  const fail = (reason: string, at: number): never => {
    throw invalidPattern(reason, base + at);
  };

  for (;;) {
    // One alternative.
    const branchStart = i;
    while (i < n && src[i] !== '|') {
      const c = src[i]!;
      let quantifiable = true;
      if (c === '(' || c === ')') {
        fail("'(' and ')' are not supported in a regular expression: you cannot use parentheses to define a subpattern", i);
      } else if (c === '^' || c === '$') {
        js += c;
        re2 += c;
        anchored = true;
        quantifiable = false;
        i++;
      } else if (c === '.') {
        js += JS_DOT;
        re2 += RE2_DOT;
        i++;
      } else if (c === '[') {
        const cls = parseClass(src, i, fail);
        js += cls.js;
        re2 += cls.re2;
        i = cls.next;
      } else if (c === '\\') {
        if (i + 1 >= n) fail("a regular expression cannot end with '\\'", i);
        const e = src[i + 1]!;
        const set = classEscape(e);
        if (set !== undefined) {
          js += set;
          re2 += set;
        } else if (e === 'D' || e === 'W' || e === 'S') {
          const set = e === 'D' ? DIGIT_SET : e === 'W' ? WORD_SET : SPACE_SET;
          js += jsNegated(set);
          re2 += `[^${set}]`;
        } else if (REGEX_OPERATORS.has(e) || REGEX_SYMBOLS.has(e)) {
          const lit = literalOutside(e);
          js += lit;
          re2 += lit;
        } else {
          fail(`unsupported escape '\\${e}' in a regular expression (supported: \\d \\D \\s \\S \\w \\W and escaped operators)`, i);
        }
        i += 2;
      } else if (c === '*' || c === '+' || c === '?' || c === '{') {
        fail(`'${c}' has nothing to repeat`, i);
      } else if (c === ']' || c === '}') {
        fail(`unmatched '${c}' in a regular expression`, i);
      } else if (isRegexLiteral(c)) {
        const lit = literalOutside(c);
        js += lit;
        re2 += lit;
        i++;
      } else {
        fail(`'${c}' is not supported in a regular expression`, i);
      }
      // At most one repetition operator, optionally made lazy with '?'.
      if (i < n && (src[i] === '*' || src[i] === '+' || src[i] === '?' || src[i] === '{')) {
        if (!quantifiable) fail(`'${src[i]}' cannot follow an anchor`, i);
        const q = parseQuantifier(src, i, fail);
        js += q.out;
        re2 += q.out;
        i = q.next;
        if (i < n && src[i] === '?') {
          js += '?';
          re2 += '?';
          i++;
        }
        if (i < n && (src[i] === '*' || src[i] === '+' || src[i] === '?' || src[i] === '{')) {
          fail(`'${src[i]}' cannot follow another repetition operator`, i);
        }
      }
    }
    if (i === branchStart) fail(i === 0 ? "a regular expression cannot start with '|'" : "empty alternative in a regular expression", i);
    if (i >= n) break;
    // src[i] === '|'
    js += '|';
    re2 += '|';
    i++;
    if (i >= n) fail("a regular expression cannot end with '|'", i - 1);
  }
  try {
    linearRegExp(js); // what match.ts will run; the supported subset always compiles
  } catch (e) {
    fail(`the regular expression cannot be evaluated: ${(e as Error).message}`, 0);
  }
  return { source: src, js, re2, anchored };
}

function literalOutside(ch: string): string {
  return ESCAPE_OUTSIDE.has(ch) ? `\\${ch}` : ch;
}

function literalInside(ch: string): string {
  return ESCAPE_INSIDE.has(ch) ? `\\${ch}` : ch;
}

function classEscape(e: string): string | undefined {
  if (e === 'd') return `[${DIGIT_SET}]`;
  if (e === 'w') return `[${WORD_SET}]`;
  if (e === 's') return `[${SPACE_SET}]`;
  return undefined;
}

function parseQuantifier(src: string, i: number, fail: (r: string, at: number) => never): { out: string; next: number } {
  const c = src[i]!;
  if (c !== '{') return { out: c, next: i + 1 };
  const close = src.indexOf('}', i);
  if (close < 0) fail("unterminated repetition '{': expected {m}, {m,}, {,n} or {m,n}", i);
  const body = src.slice(i + 1, close);
  const m = /^(\d{0,4})(?:(,)(\d{0,4}))?$/.exec(body);
  if (!m || (m[1] === '' && (m[3] ?? '') === '')) fail(`invalid repetition '{${body}}': expected {m}, {m,}, {,n} or {m,n}`, i);
  const min = m![1] === '' ? 0 : Number(m![1]);
  const max = m![2] === undefined ? min : m![3] === '' ? undefined : Number(m![3]);
  if (min > MAX_REPEAT || (max !== undefined && max > MAX_REPEAT)) fail(`repetition counts are limited to ${MAX_REPEAT}`, i);
  if (max !== undefined && max < min) fail(`invalid repetition '{${body}}': the minimum is larger than the maximum`, i);
  const out = m![2] === undefined ? `{${min}}` : max === undefined ? `{${min},}` : `{${min},${max}}`;
  return { out, next: close + 1 };
}

/** `[abc]`, `[^a-z_]`, `[\d.]`. Undocumented: `\D`, `\S`, `\W` inside a class are rejected. */
function parseClass(src: string, i: number, fail: (r: string, at: number) => never): { js: string; re2: string; next: number } {
  const open = i;
  const n = src.length;
  i++;
  let out = '';
  let negated = false;
  if (src[i] === '^') {
    negated = true;
    i++;
  }
  if (src[i] === ']') fail('empty character class', open);
  let items = 0;
  while (i < n && src[i] !== ']') {
    let lo: string | undefined; // a single literal character, when the item is one
    const c = src[i]!;
    if (c === '\\') {
      if (i + 1 >= n) break;
      const e = src[i + 1]!;
      if (e === 'd' || e === 'w' || e === 's') {
        out += e === 'd' ? DIGIT_SET : e === 'w' ? WORD_SET : SPACE_SET;
      } else if (e === 'D' || e === 'W' || e === 'S') {
        fail(`'\\${e}' is not supported inside a character class`, i);
      } else if (REGEX_OPERATORS.has(e) || REGEX_SYMBOLS.has(e)) {
        lo = e;
      } else {
        fail(`unsupported escape '\\${e}' in a character class`, i);
      }
      i += 2;
    } else if (c === '(' || c === ')') {
      fail("'(' and ')' are not supported in a regular expression", i);
    } else if (isRegexLiteral(c) || REGEX_OPERATORS.has(c)) {
      lo = c;
      i++;
    } else {
      fail(`'${c}' is not supported in a regular expression`, i);
    }
    items++;
    if (lo === undefined) continue;
    // A range `a-z` (a '-' right before ']' is a literal).
    if (src[i] === '-' && i + 1 < n && src[i + 1] !== ']') {
      let hi: string;
      let next: number;
      if (src[i + 1] === '\\') {
        const e = src[i + 2];
        if (e === undefined || !(REGEX_OPERATORS.has(e) || REGEX_SYMBOLS.has(e))) fail('invalid range end in a character class', i + 1);
        hi = e!;
        next = i + 3;
      } else {
        hi = src[i + 1]!;
        if (hi === '(' || hi === ')' || hi === '[' || !(isRegexLiteral(hi) || REGEX_OPERATORS.has(hi))) {
          fail(`'${hi}' is not a valid range end in a character class`, i + 1);
        }
        next = i + 2;
      }
      if (hi.charCodeAt(0) < lo.charCodeAt(0)) fail(`invalid range '${lo}-${hi}': out of order`, i - 1);
      out += `${literalInside(lo)}-${literalInside(hi)}`;
      i = next;
    } else {
      out += literalInside(lo);
    }
  }
  if (i >= n) fail("unterminated character class: missing ']'", open);
  if (items === 0) fail('empty character class', open);
  return negated ? { js: jsNegated(out), re2: `[^${out}]`, next: i + 1 } : { js: `[${out}]`, re2: `[${out}]`, next: i + 1 };
}

// ---------------------------------------------------------------------------------------------
// Shared by JSON and space-delimited patterns

class Cursor {
  i: number;
  regexCount = 0;
  constructor(readonly s: string, start: number, readonly end: number) {
    this.i = start;
  }
  skipSpace(): void {
    while (this.i < this.end && isSpace(this.s.charCodeAt(this.i))) this.i++;
  }
  atEnd(): boolean {
    return this.i >= this.end;
  }
  peek(k = 0): string | undefined {
    return this.i + k < this.end ? this.s[this.i + k] : undefined;
  }
  startsWith(t: string): boolean {
    return this.i + t.length <= this.end && this.s.startsWith(t, this.i);
  }
  describeHere(): string {
    return this.atEnd() ? 'the end of the pattern' : `'${this.s[this.i]}'`;
  }
}

function parseOp(c: Cursor): CompareOp {
  const at = c.i;
  for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) {
    if (c.startsWith(op)) {
      c.i += op.length;
      if (op === '=' && c.peek() === '=') throw invalidPattern("'==' is not an operator; use '='", at);
      return op;
    }
  }
  throw invalidPattern(`expected a comparison operator (=, !=, <, <=, >, >=) but found ${c.describeHere()}`, at);
}

/** The value after an operator. `stops` end an unquoted value besides whitespace. */
function parseValue(c: Cursor, op: CompareOp, stops: string): Value {
  const at = c.i;
  let value: Value;
  const ch = c.peek();
  if (ch === undefined) throw invalidPattern(`expected a value after '${op}'`, at);
  if (ch === '"') {
    const q = readQuoted(c.s, c.i, c.end);
    c.i = q.next;
    value = { kind: 'string', glob: toGlob(q.text), quoted: true, text: q.text };
  } else if (ch === '%') {
    const close = c.s.indexOf('%', c.i + 1);
    if (close < 0 || close >= c.end) throw invalidPattern("unterminated regular expression: missing closing '%'", at);
    const regex = parseRegex(c.s.slice(c.i + 1, close), c.i + 1);
    if (++c.regexCount > MAX_REGEX_PER_PATTERN) {
      throw invalidPattern(`a JSON or space-delimited filter pattern can contain at most ${MAX_REGEX_PER_PATTERN} regular expressions`, at);
    }
    c.i = close + 1;
    value = { kind: 'regex', regex };
  } else {
    let j = c.i;
    while (j < c.end && !isSpace(c.s.charCodeAt(j)) && !stops.includes(c.s[j]!)) j++;
    const word = c.s.slice(c.i, j);
    if (word === '') throw invalidPattern(`expected a value after '${op}' but found ${c.describeHere()}`, at);
    for (let k = 0; k < word.length; k++) {
      if (!isUnquotedValueChar(word.charCodeAt(k))) {
        throw invalidPattern(
          `Invalid character(s) in value '${word}': a value with characters other than letters, digits, '_', '.', '-', '+' and '*' must be enclosed in double quotes`,
          at + k);
      }
    }
    c.i = j;
    value = isNumberLiteral(word)
      ? { kind: 'number', value: Number(word), text: word }
      : { kind: 'string', glob: toGlob(word), quoted: false, text: word };
  }
  if (op !== '=' && op !== '!=' && value.kind !== 'number') {
    throw invalidPattern(`'${op}' compares numbers; expected a number after it`, at);
  }
  return value;
}

/** Leading/trailing '*' are wildcards; an inner '*' is literal ("Ev*ent will only match the actual string Ev*ent"). */
export function toGlob(text: string): Glob {
  const lead = text.startsWith('*');
  const trail = text.length > 1 && text.endsWith('*');
  const core = text.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (lead && (trail || core === '')) return { mode: core === '' ? 'any' : 'contains', core };
  if (lead) return { mode: 'suffix', core };
  if (trail) return { mode: core === '' ? 'any' : 'prefix', core };
  return { mode: 'exact', core };
}

// ---------------------------------------------------------------------------------------------
// JSON patterns

/**
 * `{ SELECTOR OP VALUE }`, `{ SELECTOR IS NULL|TRUE|FALSE }`, `{ SELECTOR NOT EXISTS }`, combined
 * with `&&`, `||` and parentheses (precedence () > && > ||). Keywords are case-insensitive
 * (undocumented). `IS NOT` and `EXISTS` "currently aren't supported" and are rejected rather than
 * silently never matching.
 */
function parseJsonPattern(s: string, start: number, end: number): JsonPattern {
  const c = new Cursor(s, start + 1, end - 1);
  c.skipSpace();
  if (c.atEnd()) throw invalidPattern('a JSON filter pattern needs at least one condition', start);
  const expr = parseJsonOr(c);
  c.skipSpace();
  if (!c.atEnd()) throw invalidPattern(`expected '&&', '||' or '}' but found ${c.describeHere()}`, c.i);
  return { kind: 'json', source: s, expr };
}

function checkLogical(c: Cursor): void {
  const ch = c.peek();
  if ((ch === '&' && c.peek(1) !== '&') || (ch === '|' && c.peek(1) !== '|')) {
    throw invalidPattern(`'${ch}' is not an operator; use '${ch}${ch}'`, c.i);
  }
}

function parseJsonOr(c: Cursor): JsonExpr {
  const items = [parseJsonAnd(c)];
  for (;;) {
    c.skipSpace();
    checkLogical(c);
    if (!c.startsWith('||')) break;
    c.i += 2;
    items.push(parseJsonAnd(c));
  }
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function parseJsonAnd(c: Cursor): JsonExpr {
  const items = [parseJsonPrimary(c)];
  for (;;) {
    c.skipSpace();
    checkLogical(c);
    if (!c.startsWith('&&')) break;
    c.i += 2;
    items.push(parseJsonPrimary(c));
  }
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

function parseJsonPrimary(c: Cursor): JsonExpr {
  c.skipSpace();
  if (c.peek() === '(') {
    const open = c.i;
    c.i++;
    const e = parseJsonOr(c);
    c.skipSpace();
    if (c.peek() !== ')') throw invalidPattern(`missing ')' for the '(' at position ${open + 1}; found ${c.describeHere()}`, c.i);
    c.i++;
    return e;
  }
  if (c.peek() !== '$') throw invalidPattern(`expected a property selector starting with '$' or '(' but found ${c.describeHere()}`, c.i);
  return parseJsonCondition(c);
}

function readWord(c: Cursor): string {
  const from = c.i;
  while (!c.atEnd() && /[A-Za-z]/.test(c.s[c.i]!)) c.i++;
  return c.s.slice(from, c.i);
}

function parseJsonCondition(c: Cursor): JsonCondition {
  const pos = c.i;
  const selector = parseSelector(c);
  c.skipSpace();
  if (/[A-Za-z]/.test(c.peek() ?? '')) {
    const wordAt = c.i;
    const word = readWord(c).toUpperCase();
    if (word === 'IS') {
      c.skipSpace();
      const whatAt = c.i;
      const what = readWord(c).toUpperCase();
      if (what === 'NULL' || what === 'TRUE' || what === 'FALSE') {
        return { kind: 'is', selector, what: what.toLowerCase() as 'null' | 'true' | 'false', pos };
      }
      if (what === 'NOT') throw invalidPattern("'IS NOT' is not supported (AWS: \"The IS NOT and EXISTS operators currently aren't supported\")", wordAt);
      throw invalidPattern(`expected NULL, TRUE or FALSE after IS but found ${what === '' ? c.describeHere() : `'${what}'`}`, whatAt);
    }
    if (word === 'NOT') {
      c.skipSpace();
      const whatAt = c.i;
      if (readWord(c).toUpperCase() === 'EXISTS') return { kind: 'notExists', selector, pos };
      throw invalidPattern('expected EXISTS after NOT', whatAt);
    }
    if (word === 'EXISTS') {
      throw invalidPattern("'EXISTS' is not supported (AWS: \"The IS NOT and EXISTS operators currently aren't supported\"); use NOT EXISTS, or '= *'", wordAt);
    }
    throw invalidPattern(`unexpected '${word}' after ${selector.text}: expected an operator, IS or NOT EXISTS`, wordAt);
  }
  const op = parseOp(c);
  c.skipSpace();
  const value = parseValue(c, op, ')&|');
  return { kind: 'compare', selector, op, value, pos };
}

/**
 * `$.a`, `$.a-b_c`, `$.users[0].id`, `$.coordinates[0][1]`, `$.arrayKey[*]`. "Array elements are
 * denoted with [NUMBER] syntax, and must follow a property". `$.*` is not documented: rejected.
 */
function parseSelector(cur: Cursor): JsonSelector {
  const start = cur.i;
  if (cur.peek() !== '$') throw invalidPattern("a property selector starts with '$'", start);
  cur.i++;
  const steps: PathStep[] = [];
  for (;;) {
    const ch = cur.peek();
    if (ch === '.') {
      cur.i++;
      const from = cur.i;
      while (!cur.atEnd() && isPropChar(cur.s.charCodeAt(cur.i))) cur.i++;
      if (cur.i === from) {
        throw invalidPattern(`expected a property name (letters, digits, '-', '_') after '.' but found ${cur.describeHere()}`, cur.i);
      }
      steps.push({ kind: 'prop', name: cur.s.slice(from, cur.i) });
    } else if (ch === '[') {
      if (steps.length === 0) throw invalidPattern('an array index must follow a property, as in $.items[0]', cur.i);
      const open = cur.i;
      cur.i++;
      if (cur.peek() === '*') {
        cur.i++;
        steps.push({ kind: 'anyIndex' });
      } else {
        const from = cur.i;
        while (!cur.atEnd() && /[0-9]/.test(cur.s[cur.i]!)) cur.i++;
        const digits = cur.s.slice(from, cur.i);
        if (digits === '' || digits.length > 9) throw invalidPattern('expected an array index (a non-negative integer) or *', from);
        steps.push({ kind: 'index', index: Number(digits) });
      }
      if (cur.peek() !== ']') throw invalidPattern(`missing ']' for the '[' at position ${open + 1}`, cur.i);
      cur.i++;
    } else {
      break;
    }
  }
  if (steps.length === 0) throw invalidPattern("expected '.property' after '$'", cur.i);
  return { text: cur.s.slice(start, cur.i), steps };
}

/** A whole string as a property selector (`$.latency`), e.g. a metric filter's metricValue; throws like parseFilterPattern. */
export function parseSelectorText(text: string): JsonSelector {
  const cur = new Cursor(text, 0, text.length);
  const sel = parseSelector(cur);
  if (!cur.atEnd()) throw invalidPattern(`unexpected ${cur.describeHere()} in property selector`, cur.i);
  return sel;
}

// ---------------------------------------------------------------------------------------------
// Space-delimited patterns

/**
 * `[ip, user, ..., status_code = 4* || status_code = 5*, bytes > 1000]`. Each field is a name
 * (letters, digits, '_'), optionally with conditions on that same field joined by `&&` / `||`
 * (and, undocumented, parentheses); `...` stands for any number of fields. Undocumented: an empty
 * field (`[a, , b]`, or the 2023 doc's trailing comma `[..., status_code=4*,]`) is an unnamed field;
 * a condition naming another field (the doc's `status_code = 4* && bytes > 1000`, which AWS
 * answers with "Invalid filter pattern") is rejected.
 */
function parseDelimitedPattern(s: string, start: number, end: number): DelimitedPattern {
  const c = new Cursor(s, start + 1, end - 1);
  c.skipSpace();
  if (c.atEnd()) throw invalidPattern('a space-delimited filter pattern needs at least one field', start);
  const fields: DelimitedField[] = [];
  const names = new Set<string>();
  for (;;) {
    c.skipSpace();
    const pos = c.i;
    if (c.atEnd() || c.peek() === ',') {
      fields.push({ kind: 'field', name: null, cond: null, pos });
    } else if (c.startsWith('...')) {
      c.i += 3;
      fields.push({ kind: 'ellipsis', pos });
    } else if (c.startsWith('…')) {
      c.i += 1;
      fields.push({ kind: 'ellipsis', pos });
    } else {
      const name = peekName(c);
      if (name === '' && c.peek() !== '(') {
        throw invalidPattern(`expected a field name (letters, digits, '_'), '...' or ',' but found ${c.describeHere()}`, pos);
      }
      const save = c.i;
      c.i += name.length;
      c.skipSpace();
      let field: DelimitedField;
      if (name !== '' && (c.atEnd() || c.peek() === ',')) {
        field = { kind: 'field', name, cond: null, pos };
      } else {
        c.i = save;
        const ctx = { name: undefined as string | undefined };
        const cond = parseFieldOr(c, ctx);
        field = { kind: 'field', name: ctx.name!, cond, pos };
      }
      if (names.has(field.name!)) throw invalidPattern(`duplicate field name '${field.name}'`, pos);
      names.add(field.name!);
      fields.push(field);
    }
    c.skipSpace();
    if (c.atEnd()) break;
    if (c.peek() !== ',') throw invalidPattern(`expected ',' or ']' but found ${c.describeHere()}`, c.i);
    c.i++;
    if (c.atEnd()) {
      // A trailing comma: one more, unnamed, field.
      fields.push({ kind: 'field', name: null, cond: null, pos: c.i });
      break;
    }
  }
  return { kind: 'delimited', source: s, fields, hasEllipsis: fields.some((f) => f.kind === 'ellipsis') };
}

function peekName(c: Cursor): string {
  let j = c.i;
  while (j < c.end && isWordChar(c.s.charCodeAt(j))) j++;
  return c.s.slice(c.i, j);
}

function parseFieldOr(c: Cursor, ctx: { name: string | undefined }): FieldExpr {
  const items = [parseFieldAnd(c, ctx)];
  for (;;) {
    c.skipSpace();
    checkLogical(c);
    if (!c.startsWith('||')) break;
    c.i += 2;
    items.push(parseFieldAnd(c, ctx));
  }
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function parseFieldAnd(c: Cursor, ctx: { name: string | undefined }): FieldExpr {
  const items = [parseFieldPrimary(c, ctx)];
  for (;;) {
    c.skipSpace();
    checkLogical(c);
    if (!c.startsWith('&&')) break;
    c.i += 2;
    items.push(parseFieldPrimary(c, ctx));
  }
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

function parseFieldPrimary(c: Cursor, ctx: { name: string | undefined }): FieldExpr {
  c.skipSpace();
  if (c.peek() === '(') {
    const open = c.i;
    c.i++;
    const e = parseFieldOr(c, ctx);
    c.skipSpace();
    if (c.peek() !== ')') throw invalidPattern(`missing ')' for the '(' at position ${open + 1}; found ${c.describeHere()}`, c.i);
    c.i++;
    return e;
  }
  const pos = c.i;
  const name = peekName(c);
  if (name === '') throw invalidPattern(`expected a field name but found ${c.describeHere()}`, pos);
  if (ctx.name === undefined) ctx.name = name;
  else if (ctx.name !== name) {
    throw invalidPattern(`a field's conditions must all test that field: found '${name}' in the conditions of '${ctx.name}'`, pos);
  }
  c.i += name.length;
  c.skipSpace();
  const op = parseOp(c);
  c.skipSpace();
  const value = parseValue(c, op, ',)&|');
  return { kind: 'compare', op, value, pos };
}
