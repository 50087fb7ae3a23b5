/**
 * What every filter-pattern parser shares: the error, the limits, character classes, numbers,
 * quoted strings and `*` wildcards. The parsers per pattern kind are parse-terms.ts,
 * parse-regex.ts, parse-json.ts and parse-delimited.ts; parse.ts picks one.
 */
import { ServiceError } from '../../../protocol/errors.ts';
import type { Glob } from './ast.ts';

/** filterPattern: "Length Constraints: Minimum length of 0. Maximum length of 1024." */
export const MAX_PATTERN_LENGTH = 1024;
/** "There is a limit of 2 regex for each filter pattern when creating a delimited or JSON filter pattern". */
export const MAX_REGEX_PER_PATTERN = 2;

export function invalidPattern(reason: string, pos?: number): ServiceError {
  const at = pos === undefined ? '' : ` (at position ${pos + 1})`;
  return new ServiceError('InvalidParameterException', `Invalid filter pattern: ${reason}${at}`);
}


// ---------------------------------------------------------------------------------------------
// Character classes

/** ASCII whitespace (what separates terms, and what is trimmed around a pattern). */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

export function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

export function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 0x5f; // _
}

/** JSON property names: "alphanumeric strings that also support '-' and '_' characters". */
export function isPropChar(c: number): boolean {
  return isWordChar(c) || c === 0x2d; // -
}

/** Characters allowed in an unquoted value (`UpdateTrail`, `123.123.*`, `4*`, `-1.5`, `1e+3`). */
export function isUnquotedValueChar(c: number): boolean {
  return isWordChar(c) || c === 0x2e || c === 0x2a || c === 0x2b || c === 0x2d; // . * + -
}


const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** AWS's NUMBER: an integer or decimal with optional sign, optionally followed by e/E and a signed integer. */
export function isNumberLiteral(s: string): boolean {
  return NUMBER_RE.test(s);
}


/**
 * A double-quoted string starting at s[i] === '"'. Undocumented: a backslash escapes '"' and '\'
 * (how AWS CDK's FilterPattern quotes terms); before any other character it is kept literally.
 */
export function readQuoted(s: string, i: number, end: number): { text: string; next: number } {
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

