/**
 * cron(minutes hours day-of-month month day-of-week year), the grammar of the EventBridge user guide
 * ("Setting a schedule pattern for scheduled rules", Cron expressions) shared by EventBridge
 * Scheduler:
 *
 *   Minutes 0-59 `, - * /` · Hours 0-23 `, - * /` · Day-of-month 1-31 `, - * ? / L W` ·
 *   Month 1-12 or JAN-DEC `, - * /` · Day-of-week 1-7 or SUN-SAT `, - * ? L #` · Year 1970-2199 `, - * /`
 *
 * Exactly one of day-of-month / day-of-week is `?` (AWS refuses `*` in both, and a value in both).
 * `#` and `L`/`W` stand alone in their field (the guide: with `#` the field holds one expression only).
 * Choices where the guide is silent, all following Quartz (whose syntax AWS's is): names are
 * case-insensitive; a range must not wrap (`FRI-MON` is refused); a step may not exceed the field's
 * top value (AWS refuses `*\/60` in minutes); `/` is accepted in day-of-week (the German edition of the
 * guide lists it); `L` alone in day-of-week means SAT, the last day of the week.
 */
import { refuse } from './errors.ts';
import type { CronFields, DayOfMonth, DayOfWeek } from './types.ts';

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  maxStep: number;
  names?: readonly string[]; // names[i] is the value min + i
}

const MINUTES: FieldSpec = { name: 'minutes', min: 0, max: 59, maxStep: 59 };
const HOURS: FieldSpec = { name: 'hours', min: 0, max: 23, maxStep: 23 };
const DOM: FieldSpec = { name: 'day-of-month', min: 1, max: 31, maxStep: 31 };
const MONTHS: FieldSpec = {
  name: 'month', min: 1, max: 12, maxStep: 12,
  names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
};
const DOW: FieldSpec = { name: 'day-of-week', min: 1, max: 7, maxStep: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };
const YEARS: FieldSpec = { name: 'year', min: 1970, max: 2199, maxStep: 230 };

export function parseCron(expr: string): { kind: 'cron'; expression: string } & CronFields {
  if (!expr.startsWith('cron(') || !expr.endsWith(')')) return refuse('not cron(...)');
  const body = expr.slice(5, -1);
  // Fields are separated by white space; white space just inside the parentheses is refused, as AWS
  // refuses `rate( 10 minutes )`.
  if (body !== body.trim()) return refuse('cron(): white space inside the parentheses');
  const parts = body.split(/[ \t]+/);
  if (parts.length !== 6) return refuse(`cron() takes 6 fields, got ${parts.length}`);
  const [mi, h, dom, mo, dow, y] = parts;
  const domQ = dom === '?';
  const dowQ = dow === '?';
  if (domQ === dowQ) return refuse('cron(): exactly one of day-of-month and day-of-week must be ?');
  return {
    kind: 'cron',
    expression: expr,
    minutes: parseList(mi, MINUTES),
    hours: parseList(h, HOURS),
    daysOfMonth: domQ ? { kind: 'any' } : parseDayOfMonth(dom),
    months: parseList(mo, MONTHS),
    daysOfWeek: dowQ ? { kind: 'any' } : parseDayOfWeek(dow),
    years: parseList(y, YEARS),
  };
}

function parseDayOfMonth(text: string): DayOfMonth {
  if (text === 'L') return { kind: 'last' };
  if (text === 'LW') return { kind: 'lastWeekday' };
  const w = /^([0-9]{1,2})W$/.exec(text);
  if (w) return { kind: 'nearestWeekday', day: inRange(w[1], DOM) };
  return { kind: 'days', days: parseList(text, DOM) };
}

function parseDayOfWeek(text: string): DayOfWeek {
  const upper = text.toUpperCase();
  if (upper === 'L') return { kind: 'last', day: 7 };
  const last = /^([0-9]|[A-Z]{3})L$/.exec(upper);
  if (last) return { kind: 'last', day: value(last[1], DOW) };
  const nth = /^([0-9]|[A-Z]{3})#([0-9])$/.exec(upper);
  if (nth) {
    const k = Number(nth[2]);
    if (k < 1 || k > 5) return refuse('day-of-week: # takes 1 to 5');
    return { kind: 'nth', day: value(nth[1], DOW), nth: k };
  }
  return { kind: 'days', days: parseList(text, DOW) };
}

/** A comma-separated list of `*`, `v`, `a-b`, each optionally `/step`; expanded and sorted. */
function parseList(text: string, f: FieldSpec): number[] {
  const set = new Set<number>();
  for (const item of text.split(',')) {
    const slash = item.indexOf('/');
    const base = slash < 0 ? item : item.slice(0, slash);
    const step = slash < 0 ? 1 : stepOf(item.slice(slash + 1), f);
    let lo: number;
    let hi: number;
    if (base === '*') [lo, hi] = [f.min, f.max];
    else if (base.includes('-')) {
      const [a, b, ...rest] = base.split('-');
      if (rest.length > 0) return refuse(`${f.name}: bad range ${base}`);
      [lo, hi] = [value(a, f), value(b, f)];
      if (lo > hi) return refuse(`${f.name}: range ${base} runs backwards`);
    } else {
      lo = value(base, f);
      // `a/step` runs from a to the top of the field (1/10 in minutes = 1, 11, 21, …).
      hi = slash < 0 ? lo : f.max;
    }
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return [...set].sort((a, b) => a - b);
}

function stepOf(text: string, f: FieldSpec): number {
  if (!/^[0-9]{1,3}$/.test(text)) return refuse(`${f.name}: bad step ${text}`);
  const n = Number(text);
  if (n < 1 || n > f.maxStep) return refuse(`${f.name}: step ${n} out of 1-${f.maxStep}`);
  return n;
}

/** A number or (month, day-of-week) a three-letter name, within the field's range. */
function value(text: string, f: FieldSpec): number {
  if (f.names && /^[A-Za-z]{3}$/.test(text)) {
    const i = f.names.indexOf(text.toUpperCase());
    if (i < 0) return refuse(`${f.name}: unknown name ${text}`);
    return f.min + i;
  }
  return inRange(text, f);
}

function inRange(text: string, f: FieldSpec): number {
  if (!/^[0-9]{1,4}$/.test(text)) return refuse(`${f.name}: bad value ${JSON.stringify(text)}`);
  const n = Number(text);
  if (n < f.min || n > f.max) return refuse(`${f.name}: ${n} out of ${f.min}-${f.max}`);
  return n;
}
