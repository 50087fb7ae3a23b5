/**
 * Input validation against the model's constraints, reported the way AWS (Coral) reports them:
 *
 *   1 validation error detected: Value 'x' at 'logGroupName' failed to satisfy constraint:
 *   Member must have length less than or equal to 512
 *
 * - paths lower-case the first letter of each member name; list elements are
 *   `<list>.<1-based index>.member`, e.g. `metricData.1.member.metricName`;
 * - a list of scalars whose elements break their constraints is one violation at the list:
 *   `Member must satisfy constraint: [<the element's constraints>]`;
 * - maps report `Map keys must satisfy constraint: […]` / `Map value must satisfy constraint: […]`
 *   at the map (structured map values recurse as `<map>.<key>.member`);
 * - botocore `min`/`max` bound a string's length, a blob's size, a list/map's element count and a
 *   number's value.
 *
 * Missing required members are returned separately, because awsQuery CloudWatch reports them with
 * their own error code (MissingParameter) while JSON services use ValidationException for both.
 */
import { getShape } from './models/index.ts';
import type { ServiceModel, Shape, ShapeRef } from './models/types.ts';

export interface Violation {
  /** Coral-style path, e.g. `metricData.1.member.metricName`. */
  path: string;
  /** The offending value (null when missing). */
  value: unknown;
  /** AWS's wording, e.g. "Member must not be null". */
  constraint: string;
}

export interface ValidationResult {
  missing: Violation[];
  invalid: Violation[];
}

const NOT_NULL = 'Member must not be null';

/**
 * Valid input (nearly every request) is checked in one pass that builds no paths; only when it
 * finds a violation does a second pass collect every violation with its path. Ingest calls carry
 * thousands of list elements, and building a path string for each was a large share of their cost.
 */
export function validateInput(model: ServiceModel, shapeName: string, input: unknown): ValidationResult {
  const result: ValidationResult = { missing: [], invalid: [] };
  try {
    validateValue(model, { shape: shapeName }, input ?? {}, undefined, result);
    return result;
  } catch (e) {
    if (e !== FOUND) throw e;
  }
  validateValue(model, { shape: shapeName }, input ?? {}, '', result);
  return result;
}

/** Thrown by the path-less pass at the first violation. */
const FOUND = Symbol('violation found');

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);
const join = (path: string, segment: string): string => (path ? `${path}.${segment}` : segment);

interface MemberCheck { name: string; ref: ShapeRef; required: boolean; wire: string }
const memberChecks = new WeakMap<Shape, MemberCheck[]>();

function membersOf(shape: Extract<Shape, { type: 'structure' }>): MemberCheck[] {
  let checks = memberChecks.get(shape);
  if (checks === undefined) {
    const required = shape.required ?? [];
    checks = Object.entries(shape.members).map(([name, ref]) => ({ name, ref, required: required.includes(name), wire: lowerFirst(name) }));
    memberChecks.set(shape, checks);
  }
  return checks;
}

/** `path` undefined: the fast pass (throws FOUND at the first violation instead of recording it). */
function validateValue(model: ServiceModel, ref: ShapeRef, value: unknown, path: string | undefined, out: ValidationResult): void {
  const shape = getShape(model, ref.shape);
  switch (shape.type) {
    case 'structure': {
      if (shape.document || !isRecord(value)) return;
      for (const m of membersOf(shape)) {
        const v = value[m.name];
        if (v === undefined || v === null) {
          if (!m.required) continue;
          if (path === undefined) throw FOUND;
          out.missing.push({ path: join(path, m.wire), value: null, constraint: NOT_NULL });
          continue;
        }
        validateValue(model, m.ref, v, path === undefined ? undefined : join(path, m.wire), out);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) return;
      record(out, path, value, sizeViolations(shape, value.length));
      const element = getShape(model, shape.member.shape);
      if (isContainer(element)) {
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          if (v !== undefined && v !== null) validateValue(model, shape.member, v, path === undefined ? undefined : `${path}.${i + 1}.member`, out);
        }
      } else if (value.some((v) => scalarViolations(element, v).length > 0)) {
        record(out, path, value, [`Member must satisfy constraint: [${allConstraints(element).join(', ')}]`]);
      }
      return;
    }
    case 'map': {
      if (!isRecord(value)) return;
      const keys = Object.keys(value);
      record(out, path, value, sizeViolations(shape, keys.length));
      const keyShape = getShape(model, shape.key.shape);
      if (keys.some((k) => scalarViolations(keyShape, k).length > 0)) {
        record(out, path, value, [`Map keys must satisfy constraint: [${allConstraints(keyShape).join(', ')}]`]);
      }
      const valueShape = getShape(model, shape.value.shape);
      if (isContainer(valueShape)) {
        for (const k of keys) {
          const v = value[k];
          if (v !== undefined && v !== null) validateValue(model, shape.value, v, path === undefined ? undefined : `${path}.${k}.member`, out);
        }
      } else if (keys.some((k) => scalarViolations(valueShape, value[k]).length > 0)) {
        record(out, path, value, [`Map value must satisfy constraint: [${allConstraints(valueShape).join(', ')}]`]);
      }
      return;
    }
    default:
      record(out, path, value, scalarViolations(shape, value));
  }
}

