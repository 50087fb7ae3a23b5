// Per-browser display preferences (theme, time zone); not part of a shared link on purpose.
import { useSyncExternalStore } from 'react';

export interface Prefs {
  theme: 'light' | 'dark';
  tz: 'local' | 'UTC';
}

const KEY = 'osprey.prefs';
const listeners = new Set<() => void>();
let current: Prefs = (() => {
  const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
  try {
    return { theme: dark ? 'dark' : 'light', tz: 'local', ...JSON.parse(localStorage.getItem(KEY) ?? '{}') } as Prefs;
  } catch {
    return { theme: dark ? 'dark' : 'light', tz: 'local' };
  }
})();

export function setPrefs(p: Partial<Prefs>): void {
  current = { ...current, ...p };
  localStorage.setItem(KEY, JSON.stringify(current));
  listeners.forEach((l) => l());
}

export const getPrefs = () => current;

export function usePrefs(): Prefs {
  return useSyncExternalStore((l) => (listeners.add(l), () => listeners.delete(l)), () => current);
}
