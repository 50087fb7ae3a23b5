/**
 * The value operators of event patterns and how one event value is tested against them. This is the
 * part SNS filter policies share: a policy compiles its conditions to these same matchers.
 * "Absent" covers a missing field and a field whose value is an object (only leaves are values).
 */
import { inRange, ipBytes, type IpRange } from './cidr.ts';
import { numberOf } from './numbers.ts';
import { matchWildcard, type Wildcard } from './wildcard.ts';

export type Matcher =
  | { kind: 'string'; value: string; ip?: Uint8Array }
  | { kind: 'number'; text: string; value: number | undefined }
  | { kind: 'literal'; value: boolean | null }
  | { kind: 'prefix' | 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; value: Wildcard }
  | { kind: 'cidr'; range: IpRange }
  | { kind: 'numeric'; lo: number; loOpen: boolean; hi: number; hiOpen: boolean }
  | { kind: 'exists'; value: boolean }
  | { kind: 'anything-but'; strings: ReadonlySet<string>; numbers: readonly number[] }
  | { kind: 'anything-but-prefix' | 'anything-but-suffix' | 'anything-but-equals-ignore-case'; values: readonly string[] }
  | { kind: 'anything-but-wildcard'; values: readonly Wildcard[] };

/** Whether a value counts as present: objects are not leaves, so a field holding one is absent. */
export function isAbsent(v: unknown): boolean {
  return v === undefined || (typeof v === 'object' && v !== null && numberOf(v) === undefined);
}

/** One leaf value (never an array: callers try each element) against alternatives OR-ed together. */
export function matchesAny(matchers: readonly Matcher[], v: unknown): boolean {
  const absent = isAbsent(v);
  for (const m of matchers) if (matchOne(m, v, absent)) return true;
  return false;
}

export function matchOne(m: Matcher, v: unknown, absent = isAbsent(v)): boolean {
  if (m.kind === 'exists') return m.value !== absent;
  if (absent) return false;
  switch (m.kind) {
    case 'string':
      return typeof v === 'string' && (v === m.value || (m.ip !== undefined && sameIp(m.ip, v)));
    case 'number': {
      const n = numberOf(v);
      return n !== undefined && (n.text === m.text || (n.value !== undefined && n.value === m.value));
    }
    case 'literal':
      return v === m.value;
    case 'prefix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase().startsWith(m.value) : v.startsWith(m.value));
    case 'suffix':
      return typeof v === 'string' && (m.ignoreCase ? v.toLowerCase().endsWith(m.value) : v.endsWith(m.value));
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === m.value;
    case 'wildcard':
      return typeof v === 'string' && matchWildcard(m.value, v);
    case 'cidr': {
      const ip = typeof v === 'string' ? ipBytes(v) : undefined;
      return ip !== undefined && inRange(m.range, ip);
    }
    case 'numeric':
      return inNumericRange(m, v);
    default:
      return matchAnythingBut(m, v);
  }
}

export type NumericMatcher = Extract<Matcher, { kind: 'numeric' }>;

function inNumericRange(m: NumericMatcher, v: unknown): boolean {
  const n = numberOf(v)?.value;
  return n !== undefined && inInterval(m, n);
}

/** The bounds test alone, for callers that read numbers their own way (SNS attributes of type Number). */
export function inInterval(m: NumericMatcher, n: number): boolean {
  if (m.loOpen ? n <= m.lo : n < m.lo) return false;
  return m.hiOpen ? n < m.hi : n <= m.hi;
}

/** Intersects `[op, bound, op, bound…]` conditions (every one must hold) into one interval. */
export function numericInterval(ops: readonly (string | number)[]): NumericMatcher {
  const m: NumericMatcher = { kind: 'numeric', lo: -Infinity, loOpen: false, hi: Infinity, hiOpen: false };
  for (let i = 0; i + 1 < ops.length; i += 2) {
    const op = ops[i];
    const b = ops[i + 1] as number;
    if (op === '>' || op === '>=' || op === '=') {
      const open = op === '>';
      if (b > m.lo || (b === m.lo && open)) [m.lo, m.loOpen] = [b, open];
    }
    if (op === '<' || op === '<=' || op === '=') {
      const open = op === '<';
      if (b < m.hi || (b === m.hi && open)) [m.hi, m.hiOpen] = [b, open];
    }
  }
  return m;
}

/** anything-but matches every present value (null, booleans, the other type) that the exclusions do not name. */
function matchAnythingBut(m: Extract<Matcher, { kind: `anything-but${string}` }>, v: unknown): boolean {
  if (m.kind === 'anything-but') {
    if (typeof v === 'string') return !m.strings.has(v);
    const n = numberOf(v)?.value;
    return n === undefined || !m.numbers.includes(n);
  }
  if (typeof v !== 'string') return true;
  switch (m.kind) {
    case 'anything-but-prefix':
      return !m.values.some((p) => v.startsWith(p));
    case 'anything-but-suffix':
      return !m.values.some((p) => v.endsWith(p));
    case 'anything-but-equals-ignore-case': {
      const lower = v.toLowerCase();
      return !m.values.includes(lower);
    }
    default:
      return !m.values.some((w) => matchWildcard(w, v));
  }
}

function sameIp(ip: Uint8Array, v: string): boolean {
  const other = ipBytes(v);
  return other !== undefined && other.length === ip.length && other.every((b, i) => b === ip[i]);
}
