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
import { compileJavaPattern } from './java-pattern.ts';
import { isValid } from './validity-plan.ts';
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
 * Valid input (nearly every request) is checked by the shape's compiled plan (validity-plan.ts),
 * which builds no paths; only when it finds a violation does the walker below collect every
 * violation with its path. Ingest calls carry thousands of list elements.
 */
export function validateInput(model: ServiceModel, shapeName: string, input: unknown): ValidationResult {
  if (isValid(model, shapeName, input ?? {})) return { missing: [], invalid: [] };
  return collectViolations(model, shapeName, input);
}

/** The walker alone (validity-plan.test.ts holds the compiled plans to it): every violation, with paths. */
export function collectViolations(model: ServiceModel, shapeName: string, input: unknown): ValidationResult {
  const result: ValidationResult = { missing: [], invalid: [] };
  validateValue(model, { shape: shapeName }, input ?? {}, '', result);
  return result;
}

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

/** Every violation in `value`, with its path. */
function validateValue(model: ServiceModel, ref: ShapeRef, value: unknown, path: string, out: ValidationResult): void {
  const shape = getShape(model, ref.shape);
  switch (shape.type) {
    case 'structure': {
      if (shape.document || !isRecord(value)) return;
      for (const m of membersOf(shape)) {
        const v = value[m.name];
        if (v === undefined || v === null) {
          if (!m.required) continue;
          out.missing.push({ path: join(path, m.wire), value: null, constraint: NOT_NULL });
          continue;
        }
        validateValue(model, m.ref, v, join(path, m.wire), out);
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
          if (v !== undefined && v !== null) validateValue(model, shape.member, v, `${path}.${i + 1}.member`, out);
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
          if (v !== undefined && v !== null) validateValue(model, shape.value, v, `${path}.${k}.member`, out);
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

function record(out: ValidationResult, path: string, value: unknown, constraints: readonly string[]): void {
  if (constraints.length === 0) return;
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

export { compileJavaPattern };
