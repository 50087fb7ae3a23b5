/**
 * Tokens of a metric math expression.
 *
 * - Ids "can include numbers, letters, an underscore, and must start with a lowercase letter";
 *   functions and keywords are uppercase words (the doc: "All functions must be written in
 *   uppercase letters"), so a word's first letter tells which it is.
 * - Strings take single or double quotes (SEARCH('…'), METRICS("errors")). The typographic quotes
 *   “…” of the doc's own example SUM([METRICS(“4xx”), METRICS(“5xx”)]) are accepted too. The text
 *   is kept raw: a backslash only stops the next character from closing the string, so escapes
 *   inside a SEARCH query reach the search parser untouched.
 * - Numbers: 12, 1.5, .5, 1e-36.
 */
import { MetricMathError } from './errors.ts';

export type Token =
  | { type: 'number'; value: number; pos: number }
  | { type: 'string'; value: string; pos: number }
  | { type: 'word'; value: string; pos: number }
  | { type: 'op'; value: string; pos: number }
  | { type: 'punct'; value: '(' | ')' | '[' | ']' | ','; pos: number }
  | { type: 'end'; pos: number };

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '+', '-', '*', '/', '^'];
const CLOSING_QUOTE: Record<string, string> = { "'": "'", '"': '"', '“': '”' };
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const num = NUMBER.exec(rest);
    if (num) {
      tokens.push({ type: 'number', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      tokens.push({ type: 'word', value: word[0], pos: i });
      i += word[0].length;
      continue;
    }
    const close = CLOSING_QUOTE[c];
    if (close !== undefined) {
      const start = i;
      i++;
      let value = '';
      while (i < text.length && text[i] !== close) {
        if (text[i] === '\\' && i + 1 < text.length) {
          value += text[i]! + text[i + 1]!;
          i += 2;
        } else {
          value += text[i]!;
          i++;
        }
      }
      if (i >= text.length) throw new MetricMathError(`Unterminated string starting at position ${start + 1}: add the closing ${close}.`);
      i++;
      tokens.push({ type: 'string', value, pos: start });
      continue;
    }
    if (c === '(' || c === ')' || c === '[' || c === ']' || c === ',') {
      tokens.push({ type: 'punct', value: c, pos: i });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (op !== undefined) {
      tokens.push({ type: 'op', value: op, pos: i });
      i += op.length;
      continue;
    }
    throw new MetricMathError(
      `Unexpected character '${c}' at position ${i + 1}. Expressions use ids, numbers, quoted strings, ` +
        `functions, [ ], ( ) and the operators + - * / ^ == != < > <= >= AND && OR ||.`,
    );
  }
  tokens.push({ type: 'end', pos: text.length });
  return tokens;
}
