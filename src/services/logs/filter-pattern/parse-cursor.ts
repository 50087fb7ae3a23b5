/**
 * The cursor, comparison operators and values shared by JSON (parse-json.ts) and space-delimited
 * (parse-delimited.ts) patterns.
 */
import type { CompareOp, Value } from './ast.ts';
import {
  MAX_REGEX_PER_PATTERN, invalidPattern, isNumberLiteral, isSpace, isUnquotedValueChar, readQuoted, toGlob,
} from './parse-common.ts';
import { parseRegex } from './parse-regex.ts';

export class Cursor {
  i: number;
  regexCount = 0;
  /** Selectors with a `[*]` or `.*` so far (JSON patterns). */
  wildcardCount = 0;
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

export function parseOp(c: Cursor): CompareOp {
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
export function parseValue(c: Cursor, op: CompareOp, stops: string): Value {
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


export function checkLogical(c: Cursor): void {
  const ch = c.peek();
  if ((ch === '&' && c.peek(1) !== '&') || (ch === '|' && c.peek(1) !== '|')) {
    throw invalidPattern(`'${ch}' is not an operator; use '${ch}${ch}'`, c.i);
  }
}

