// The SQL editor: a highlighted <pre> under a transparent <textarea> (as in Logs Insights), plus a
// completion list at the caret. The list is placed by a hidden mirror of the text before the
// caret, wrapped exactly as the textarea wraps it, so no caret geometry is computed by hand.
// Typing an identifier, `db.`/`table.` or `FROM ` opens it; ↑/↓ pick, Tab accepts, and so does Enter
// once a word is begun (after `FROM ` alone, Enter is still a new line); Esc closes; Ctrl+Enter
// (⌘+Enter) runs the query.
import { useEffect, useId, useImperativeHandle, useLayoutEffect, useRef, useState, type ChangeEvent, type KeyboardEvent, type Ref } from 'react';
import type { Schema } from './sql-catalog.ts';
import { complete, type Completion } from './sql-complete.ts';
import { highlightSql } from './sql-highlight.tsx';

export interface SqlEditorHandle {
  /** Inserts text at the caret (replacing a selection), as the schema browser does with names. */
  insert(text: string): void;
}

interface Props {
  value: string;
  onChange: (v: string) => void;
  onRun: () => void;
  schema: Schema | undefined;
  database: string;
  ref?: Ref<SqlEditorHandle>;
}

/** Edits that continue a word; anything else (paste, undo, a newline) closes the list. */
const TYPING = new Set(['insertText', 'deleteContentBackward']);

export function SqlEditor({ value, onChange, onRun, schema, database, ref }: Props) {
  const area = useRef<HTMLTextAreaElement>(null);
  const [open, setOpen] = useState<Completion & { active: number }>();
  // Where the caret goes once React has rendered a programmatic edit.
  const caret = useRef<number | undefined>(undefined);
  const listId = useId();
  useLayoutEffect(() => {
    if (caret.current === undefined || !area.current) return;
    area.current.setSelectionRange(caret.current, caret.current);
    caret.current = undefined;
  }, [value]);

  const replace = (from: number, to: number, text: string) => {
    caret.current = from + text.length;
    onChange(value.slice(0, from) + text + value.slice(to));
    setOpen(undefined);
    area.current?.focus();
  };
  useImperativeHandle(ref, () => ({
    insert: (text) => {
      const el = area.current!;
      const from = el.selectionStart;
      // Keep a name from running into the word before it.
      replace(from, el.selectionEnd, /[\w.)]$/.test(value.slice(0, from)) && !text.startsWith(' ') ? ` ${text}` : text);
    },
  }));

  const change = (e: ChangeEvent<HTMLTextAreaElement>) => {
    const el = e.target;
    onChange(el.value);
    const typed = TYPING.has((e.nativeEvent as InputEvent).inputType) && el.selectionStart === el.selectionEnd;
    const c = typed && schema ? complete(el.value, el.selectionStart, schema, database) : undefined;
    setOpen(c && { ...c, active: 0 });
  };
  const keyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      setOpen(undefined);
      return onRun();
    }
    if (!open) return;
    const n = open.items.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen({ ...open, active: (open.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n });
    } else if (e.key === 'Tab' || (e.key === 'Enter' && open.to > open.from)) {
      e.preventDefault();
      replace(open.from, open.to, open.items[open.active]!.label);
    } else if (['Enter', 'Escape', 'ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(e.key)) {
      if (e.key === 'Escape') e.preventDefault();
      setOpen(undefined);
    }
  };

  return (
    <div className="editor">
      {/* The trailing newline keeps the <pre> as tall as the textarea when the query ends with one. */}
      <pre aria-hidden="true">{highlightSql(value)}{'\n'}</pre>
      <textarea ref={area} aria-label="Query" spellCheck={false} value={value} onChange={change} onKeyDown={keyDown}
        onClick={() => setOpen(undefined)} onBlur={() => setOpen(undefined)}
        aria-autocomplete="list" aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${open.active}` : undefined} />
      {open && <CompletionList id={listId} before={value.slice(0, open.from)} open={open} onPick={(label) => replace(open.from, open.to, label)} />}
    </div>
  );
}

/** The list sits at the end of a hidden copy of the text before the completed word. */
function CompletionList({ id, before, open, onPick }: { id: string; before: string; open: Completion & { active: number }; onPick: (label: string) => void }) {
  // A block body: Chromium's scrollIntoView now returns a Promise, which React would call as a cleanup.
  useEffect(() => {
    document.getElementById(`${id}-${open.active}`)?.scrollIntoView({ block: 'nearest' });
  }, [id, open.active]);
  return (
    <div className="editor-mirror">
      <span aria-hidden="true">{before}</span>
      <span className="caret-anchor">
        <ul className="completions" role="listbox" id={id} aria-label="Completions">
          {open.items.map((s, i) => (
            <li key={`${s.kind}:${s.label}`} id={`${id}-${i}`} role="option" aria-selected={i === open.active}
              className={i === open.active ? 'active' : ''}
              // mousedown, not click: the textarea must keep focus (its blur closes the list).
              onMouseDown={(e) => (e.preventDefault(), onPick(s.label))}>
              <span className={`kind kind-${s.kind}`} aria-hidden="true" title={s.kind}>{s.kind[0]}</span> {s.label} <span className="muted">{s.detail}</span>
            </li>
          ))}
        </ul>
      </span>
    </div>
  );
}
