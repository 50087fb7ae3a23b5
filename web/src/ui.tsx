// Shared building blocks: async state, loading/empty/error states, links, the time-range picker,
// in-page dialogs (the console never uses window.prompt/confirm: they block the tab and can't be styled).
import { useCallback, useEffect, useId, useRef, useState, type ReactNode, type MouseEvent } from 'react';
import { describeError } from './aws.ts';
import { navigate } from './router.ts';
import { RELATIVE, resolveRange, toInputValue, fromInputValue } from './time.ts';

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `fn` whenever deps change; a stale result (deps changed meanwhile) is dropped. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): Async<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fnRef.current().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps, as with useEffect; fn is read through a ref
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Calls `fn` every `ms` while mounted (0 = off). */
export function useInterval(fn: () => void, ms: number): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!ms) return;
    const id = setInterval(() => ref.current(), ms);
    return () => clearInterval(id);
  }, [ms]);
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <div className="state loading" role="status"><span className="spinner" /> {what}…</div>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const { code, message } = describeError(error);
  return (
    <div className="error" role="alert">
      <strong className="error-code">{code}</strong> {message}
    </div>
  );
}

/** Shows loading / error / empty, else renders children with the data. */
export function AsyncView<T>({ state, empty, isEmpty, children }: {
  state: Async<T>; empty?: ReactNode; isEmpty?: (d: T) => boolean; children: (d: T) => ReactNode;
}) {
  if (state.error) return <ErrorBox error={state.error} />;
  if (state.data === undefined) return <Loading />;
  if (isEmpty?.(state.data)) return <Empty>{empty ?? 'Nothing here yet.'}</Empty>;
  return <>{children(state.data)}</>;
}

/** An <a> that navigates without reloading, but still works with middle-click / copy link. */
export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const onClick = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={onClick} className={className}>{children}</a>;
}

/**
 * Relative ranges as buttons plus an absolute range (two datetime inputs in the console's time
 * zone); the value is time.ts's URL form. Pages pass their own relative choices where AWS's console
 * offers others (CloudTrail: up to 90 days).
 */
export function TimeRangePicker({ value, onChange, ranges = RELATIVE, absoluteLabel = 'Custom' }: {
  value: string; onChange: (v: string) => void; ranges?: readonly string[]; absoluteLabel?: string;
}) {
  const abs = /^\d+~\d+$/.test(value);
  const { start, end } = resolveRange(value);
  return (
    <div className="range" role="group" aria-label="Time range">
      {ranges.map((r) => (
        <button key={r} type="button" className={value === r ? 'active' : ''} aria-pressed={value === r} onClick={() => onChange(r)}>{r}</button>
      ))}
      <button type="button" className={abs ? 'active' : ''} aria-pressed={abs} onClick={() => onChange(`${start.getTime()}~${end.getTime()}`)}>
        {absoluteLabel}
      </button>
      {abs && (
        <>
          <input type="datetime-local" aria-label="Start" value={toInputValue(start)}
            onChange={(e) => e.target.value && onChange(`${fromInputValue(e.target.value).getTime()}~${end.getTime()}`)} />
          <input type="datetime-local" aria-label="End" value={toInputValue(end)}
            onChange={(e) => e.target.value && onChange(`${start.getTime()}~${fromInputValue(e.target.value).getTime()}`)} />
        </>
      )}
    </div>
  );
}

export function StateBadge({ state }: { state: string | undefined }) {
  return <span className={`badge badge-${(state ?? 'unknown').toLowerCase()}`}>{state ?? '—'}</span>;
}

/** A success message that screen readers announce (role=status). */
export function Notice({ children }: { children: ReactNode }) {
  return <div className="notice" role="status">{children}</div>;
}

/**
 * A modal dialog on the native <dialog>: showModal() gives focus trapping, Esc and the backdrop;
 * Esc (the `cancel` event) goes through onClose so the owner's state stays the source of truth.
 */
export function Dialog({ title, onClose, children, wide = false }: {
  title: string; onClose: () => void; children: ReactNode; /** As wide as the window allows (an image rather than a form). */ wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} className={wide ? 'dialog wide' : 'dialog'} aria-labelledby={id} onCancel={(e) => (e.preventDefault(), onClose())}>
      <h3 id={id}>{title}</h3>
      {children}
    </dialog>
  );
}

/** "Are you sure?" in a Dialog; the action's error shows inside it, success closes it. */
export function ConfirmDialog({ title, action, onConfirm, onClose, children }: {
  title: string; action: string; onConfirm: () => Promise<unknown>; onClose: () => void; children: ReactNode;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="dialog-body">{children}</div>
      <ErrorBox error={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>Cancel</button>
        <button type="button" className="primary danger" disabled={busy} onClick={() => void confirm()}>{action}</button>
      </div>
    </Dialog>
  );
}
