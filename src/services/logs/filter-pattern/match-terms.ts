/** Matching unstructured-term patterns: case-sensitive substrings (see match.ts for the semantics). */
import type { TermsPattern } from './ast.ts';

export function compileTerms(p: TermsPattern): (m: string) => boolean {
  const blank = (text: string): boolean => text.trim() === '';
  const include = p.include.map((t) => t.text).filter((t) => !blank(t));
  const exclude = p.exclude.map((t) => t.text);
  // "If you combine ? with other filter patterns, all question mark terms will be ignored."
  const useOptional = p.include.length === 0 && p.exclude.length === 0;
  const optional = useOptional ? p.optional.map((t) => t.text) : [];
  if (exclude.some(blank)) return () => false; // -" " excludes everything
  if (optional.some(blank)) optional.length = 0; // ?" " accepts everything
  if (include.length === 1 && exclude.length === 0 && optional.length === 0) {
    const t = include[0]!;
    return (m) => m.includes(t);
  }
  return (m) => {
    for (const t of include) if (!m.includes(t)) return false;
    for (const t of exclude) if (m.includes(t)) return false;
    if (optional.length === 0) return true;
    for (const t of optional) if (m.includes(t)) return true;
    return false;
  };
}
