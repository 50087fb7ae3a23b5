/**
 * `%…%` regular expressions (standalone, or as values in JSON and space-delimited patterns):
 * AWS's supported subset (FilterAndPatternSyntax.html, "Supported regular expressions (regex)
 * syntax"), validated and translated to one JS and one RE2 source.
 */
import { linearRegExp } from '../../../lib/linear-regexp.ts';
import type { Regex } from './ast.ts';
import { invalidPattern, isAlnum } from './parse-common.ts';

/** RE2 rejects larger repetition counts, so we do too (the same regex must compile in both engines). */
export const MAX_REPEAT = 1000;

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
 * (an empty class `[]`, a lone `{`, stacked repetitions, escapes other than `\d\D\s\S\w\W`, `\xhh`
 * and of supported symbols/operators).
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
        const esc = parseEscape(src, i, fail);
        js += esc.js;
        re2 += esc.re2;
        i = esc.next;
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
      if (i < n && isRepetition(src[i]!)) {
        if (!quantifiable) fail(`'${src[i]}' cannot follow an anchor`, i);
        const q = parseRepetition(src, i, fail);
        js += q.out;
        re2 += q.out;
        i = q.next;
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

/** `\d`, `\D`, `\s`, `\S`, `\w`, `\W`, `\xhh` or an escaped operator/symbol, outside a class; src[i] is the backslash. */
function parseEscape(src: string, i: number, fail: (r: string, at: number) => never): { js: string; re2: string; next: number } {
  if (i + 1 >= src.length) fail("a regular expression cannot end with '\\'", i);
  const e = src[i + 1]!;
  const set = classEscape(e);
  if (set !== undefined) return { js: set, re2: set, next: i + 2 };
  if (e === 'D' || e === 'W' || e === 'S') {
    const neg = e === 'D' ? DIGIT_SET : e === 'W' ? WORD_SET : SPACE_SET;
    return { js: jsNegated(neg), re2: `[^${neg}]`, next: i + 2 };
  }
  if (e === 'x') {
    const h = readHexEscape(src, i, fail);
    const lit = literalOutside(h.ch);
    return { js: lit, re2: lit, next: h.next };
  }
  if (!(REGEX_OPERATORS.has(e) || REGEX_SYMBOLS.has(e))) {
    fail(`unsupported escape '\\${e}' in a regular expression (supported: \\d \\D \\s \\S \\w \\W \\xhh and escaped operators)`, i);
  }
  const lit = literalOutside(e);
  return { js: lit, re2: lit, next: i + 2 };
}

/**
 * `\xhh` at src[i] ("Matches the ASCII mapping for a two-digit hexadecimal character", e.g. `\x3A`
 * matches ':' and `\x28` matches '('). Undocumented: lowercase digits are accepted (the doc says
 * 0-9 and A-F); codes above 7F are rejected, as they are not ASCII and multi-byte characters are
 * not supported.
 */
function readHexEscape(src: string, i: number, fail: (r: string, at: number) => never): { ch: string; next: number } {
  const hh = src.slice(i + 2, i + 4);
  if (!/^[0-9A-Fa-f]{2}$/.test(hh)) fail("'\\x' must be followed by two hexadecimal digits, as in \\x3A", i);
  const code = parseInt(hh, 16);
  if (code > 0x7f) fail(`'\\x${hh}' is not an ASCII character: \\xhh must be between \\x00 and \\x7F`, i);
  return { ch: String.fromCharCode(code), next: i + 4 };
}

// A character from `\xhh` may be one the subset does not allow written out (a control character,
// '!', '%', a quote…): those are written `\xHH`, which JS and RE2 read the same way.
const hexLiteral = (ch: string): string => `\\x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

function literalOutside(ch: string): string {
  if (ESCAPE_OUTSIDE.has(ch)) return `\\${ch}`;
  return isRegexLiteral(ch) ? ch : hexLiteral(ch);
}

function literalInside(ch: string): string {
  if (ESCAPE_INSIDE.has(ch)) return `\\${ch}`;
  return isRegexLiteral(ch) || REGEX_OPERATORS.has(ch) ? ch : hexLiteral(ch);
}

function classEscape(e: string): string | undefined {
  if (e === 'd') return `[${DIGIT_SET}]`;
  if (e === 'w') return `[${WORD_SET}]`;
  if (e === 's') return `[${SPACE_SET}]`;
  return undefined;
}

const isRepetition = (c: string): boolean => c === '*' || c === '+' || c === '?' || c === '{';

/** At most one repetition operator, optionally made lazy with '?' (RE2 rejects stacked ones). */
function parseRepetition(src: string, i: number, fail: (r: string, at: number) => never): { out: string; next: number } {
  const q = parseQuantifier(src, i, fail);
  let { out, next } = q;
  if (src[next] === '?') {
    out += '?';
    next++;
  }
  if (next < src.length && isRepetition(src[next]!)) fail(`'${src[next]}' cannot follow another repetition operator`, next);
  return { out, next };
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
      } else if (e === 'x') {
        const h = readHexEscape(src, i, fail);
        lo = h.ch;
        i = h.next - 2;
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
      if (src[i + 1] === '\\' && src[i + 2] === 'x') {
        const h = readHexEscape(src, i + 1, fail);
        hi = h.ch;
        next = h.next;
      } else if (src[i + 1] === '\\') {
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
