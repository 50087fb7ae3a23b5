/**
 * How generated ClickHouse text is spelled. Nothing of the user's statement reaches ClickHouse as
 * written: identifiers are generated (`r0`, `c0`) or come from the catalog and are backquoted with
 * escapes; strings and numbers are re-quoted from their parsed values.
 */
import { AthenaSqlError } from './errors.ts';

/** A backquoted ClickHouse identifier (backslash and backquote escaped). */
export const ident = (name: string): string => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;

/** A ClickHouse string literal: inside single quotes only the backslash and the quote are special. */
export const str = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * A numeric literal from the parser's value (a number, or the text of one), re-spelled so only
 * digits, a point, an exponent and a sign come out.
 */
export function num(value: unknown): string {
  const text = String(value);
  if (/^-?\d+$/.test(text)) return text.replace(/^(-?)0+(?=\d)/, '$1');
  const n = Number(text);
  if (!Number.isFinite(n)) throw new AthenaSqlError('SYNTAX_ERROR', `Invalid numeric literal: ${text.slice(0, 40)}`);
  return String(n);
}

/** Trino string literals escape a quote by doubling it; the parser keeps the doubled form. */
export const unquoteTrino = (raw: string): string => raw.replace(/''/g, "'");
