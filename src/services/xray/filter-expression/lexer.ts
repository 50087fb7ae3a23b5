/**
 * Tokens of an X-Ray filter expression. Words are case-insensitive (`AND`/`and`, `responseTime`
 * in the guide's own examples); dotted words are one token (`http.url`, `annotation.gameid`,
 * `rootcause.fault.service`, `account.id`); strings are double-quoted with `\"` and `\\` escapes.
 */
import { FilterExpressionError } from './errors.ts';

export type Token =
  | { kind: 'word'; start: number; text: string; lower: string }
  | { kind: 'string'; start: number; text: string; value: string }
  | { kind: 'number'; start: number; text: string; value: number }
  | { kind: 'op'; start: number; text: string }
  | { kind: 'eof'; start: number; text: string };

/** Longest first, so `!=` is not read as `!` then `=`. */
const OPS = ['!=', '<=', '>=', '=', '<', '>', '!', '(', ')', '{', '}', ',', ':', '#', '[', ']'];
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_.-]*/y;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const token = readToken(text, i);
    tokens.push(token);
    i = token.start + token.text.length;
  }
  tokens.push({ kind: 'eof', start: text.length, text: '' });
  return tokens;
}

function readToken(text: string, i: number): Token {
  if (text[i] === '"') return readString(text, i);
  NUMBER.lastIndex = i;
  const number = NUMBER.exec(text);
  // `-` only starts a number; a word never starts with a digit, so digits are always numbers.
  if (number && (text[i] !== '-' || number[0].length > 1)) {
    return { kind: 'number', start: i, text: number[0], value: Number(number[0]) };
  }
  WORD.lastIndex = i;
  const word = WORD.exec(text);
  if (word) {
    // `annotation.` (a trailing dot) is read as one word; the parser reports the missing key.
    return { kind: 'word', start: i, text: word[0], lower: word[0].toLowerCase() };
  }
  const op = OPS.find((o) => text.startsWith(o, i));
  if (op) return { kind: 'op', start: i, text: op };
  throw new FilterExpressionError(`unexpected character '${text[i]}'`, i);
}

function readString(text: string, start: number): Token {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { kind: 'string', start, text: text.slice(start, i + 1), value };
    if (c === '\\' && i + 1 < text.length) {
      value += text[++i];
      continue;
    }
    value += c;
  }
  throw new FilterExpressionError('unterminated string (a value opened with " is never closed)', start);
}
