// Logs Insights syntax highlighting: a highlighted <pre> under a transparent <textarea>, so the
// editor stays a plain, accessible text field.
import type { ReactNode } from 'react';

const COMMANDS = /^(fields|display|filter|stats|sort|limit|dedup|parse|as|by|asc|desc|and|or|not|in|like)$/i;
const TOKEN = /("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\/(?:[^/\\]|\\.)+\/|@[\w.]+|[A-Za-z_][\w.]*|\d+(?:\.\d+)?[smhd]?|\s+|.)/g;

export function highlight(src: string): ReactNode[] {
  const out: ReactNode[] = [];
  let i = 0;
  for (const [t] of src.matchAll(TOKEN)) {
    const cls = /^["'/]/.test(t) && t.length > 1 ? 'tok-str'
      : COMMANDS.test(t) ? 'tok-cmd'
      : /^@/.test(t) ? 'tok-field'
      : /^\d/.test(t) ? 'tok-num'
      : /^[A-Za-z_]/.test(t) && isCall(src, t, i) ? 'tok-fn'
      : undefined;
    out.push(cls ? <span key={i} className={cls}>{t}</span> : t);
    i += t.length;
  }
  return out;
}

const isCall = (src: string, t: string, at: number) => /^\s*\(/.test(src.slice(at + t.length));

export function QueryEditor({ value, onChange, onRun }: { value: string; onChange: (v: string) => void; onRun: () => void }) {
  return (
    <div className="editor">
      {/* The trailing newline keeps the <pre> as tall as the textarea when the query ends with one. */}
      <pre aria-hidden="true">{highlight(value)}{'\n'}</pre>
      <textarea aria-label="Query" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => (e.ctrlKey || e.metaKey) && e.key === 'Enter' && (e.preventDefault(), onRun())} />
    </div>
  );
}
