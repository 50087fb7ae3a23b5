// Time ranges as they appear in URLs: relative ("3h", "7d") or absolute ("<ms>~<ms>").
import { getPrefs } from './prefs.ts';

export const RELATIVE = ['15m', '1h', '3h', '12h', '1d', '3d', '1w'] as const;
const UNIT: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function resolveRange(range: string, now = Date.now()): { start: Date; end: Date } {
  const abs = /^(\d+)~(\d+)$/.exec(range);
  if (abs) return { start: new Date(Number(abs[1])), end: new Date(Number(abs[2])) };
  const rel = /^(\d+)([mhdw])$/.exec(range) ?? ['', '3', 'h'];
  return { start: new Date(now - Number(rel[1]) * UNIT[rel[2]]), end: new Date(now) };
}

/** A period giving at most ~300 points, rounded to CloudWatch's usual periods. */
export function autoPeriod(start: Date, end: Date): number {
  const want = (end.getTime() - start.getTime()) / 1000 / 300;
  return [60, 300, 900, 3600, 21600, 86400].find((p) => p >= want) ?? 86400;
}

export function formatTime(t: number | Date | undefined, withMs = false): string {
  if (t === undefined) return '';
  const tz = getPrefs().tz;
  const d = typeof t === 'number' ? new Date(t) : t;
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone: tz === 'UTC' ? 'UTC' : undefined,
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    ...(withMs ? { fractionalSecondDigits: 3 } : {}),
    hour12: false,
  });
  return f.format(d).replace(',', '.') + (tz === 'UTC' ? 'Z' : '');
}

/** For datetime-local inputs, in the chosen time zone. */
export function toInputValue(d: Date): string {
  const tz = getPrefs().tz;
  const shifted = tz === 'UTC' ? d : new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export function fromInputValue(v: string): Date {
  return getPrefs().tz === 'UTC' ? new Date(`${v}:00Z`) : new Date(v);
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
