/** Unstructured-term patterns (`ERROR -DEBUG "exact phrase" ?optional`). */
import type { FilterPattern, Term } from './ast.ts';
import { invalidPattern, isSpace, isWordChar, readQuoted } from './parse-common.ts';

/**
 * `ERROR Exception` (all), `-DEBUG` (none), `?ERROR ?WARN` (any), `"exact phrase"`.
 * Unquoted terms may only contain letters, digits and '_' ("Enclose exact phrases and terms that
 * include non-alphanumeric characters in double quotation marks"); AWS answers other characters
 * with "Invalid character(s) in term". Undocumented: whitespace is allowed between a '?'/'-' prefix
 * and its term (the 2023 doc writes `"ERROR" - "Exiting"`).
 */
export function parseTerms(s: string, start: number, end: number): FilterPattern {
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

