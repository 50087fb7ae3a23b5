/**
 * Tokens of the AlarmRule language. Per the composite-alarm guide: references may be quoted or
 * not; "If specified without quotes, alarm names or ARNs must not contain spaces, round brackets,
 * or commas", and "If specified within quotes, alarm names or ARNs that include double quotes (")
 * must enclose the " using backslash escape (\) characters". So a bare word runs until whitespace,
 * a bracket, a comma or a quote; keywords are bare words the parser recognises by position.
 */
import { AlarmRuleError } from './errors.ts';

export type Token =
  | { type: 'word'; text: string; pos: number }
  | { type: 'string'; text: string; pos: number }
  | { type: '(' | ')' | ','; pos: number }
  | { type: 'end'; pos: number };

export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, pos: i });
      i++;
    } else if (c === '"') {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new AlarmRuleError(`Unterminated quoted alarm name starting at position ${start}.`, start);
        const ch = text[i]!;
        if (ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
          value += text[i + 1];
          i += 2;
        } else if (ch === '"') {
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      tokens.push({ type: 'string', text: value, pos: start });
    } else {
      const start = i;
      while (i < text.length && !/[\s(),"]/.test(text[i]!)) i++;
      tokens.push({ type: 'word', text: text.slice(start, i), pos: start });
    }
  }
  tokens.push({ type: 'end', pos: text.length });
  return tokens;
}
