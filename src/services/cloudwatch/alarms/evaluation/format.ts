/**
 * How CloudWatch spells numbers and times in StateReason and StateReasonData. Its service is Java,
 * so doubles print as Java's Double.toString does ("5.0", "0.017077552154660225", "1.0E-4"), and
 * the JSON keeps that spelling ("threshold":1.0), which JSON.stringify would lose.
 */

/** Java's Double.toString for a JS number (shortest round-trip digits, as JDK 19+ prints). */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.replace('+', '')}`;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** "22/11/26 07:00:00" — the datapoint time inside a StateReason (UTC, dd/MM/yy HH:mm:ss). */
export function reasonTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** "2019-10-01T13:56:40.985+0000" — queryDate, startDate and evaluatedDatapoints[].timestamp. */
export function reasonDataTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Keys whose numbers are Java ints in StateReasonData; every other number is a double. */
const INTEGER_KEYS = new Set(['period']);

/** StateReasonData as CloudWatch serialises it: compact JSON, doubles spelled the Java way. */
export function stringifyReasonData(data: unknown): string {
  return write(data, undefined);
}

function write(value: unknown, key: string | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return key !== undefined && INTEGER_KEYS.has(key) ? String(value) : javaDouble(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  // Array items inherit the key, so "recentDatapoints":[5.0] stays double.
  if (Array.isArray(value)) return `[${value.map((v) => write(v, key)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${write(v, k)}`).join(',')}}`;
}
