// SQL syntax highlighting for the editor's <pre> underlay, with the token classes of the Logs
// Insights editor (highlight.tsx), so both editors read alike in either theme.
import type { ReactNode } from 'react';
import { isKeyword, TOKEN } from './sql-lexer.ts';

function classOf(src: string, t: string, at: number): string | undefined {
  if (t.startsWith('--') || t.startsWith('/*')) return 'tok-comment';
  if (t.startsWith("'")) return 'tok-str';
  if (t.startsWith('"')) return 'tok-field';
  if (/^\d/.test(t)) return 'tok-num';
  if (!/^[A-Za-z_]/.test(t)) return undefined;
  if (isKeyword(t)) return 'tok-cmd';
  // A name followed by "(" is a function call.
  return /^\s*\(/.test(src.slice(at + t.length)) ? 'tok-fn' : undefined;
}

export function highlightSql(src: string): ReactNode[] {
  const out: ReactNode[] = [];
  let i = 0;
  for (const [t] of src.matchAll(TOKEN)) {
    const cls = classOf(src, t, i);
    out.push(cls ? <span key={i} className={cls}>{t}</span> : t);
    i += t.length;
  }
  return out;
}
