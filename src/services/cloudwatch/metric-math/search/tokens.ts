/**
 * How CloudWatch search splits names into tokens ("CloudWatch search expressions: Tokenization"
 * and "Partial matches"):
 *
 * - Non-alphanumeric characters are delimiters and are dropped: `Network-Errors_2` → network,
 *   errors, 2.
 * - Inside a word, camel-case capitalization and digits start new tokens: `CustomCount1` →
 *   custom, count, 1; `SDBFailure` → sdb, failure; `Project2-trial333` → project, 2, trial, 333.
 * - The whole name with the delimiters removed is a token as well: customcount1, project2trial333.
 *
 * A partial search term is tokenized the same way and matches a name when its tokens appear
 * consecutively in the name's tokens. A single token matches case-insensitively (count, Count and
 * COUNT all find CustomCount1). When a word of the term splits into several tokens, that word is a
 * composite and matches case-sensitively: CustomCount and Count1 find CustomCount1, customcount
 * and count1 do not, and couNT (cou + NT) does not. Words separated by delimiters in the term are
 * each compared on their own, which is how network/errors, network+errors and Network_Errors all
 * find both Network-Errors-2 and NetworkErrors2.
 */

const DELIMITERS = /[^\p{L}\p{N}]+/u;
const SUBTOKEN = /\p{Lu}+(?!\p{Ll})|\p{Lu}?\p{Ll}+|\p{N}+|[\p{L}\p{N}]/gu;

/** The camel-case / digit pieces of one delimiter-free word, case kept. */
export const subtokens = (word: string): string[] => word.match(SUBTOKEN) ?? [];

/** The words of a name (split at non-alphanumerics), case kept. */
export const words = (text: string): string[] => text.split(DELIMITERS).filter((w) => w !== '');

/** Every token the doc's table would list for a name, lowercased (for tests and debugging). */
export function tokensOf(name: string): string[] {
  const pieces = words(name).flatMap(subtokens).map((t) => t.toLowerCase());
  const whole = words(name).join('').toLowerCase();
  return whole === '' ? [] : [...new Set([whole, ...pieces])];
}

interface Piece {
  text: string;
  caseSensitive: boolean;
}

/** A partial-match term, prepared once and matched against many names. */
export interface PartialMatcher {
  matches(name: string): boolean;
}

export function partialMatcher(term: string): PartialMatcher {
  const termWords = words(term);
  const whole = termWords.join('').toLowerCase();
  const pattern: Piece[] = termWords.flatMap((w) => {
    const pieces = subtokens(w);
    return pieces.map((text) => ({ text, caseSensitive: pieces.length > 1 }));
  });
  return {
    matches(name: string): boolean {
      if (pattern.length === 0) return false;
      const nameWords = words(name);
      if (nameWords.join('').toLowerCase() === whole) return true;
      const seq = nameWords.flatMap(subtokens);
      for (let start = 0; start + pattern.length <= seq.length; start++) {
        if (pattern.every((p, j) => samePiece(seq[start + j]!, p))) return true;
      }
      return false;
    },
  };
}

const samePiece = (token: string, p: Piece): boolean =>
  p.caseSensitive ? token === p.text : token.toLowerCase() === p.text.toLowerCase();
