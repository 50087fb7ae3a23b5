/**
 * Numbers as event-ruler sees them. A JSON number takes part in numeric matching only when a double
 * holds it exactly ("comparable"): 1e309 or 0.10000000000000001 are not. Events parsed from raw JSON
 * keep each number's spelling in a RawNumber, because exact matching also compares spellings.
 */

/** A number read from event JSON text: its spelling and, when comparable, its double value. */
export class RawNumber {
  constructor(
    readonly text: string,
    readonly value: number | undefined,
  ) {}
}

/** The double a JSON number spelling stands for exactly, or undefined when no double does. */
export function comparableValue(text: string): number | undefined {
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  return sameDecimal(text, String(n)) ? n : undefined;
}

/** Whether two decimal spellings denote the same value (exact, digit by digit). */
function sameDecimal(a: string, b: string): boolean {
  const x = canonical(a);
  const y = canonical(b);
  return x !== undefined && y !== undefined && x === y;
}

/** "-12.50e1" → "-125e0": sign, significant digits without leading/trailing zeros, and exponent. */
function canonical(s: string): string | undefined {
  const m = /^(-?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(s);
  if (!m) return undefined;
  const intPart = m[2];
  const frac = m[3] ?? '';
  let digits = intPart + frac;
  let exp = (m[4] !== undefined ? Number(m[4]) : 0) - frac.length;
  const lead = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(lead);
  if (digits === '') return '0';
  const trail = /0*$/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(0, digits.length - trail);
  exp += trail;
  return `${m[1]}${digits}e${exp}`;
}

/** The number view of an event value: spelling and comparable value, or undefined when it is not a number. */
export function numberOf(v: unknown): { text: string; value: number | undefined } | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? { text: String(v), value: v } : undefined;
  if (v instanceof RawNumber) return v;
  return undefined;
}
