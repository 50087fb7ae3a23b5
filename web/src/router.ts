// A tiny router: the path picks the page, the query string holds the page's state, so every view
// is a shareable link. pushState for navigation, replaceState for in-page state edits.
import { useSyncExternalStore, useCallback } from 'react';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, replace = false): void {
  if (to === snapshot()) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const s = useSyncExternalStore(subscribe, snapshot);
  const u = new URL(s, window.location.origin);
  return { path: u.pathname, query: u.searchParams };
}

/** Read and write query parameters of the current URL; `undefined`/'' removes a parameter. */
export function useQueryState(): [URLSearchParams, (patch: Record<string, string | undefined>, push?: boolean) => void] {
  const { query } = useLocation();
  const set = useCallback((patch: Record<string, string | undefined>, push = false) => {
    const q = new URLSearchParams(window.location.search);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') q.delete(k);
      else q.set(k, v);
    }
    const s = q.toString();
    navigate(window.location.pathname + (s ? `?${s}` : ''), !push);
  }, []);
  return [query, set];
}

export function href(path: string, params: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return path + (s ? `?${s}` : '');
}
