/**
 * Filter pattern text → typed AST (ast.ts). Every invalid or unsupported pattern is rejected with
 * `InvalidParameterException: Invalid filter pattern: <reason> (at position N)`, N counting
 * characters of the pattern from 1; nothing is ever degraded to "match everything".
 *
 * Syntax follows AWS's "Filter pattern syntax for metric filters, subscription filters, filter log
 * events, and Live Tail" page and its supported-regex section. Decisions on undocumented points are
 * marked "Undocumented:" in the parser of each kind: parse-terms.ts, parse-regex.ts, parse-json.ts,
 * parse-delimited.ts (parse-common.ts and parse-cursor.ts hold what they share).
 */
import type { FilterPattern } from './ast.ts';
import { MAX_PATTERN_LENGTH, invalidPattern, isSpace } from './parse-common.ts';
import { parseDelimitedPattern } from './parse-delimited.ts';
import { parseJsonPattern } from './parse-json.ts';
import { parseRegex } from './parse-regex.ts';
import { parseTerms } from './parse-terms.ts';

export { MAX_PATTERN_LENGTH, MAX_REGEX_PER_PATTERN, invalidPattern, isNumberLiteral, toGlob } from './parse-common.ts';
export { MAX_REPEAT, parseRegex } from './parse-regex.ts';
export { parseSelectorText } from './parse-json.ts';

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
