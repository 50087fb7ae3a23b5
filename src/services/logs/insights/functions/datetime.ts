/**
 * Datetime functions: bin, datefloor, dateceil, frommillis, tomillis, now.
 *
 * - bin(period) is datefloor(@timestamp, period). "The cap for ms is 1000, the caps for s and m
 *   are 60, and the cap for h is 24" — so `bin(300s)` "actually implements this as 60 seconds".
 * - Weeks start on Monday; months, quarters and years are calendar ones (UTC).
 * - dateceil rounds up to the next period start, and leaves a value already on one unchanged.
 * - now() is the query's start in seconds since the epoch; frommillis/tomillis convert between a
 *   timestamp and its milliseconds.
 */
import type { DurationLit, Expr } from '../ast.ts';
import type { SqlContext } from '../context.ts';
import { MAX_TS, MIN_TS, asTs, ofNum, type Val } from '../values.ts';
import type { FnContext, FunctionTable } from './types.ts';

const MS: Record<'ms' | 's' | 'm' | 'h' | 'd', number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const CAPS: Partial<Record<DurationLit['unit'], number>> = { ms: 1000, s: 60, m: 60, h: 24 };

const ofTs = (sql: string): Val => ({ sql, type: 'ts' });

export const DATETIME: FunctionTable = {
  bin: (f) => ofTs(floorTs(f.timestamp(), period(f.cx, f.call.args[0], 'bin', f))),
  datefloor: (f) => ofTs(floorTs(asTs(f.arg(0)), period(f.cx, f.call.args[1], f.call.rawName, f))),
  dateceil: (f) => ofTs(ceilTs(asTs(f.arg(0)), period(f.cx, f.call.args[1], f.call.rawName, f))),
  frommillis: (f) => {
    const x = f.num(0);
    return ofTs(`if(${x} >= ${MIN_TS} AND ${x} < ${MAX_TS}, toInt64(${x}), NULL)`);
  },
  tomillis: (f) => ofNum(asTs(f.arg(0))),
  now: (f) => ofNum(`toInt64(${f.cx.f64(Math.floor((f.cx.opts.nowMs ?? Date.now()) / 1000))})`),
};

function period(cx: SqlContext, e: Expr | undefined, fn: string, f: FnContext): DurationLit {
  if (e?.kind !== 'duration') return cx.fail(`${fn}() needs a time period such as 5m or 1h`, e ?? f.call);
  if (e.amount <= 0) cx.fail(`the time period ${e.text} must be positive`, e);
  return e;
}

/** Months in a period of months, quarters or years; 0 for fixed-length periods. */
function monthsOf(d: DurationLit): number {
  return d.unit === 'mo' ? d.amount : d.unit === 'q' ? 3 * d.amount : d.unit === 'y' ? 12 * d.amount : 0;
}

/** The length of a fixed-length period in ms (weeks included, caps applied). */
function fixedMs(d: DurationLit): number {
  if (d.unit === 'w') return d.amount * 7 * MS.d;
  return Math.min(d.amount, CAPS[d.unit] ?? Infinity) * MS[d.unit as keyof typeof MS];
}

export function floorTs(t: string, d: DurationLit): string {
  if (d.unit === 'w') {
    // Weeks start on Monday; 1970-01-05 was one (4 days after the epoch).
    const p = fixedMs(d);
    const off = 4 * MS.d;
    return `(${t} - ((((${t} - ${off}) % ${p}) + ${p}) % ${p}))`;
  }
  const months = monthsOf(d);
  if (months > 0) {
    // Month count since 1970-01, floored to a multiple of the period (n months, quarters, years).
    const dt = `fromUnixTimestamp64Milli(${t}, 'UTC')`;
    const m = `((toYear(${dt}) - 1970) * 12 + toMonth(${dt}) - 1)`;
    const f = `(${m} - (((${m} % ${months}) + ${months}) % ${months}))`;
    return `toUnixTimestamp64Milli(toDateTime64(makeDate32(1970 + toInt32(floor(${f} / 12)), toInt32(${f} - floor(${f} / 12) * 12 + 1), 1), 3, 'UTC'))`;
  }
  const p = fixedMs(d);
  return `(${t} - ((${t} % ${p}) + ${p}) % ${p})`;
}

export function ceilTs(t: string, d: DurationLit): string {
  const f = floorTs(t, d);
  const months = monthsOf(d);
  if (months > 0) {
    return `if(${f} = ${t}, ${t}, toUnixTimestamp64Milli(addMonths(fromUnixTimestamp64Milli(${f}, 'UTC'), ${months})))`;
  }
  return `if(${f} = ${t}, ${t}, ${f} + ${fixedMs(d)})`;
}
