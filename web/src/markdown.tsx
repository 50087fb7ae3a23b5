// Just enough Markdown for text widgets (headings, emphasis, code, links, lists, paragraphs),
// rendered to React elements so widget text can never inject HTML.
import type { ReactNode } from 'react';

function inline(s: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(\*\*[^*]+\*\*|\*[^*]+\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  for (const m of s.matchAll(re)) {
    out.push(s.slice(last, m.index));
    const t = m[0];
    const k = `${key}-${m.index}`;
    if (t.startsWith('**')) out.push(<strong key={k}>{t.slice(2, -2)}</strong>);
    else if (t.startsWith('`')) out.push(<code key={k}>{t.slice(1, -1)}</code>);
    else if (t.startsWith('[')) {
      const [, text, url] = /^\[([^\]]+)\]\(([^)]+)\)$/.exec(t)!;
      out.push(/^(https?:|\/|#)/.test(url) ? <a key={k} href={url}>{text}</a> : text);
    } else out.push(<em key={k}>{t.slice(1, -1)}</em>);
    last = m.index! + t.length;
  }
  out.push(s.slice(last));
  return out;
}

export function Markdown({ source }: { source: string }) {
  const blocks: ReactNode[] = [];
  let list: string[] = [];
  const flush = () => {
    if (list.length) blocks.push(<ul key={`ul${blocks.length}`}>{list.map((l, i) => <li key={i}>{inline(l, `li${i}`)}</li>)}</ul>);
    list = [];
  };
  source.split('\n').forEach((line, i) => {
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    const li = /^\s*[-*]\s+(.*)$/.exec(line);
    if (li) return void list.push(li[1]);
    flush();
    if (h) {
      const Tag = `h${Math.min(h[1].length, 6)}` as 'h1';
      blocks.push(<Tag key={i}>{inline(h[2], `h${i}`)}</Tag>);
    } else if (line.trim()) blocks.push(<p key={i}>{inline(line, `p${i}`)}</p>);
  });
  flush();
  return <div className="markdown">{blocks}</div>;
}
