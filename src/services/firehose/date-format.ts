/**
 * The part of Java's DateTimeFormatter pattern language that Firehose's `!{timestamp:…}` prefix
 * expressions are written in: letters are fields (yyyy, MM, dd, HH, mm, ss, SSS, a, EEE, MMM, D…),
 * text in single quotes is literal ('' is a quote), every other character is copied. Patterns are
 * compiled once (at CreateDeliveryStream, so a bad one is refused there) and formatted per object.
 */
export class DateFormatError extends Error {}

type Part = { kind: 'literal'; text: string } | { kind: 'field'; letter: string; width: number };

export interface DateFields {
  year: number; month: number; day: number; hour: number; minute: number; second: number; millis: number;
  /** 1 = Monday … 7 = Sunday (ISO). */
  weekday: number;
  dayOfYear: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const SUPPORTED = new Set(['y', 'u', 'M', 'L', 'd', 'D', 'H', 'k', 'h', 'K', 'm', 's', 'S', 'a', 'E']);
/** DateTimeFormatter reserves these for optional sections and future use. */
const RESERVED = new Set(['[', ']', '{', '}', '#']);

export function compileDatePattern(pattern: string): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) throw new DateFormatError(`unterminated quote in timestamp pattern "${pattern}"`);
      parts.push({ kind: 'literal', text: end === i + 1 ? "'" : pattern.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      if (!SUPPORTED.has(c)) throw new DateFormatError(`unsupported pattern letter '${c}' in timestamp pattern "${pattern}" (Osprey supports ${[...SUPPORTED].join(' ')})`);
      parts.push({ kind: 'field', letter: c, width: j - i });
      i = j;
      continue;
    }
    if (RESERVED.has(c)) throw new DateFormatError(`character '${c}' is reserved in timestamp pattern "${pattern}"; quote it ('${c}')`);
    parts.push({ kind: 'literal', text: c });
    i++;
  }
  return parts;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function field(letter: string, width: number, f: DateFields): string {
  switch (letter) {
    case 'y': case 'u': return width === 2 ? pad(f.year % 100, 2) : pad(f.year, width);
    case 'M': case 'L': return width >= 4 ? MONTHS[f.month - 1]! : width === 3 ? MONTHS[f.month - 1]!.slice(0, 3) : pad(f.month, width);
    case 'd': return pad(f.day, width);
    case 'D': return pad(f.dayOfYear, width);
    case 'H': return pad(f.hour, width);
    case 'k': return pad(f.hour === 0 ? 24 : f.hour, width);
    case 'h': return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, width);
    case 'K': return pad(f.hour % 12, width);
    case 'm': return pad(f.minute, width);
    case 's': return pad(f.second, width);
    case 'S': return pad(f.millis, 3).padEnd(width, '0').slice(0, width);
    case 'a': return f.hour < 12 ? 'AM' : 'PM';
    default: return width >= 4 ? DAYS[f.weekday - 1]! : DAYS[f.weekday - 1]!.slice(0, 3); // 'E'
  }
}

export function formatDate(parts: Part[], f: DateFields): string {
  return parts.map((p) => (p.kind === 'literal' ? p.text : field(p.letter, p.width, f))).join('');
}

/** The calendar fields of an instant in a time zone (IANA name; undefined = UTC). */
export function dateFields(ms: number, timeZone?: string): DateFields {
  let y: number, mo: number, d: number, h: number, mi: number, s: number;
  if (timeZone === undefined || timeZone === '' || timeZone === 'UTC') {
    const t = new Date(ms);
    [y, mo, d, h, mi, s] = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  } else {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    }).formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
    [y, mo, d, h, mi, s] = [get('year'), get('month'), get('day'), get('hour'), get('minute'), get('second')];
  }
  const civil = Date.UTC(y, mo - 1, d);
  const weekday = ((new Date(civil).getUTCDay() + 6) % 7) + 1;
  const dayOfYear = Math.round((civil - Date.UTC(y, 0, 1)) / 86_400_000) + 1;
  return { year: y, month: mo, day: d, hour: h, minute: mi, second: s, millis: ((ms % 1000) + 1000) % 1000, weekday, dayOfYear };
}

