/**
 * Tokens of Athena's DDL (Hive's grammar: CREATE EXTERNAL TABLE, ALTER TABLE … PARTITION, MSCK,
 * SHOW, DESCRIBE). Hive string literals take backslash escapes (`'\"'` is `"`, `'\\'` is `\`),
 * which is how AWS's documented RegexSerDe patterns are written; identifiers may be back-quoted.
 */
import { AthenaSqlError } from '../sql/errors.ts';

export type Token =
  | { kind: 'word'; text: string; upper: string; at: number }
  | { kind: 'quoted'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; text: string; at: number }
  | { kind: 'punct'; text: string; at: number };

// Hive's unescapeSQLString: these letters, `\%` and `\_` keep their backslash (LIKE escapes), any other
// escaped character stands for itself (so documented regexes write `\\s` for `\s`).
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', '0': '\0', Z: '\x1a', '%': '\\%', _: '\\_' };

/** A Hive string literal's body from `start` (just after the opening quote); returns the text and the index after the closing quote. */
function readString(src: string, start: number, quote: string): { text: string; end: number } {
  let out = '';
  let i = start;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length) {
      const n = src[i + 1]!;
      // Hive's unescapeSQLString: octal \NNN (the documented '\001' delimiters), then the letters.
      const octal = /^[0-3][0-7]{2}/.exec(src.slice(i + 1, i + 4));
      if (octal) {
        out += String.fromCharCode(parseInt(octal[0], 8));
        i += 4;
        continue;
      }
      const uni = /^u([0-9a-fA-F]{4})/.exec(src.slice(i + 1, i + 6));
      if (uni) {
        out += String.fromCharCode(parseInt(uni[1]!, 16));
        i += 6;
        continue;
      }
      out += ESCAPES[n] ?? n;
      i += 2;
      continue;
    }
    if (c === quote) return { text: out, end: i + 1 };
    out += c;
    i++;
  }
  throw new AthenaSqlError('SYNTAX_ERROR', `line ${lineCol(src, start - 1)}: unterminated string literal`);
}

export function lineCol(src: string, offset: number): string {
  const before = src.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const rest = src.slice(i);
    const ws = /^(?:\s+|--[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
    if (ws) { i += ws[0].length; continue; }
    const c = src[i]!;
    if (c === "'" || c === '"') {
      const s = readString(src, i + 1, c);
      out.push({ kind: 'string', text: s.text, at: i });
      i = s.end;
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end === -1) throw new AthenaSqlError('SYNTAX_ERROR', `line ${lineCol(src, i)}: unterminated quoted identifier`);
      out.push({ kind: 'quoted', text: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const num = /^-?\d+(?:\.\d+)?/.exec(rest);
    if (num && !/^[A-Za-z_]/.test(rest.slice(num[0].length))) {
      out.push({ kind: 'number', text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][\w$]*|^\d[\w$]*/.exec(rest);
    if (word) {
      out.push({ kind: 'word', text: word[0], upper: word[0].toUpperCase(), at: i });
      i += word[0].length;
      continue;
    }
    out.push({ kind: 'punct', text: c, at: i });
    i++;
  }
  return out;
}