function record(out: ValidationResult, path: string | undefined, value: unknown, constraints: readonly string[]): void {
  if (constraints.length === 0) return;
  if (path === undefined) throw FOUND;
  for (const constraint of constraints) out.invalid.push({ path, value, constraint });
}

const isContainer = (shape: Shape): boolean => shape.type === 'structure' || shape.type === 'list' || shape.type === 'map';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

const lengthMax = (n: number): string => `Member must have length less than or equal to ${n}`;
const lengthMin = (n: number): string => `Member must have length greater than or equal to ${n}`;
const valueMax = (n: number): string => `Member must have value less than or equal to ${n}`;
const valueMin = (n: number): string => `Member must have value greater than or equal to ${n}`;
const patternText = (p: string): string => `Member must satisfy regular expression pattern: ${p}`;
const enumText = (values: string[]): string => `Member must satisfy enum value set: [${values.join(', ')}]`;

/** Shared result for "no violation" (the common case allocates nothing). */
const NONE: readonly string[] = Object.freeze([]);

function sizeViolations(shape: { min?: number; max?: number }, size: number): string[] {
  const tooBig = shape.max !== undefined && size > shape.max;
  const tooSmall = shape.min !== undefined && size < shape.min;
  if (!tooBig && !tooSmall) return NONE as string[];
  const found: string[] = [];
  if (tooBig) found.push(lengthMax(shape.max!));
  if (tooSmall) found.push(lengthMin(shape.min!));
  return found;
}

/** The constraints a scalar value breaks, in the order AWS lists them. */
function scalarViolations(shape: Shape, value: unknown): string[] {
  switch (shape.type) {
    case 'string': {
      if (typeof value !== 'string') return NONE as string[];
      // String.length counts UTF-16 units, as Java's String.length() in AWS's validators does.
      let found = sizeViolations(shape, value.length);
      if (shape.pattern !== undefined) {
        const re = compileJavaPattern(shape.pattern);
        if (re && !re.test(value)) found = [...found, patternText(shape.pattern)];
      }
      if (shape.enum && !shape.enum.includes(value)) found = [...found, enumText(shape.enum)];
      return found;
    }
    case 'blob':
      return value instanceof Uint8Array ? sizeViolations(shape, value.byteLength) : [];
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
    case 'bigdecimal':
    case 'biginteger': {
      if (typeof value !== 'number') return NONE as string[];
      const tooBig = shape.max !== undefined && value > shape.max;
      const tooSmall = shape.min !== undefined && value < shape.min;
      if (!tooBig && !tooSmall) return NONE as string[];
      const found: string[] = [];
      if (tooBig) found.push(valueMax(shape.max!));
      if (tooSmall) found.push(valueMin(shape.min!));
      return found;
    }
    default:
      return NONE as string[];
  }
}

