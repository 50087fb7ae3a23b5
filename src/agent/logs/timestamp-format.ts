/**
 * The agent's `timestamp_format` (strftime-like tokens, CloudWatch agent docs) → a matcher that
 * finds the timestamp in a log line and reads it. Tokens: %y %Y year; %b %B month name; %m / %-m
 * month; %d / %-d day; %A %a weekday (matched, not used); %H / %-H, %I / %-I with %p hour; %M / %-M
 * minute; %S / %-S second; %f fraction (1–9 digits); %z offset (+hhmm, +hh:mm, Z); %Z zone name
 * (UTC/GMT/Z honoured; other names read as the configured timezone). A format without a year takes
 * the current one. Times without an offset are in `timezone` (UTC, or the host's local time).
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAMES = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)';
const WEEKDAY_NAMES = '(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun)';

type Part = 'year2' | 'year' | 'month' | 'monthName' | 'day' | 'hour' | 'hour12' | 'ampm' | 'minute' | 'second' | 'fraction' | 'offset' | 'zone';

const TOKENS: Record<string, [string, Part | undefined]> = {
  '%y': ['(\\d{2})', 'year2'], '%Y': ['(\\d{4})', 'year'],
  '%b': [MONTH_NAMES, 'monthName'], '%B': [MONTH_NAMES, 'monthName'],
  '%m': ['(\\d{2})', 'month'], '%-m': ['(\\d{1,2})', 'month'],
  '%d': ['(\\d{2})', 'day'], '%-d': ['(\\d{1,2})', 'day'],
  '%A': [WEEKDAY_NAMES, undefined], '%a': [WEEKDAY_NAMES, undefined],
  '%H': ['(\\d{2})', 'hour'], '%-H': ['(\\d{1,2})', 'hour'],
  '%I': ['(\\d{2})', 'hour12'], '%-I': ['(\\d{1,2})', 'hour12'], '%p': ['(AM|PM|am|pm)', 'ampm'],
  '%M': ['(\\d{2})', 'minute'], '%-M': ['(\\d{1,2})', 'minute'],
  '%S': ['(\\d{2})', 'second'], '%-S': ['(\\d{1,2})', 'second'],
  '%f': ['(\\d{1,9})', 'fraction'],
  '%z': ['(Z|[+-]\\d{2}:?\\d{2})', 'offset'], '%Z': ['([A-Za-z]{1,5})', 'zone'],
};

export class TimestampFormatError extends Error {}

export interface TimestampMatcher {
  /** The regex source that finds the timestamp (multi_line_start_pattern `{timestamp_format}` uses it). */
  source: string;
  /** The line's timestamp in epoch ms, or undefined when the line has none. */
  parse(line: string, now?: Date): number | undefined;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileTimestampFormat(format: string, timezone: 'UTC' | 'Local'): TimestampMatcher {
  const parts: Part[] = [];
  let source = '';
  for (let i = 0; i < format.length;) {
    const token = format.startsWith('%-', i) ? format.slice(i, i + 3) : format.slice(i, i + 2);
    const known = format[i] === '%' ? TOKENS[token] : undefined;
    if (format[i] === '%' && !known) throw new TimestampFormatError(`unknown token ${token} in timestamp_format ${JSON.stringify(format)}`);
    if (known) {
      source += known[0];
      if (known[1]) parts.push(known[1]);
      i += token.length;
    } else {
      source += /\s/.test(format[i]!) ? '\\s+' : escape(format[i]!);
      i++;
    }
  }
  if (!parts.includes('hour') && !parts.includes('hour12')) throw new TimestampFormatError(`timestamp_format ${JSON.stringify(format)} has no hour (%H or %I)`);
  const re = new RegExp(source);
  return { source, parse: (line, now = new Date()) => read(re, parts, line, timezone, now) };
}

function read(re: RegExp, parts: readonly Part[], line: string, timezone: 'UTC' | 'Local', now: Date): number | undefined {
  const m = re.exec(line);
  if (!m) return undefined;
  const v: Partial<Record<Part, string>> = {};
  parts.forEach((p, i) => { v[p] = m[i + 1]; });
  const year = v.year ? Number(v.year) : v.year2 ? 2000 + Number(v.year2) : timezone === 'UTC' ? now.getUTCFullYear() : now.getFullYear();
  const month = v.monthName ? MONTHS.indexOf(v.monthName.slice(0, 3).toLowerCase()) : v.month ? Number(v.month) - 1 : 0;
  let hour = Number(v.hour ?? v.hour12 ?? 0);
  if (v.hour12 !== undefined) hour = (hour % 12) + (v.ampm?.toLowerCase() === 'pm' ? 12 : 0);
  const ms = v.fraction ? Math.floor(Number(`0.${v.fraction}`) * 1000) : 0;
  const fields = [year, month, Number(v.day ?? 1), hour, Number(v.minute ?? 0), Number(v.second ?? 0), ms] as const;
  const offset = offsetMinutes(v.offset, v.zone);
  if (offset !== undefined) return Date.UTC(...fields) - offset * 60_000;
  return timezone === 'UTC' ? Date.UTC(...fields) : new Date(...fields).getTime();
}

function offsetMinutes(offset: string | undefined, zone: string | undefined): number | undefined {
  if (offset) {
    if (offset === 'Z') return 0;
    const d = offset.replace(':', '');
    const sign = d.startsWith('-') ? -1 : 1;
    return sign * (Number(d.slice(1, 3)) * 60 + Number(d.slice(3, 5)));
  }
  if (zone && /^(UTC|GMT|Z)$/i.test(zone)) return 0;
  return undefined;
}