/** Every constraint on a scalar shape (AWS lists them all when an element of a list breaks one). */
function allConstraints(shape: Shape): string[] {
  const all: string[] = [];
  if (shape.type === 'string' || shape.type === 'blob') {
    if (shape.max !== undefined) all.push(lengthMax(shape.max));
    if (shape.min !== undefined) all.push(lengthMin(shape.min));
  } else if (shape.type !== 'boolean' && shape.type !== 'timestamp' && shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map') {
    if (shape.max !== undefined) all.push(valueMax(shape.max));
    if (shape.min !== undefined) all.push(valueMin(shape.min));
  }
  if (shape.type === 'string') {
    if (shape.pattern !== undefined) all.push(patternText(shape.pattern));
    if (shape.enum) all.push(enumText(shape.enum));
  }
  return all;
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

/** How many violations a message spells out; the count in front still says how many there were. */
const MAX_LISTED = 10;
/** Longest rendering of one value in a message. */
const MAX_VALUE_CHARS = 1024;

/** "1 validation error detected: Value 'x' at 'p' failed to satisfy constraint: …; …" */
export function validationMessage(violations: Violation[]): string {
  const n = violations.length;
  const head = `${n} validation error${n === 1 ? '' : 's'} detected: `;
  return head + violations.slice(0, MAX_LISTED).map(violationText).join('; ');
}

function violationText(v: Violation): string {
  const value = v.value === null || v.value === undefined ? 'null' : `'${truncate(renderValue(v.value))}'`;
  return `Value ${value} at '${v.path}' failed to satisfy constraint: ${v.constraint}`;
}

const truncate = (text: string): string => (text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}...` : text);

/** Java-toString-like rendering, as AWS prints values: `[a, b]`, `{k=v}`. */
function renderValue(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (depth > 4) return '…';
  if (Array.isArray(value)) return `[${value.map((v) => renderValue(v, depth + 1)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${renderValue(v, depth + 1)}`).join(', ')}}`;
  }
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// Java regular expressions
// ---------------------------------------------------------------------------------------------

const compiled = new Map<string, RegExp | null>();

/**
 * A model pattern (Java syntax) as a JS RegExp that must match the whole value, or null when it
 * can't be expressed (the constraint is then skipped, never thrown). Cached per pattern.
 */
export function compileJavaPattern(pattern: string): RegExp | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = tryCompile(pattern);
    compiled.set(pattern, re);
  }
  return re;
}

function tryCompile(pattern: string): RegExp | null {
  // A construct JS reads differently (class intersection…) must not be compiled with the wrong meaning.
  const translated = javaToJs(pattern);
  if (!translated) return null;
  // `u` for \p{L} and friends; without it for the few patterns only legacy syntax accepts.
  for (const flags of [translated.flags + 'u', translated.flags]) {
    try {
      return new RegExp(`^(?:${translated.source})$`, flags);
    } catch {
      // try the next form
    }
  }
  return null;
}

// Java POSIX classes (\p{Alnum} …) that JS lacks, as class contents.
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'A-Za-z',
  Digit: '0-9',
  Alnum: 'A-Za-z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};
/** Characters that keep their backslash in a JS `u` pattern. */
const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

/** One backslash escape starting at `i`, rewritten for a JS `u` RegExp; null when JS has no equivalent. */
function javaEscape(pattern: string, start: number, inClass: boolean): { text: string; end: number } | null {
  const next = pattern[start + 1];
  if (next === undefined) return null;
  const i = start + 2;
  if (next === 'Q') {
    const end = pattern.indexOf('\\E', i);
    const literal = end === -1 ? pattern.slice(i) : pattern.slice(i, end);
    return { text: literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), end: end === -1 ? pattern.length : end + 2 };
  }
  if ((next === 'p' || next === 'P') && pattern[i] === '{') {
    const close = pattern.indexOf('}', i);
    if (close === -1) return null;
    const name = pattern.slice(i + 1, close).replace(/^Is(?=[A-Z])/, '');
    const posix = POSIX[name];
    if (posix === undefined) return { text: `\\${next}{${name}}`, end: close + 1 };
    if (inClass) return next === 'P' ? null : { text: posix, end: close + 1 };
    return { text: next === 'P' ? `[^${posix}]` : `[${posix}]`, end: close + 1 };
  }
  let text: string;
  if (!inClass && next === 'A') text = '^';
  else if (!inClass && (next === 'z' || next === 'Z')) text = '$';
  else if (/[A-Za-z0-9]/.test(next)) text = `\\${next}`;
  else if (SYNTAX.has(next) || (inClass && next === '-')) text = `\\${next}`;
  else text = next; // `\_`, `\#`, `\-` outside a class…: just the character
  return { text, end: i };
}

/**
 * Rewrites the Java-only parts of a pattern for a JS `u` RegExp: inline flags `(?i)`, `\A` `\z`,
 * `\Q…\E`, POSIX `\p{Alnum}`, possessive quantifiers, escapes of ordinary characters (`\_`, `\#`)
 * and stray `{`/`}`/`]`. Returns null for what has no JS equivalent (class union/intersection).
 */
function javaToJs(pattern: string): { source: string; flags: string } | null {
  let flags = '';
  let i = 0;
  const inline = /^\(\?([imsx]+)\)/.exec(pattern);
  if (inline) {
    if (inline[1]!.includes('x')) return null;
    flags = [...new Set(inline[1]!.split(''))].join('');
    i = inline[0].length;
  }
  let out = '';
  let inClass = false;
  let afterQuantifier = false;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const escaped = javaEscape(pattern, i, inClass);
      if (!escaped) return null;
      out += escaped.text;
      i = escaped.end;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (c === '[' || (c === '&' && pattern[i + 1] === '&')) return null; // Java class union / intersection
      if (c === ']') inClass = false;
      // Java reads `[\w-_]` as \w, '-', '_'; a `u` RegExp rejects a range from a class escape.
      const besideClassEscape = /\\[dswDSWpP]$/.test(out) || /^\\[dswDSWpP]/.test(pattern.slice(i + 1));
      out += c === '-' && besideClassEscape ? '\\-' : c;
      i++;
      continue;
    }
    if (c === '+' && afterQuantifier) {
      // Possessive quantifier (`a*+`): JS has none; matching the same strings is what counts here.
      i++;
      afterQuantifier = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (pattern[i] === '^') out += pattern[i++];
      // Java allows `]` first in a class as a literal.
      if (pattern[i] === ']') {
        out += '\\]';
        i++;
      }
      afterQuantifier = false;
      continue;
    }
    if (c === '{') {
      const quantifier = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i));
      out += quantifier ? quantifier[0] : '\\{';
      i += quantifier ? quantifier[0].length : 1;
      afterQuantifier = quantifier !== null;
      continue;
    }
    if (c === '}' || c === ']') {
      out += `\\${c}`;
      i++;
      afterQuantifier = false;
      continue;
    }
    if (c === '(' && pattern.startsWith('(?>', i)) {
      out += '(?:'; // atomic group: same matches, different backtracking
      i += 3;
      afterQuantifier = false;
      continue;
    }
    out += c;
    i++;
    afterQuantifier = c === '*' || c === '+' || c === '?';
  }
  return inClass ? null : { source: out, flags };
}
