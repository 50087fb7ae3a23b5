/**
 * SNS subscription filter policies (FilterPolicy + FilterPolicyScope), a pure module.
 *
 * Supported: exact strings, numbers, booleans and null, `prefix`, `suffix`, `equals-ignore-case`, `anything-but`
 * (a value, a list, or `{"prefix": …}`), `numeric` ranges, `exists`, `null` (body scope), nested
 * keys in MessageBody scope, and `$or`. String.Array attributes match when any element does.
 * Not supported: `cidr` (refused when the policy is set).
 *
 * The value operators whose meaning SNS and EventBridge share (prefix, suffix, equals-ignore-case,
 * numeric intervals, anything-but prefix) are evaluated by the event-pattern engine's matchers; what
 * differs stays here: SNS reads Number attributes and numeric strings as numbers, counts an object
 * value as present for `exists`, compares numbers and strings loosely for exact and anything-but
 * values, and requires every element of an array to avoid an anything-but exclusion.
 */
import { inInterval, matchOne, numericInterval, type Matcher } from '../../lib/event-pattern/matchers.ts';

export type FilterScope = 'MessageAttributes' | 'MessageBody';

/** A subscription's FilterPolicyScope attribute: unset (or anything but MessageBody) means MessageAttributes. */
export const filterScopeOf = (attributes: Record<string, string>): FilterScope =>
  attributes.FilterPolicyScope === 'MessageBody' ? 'MessageBody' : 'MessageAttributes';

/**
 * A refused policy. `message` is AWS's reason; callers put it behind "Invalid parameter: FilterPolicy: "
 * (SetSubscriptionAttributes) or "Invalid parameter: Attributes Reason: FilterPolicy: " (Subscribe),
 * except `bare` reasons, which AWS words without the "FilterPolicy: " part.
 */
export class InvalidFilterPolicy extends Error {
  constructor(
    message: string,
    readonly bare = false,
  ) {
    super(message);
  }
}

export interface FilterAttribute {
  DataType: string;
  StringValue?: string;
}

type Policy = Record<string, unknown>;

/** AWS: "The total combination of values in a filter policy must not exceed 150", and at most five keys. */
export const MAX_COMBINATIONS = 150;
export const MAX_KEYS = 5;

/**
 * Parses and checks a policy; throws InvalidFilterPolicy with AWS's reason. With a scope, also
 * applies the limits AWS checks when the policy is set (keys, complexity, nesting by scope).
 */
export function parseFilterPolicy(text: string, scope?: FilterScope): Policy {
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch (e) {
    throw new InvalidFilterPolicy(`failed to parse JSON. ${(e as Error).message}`);
  }
  if (!isObject(p)) throw new InvalidFilterPolicy('the filter policy must be a JSON object');
  checkNode(p, 1);
  if (scope !== undefined) checkLimits(p, scope);
  return p;
}

/**
 * AWS's limits: at most five top-level keys, and at most 150 combinations, where each value list
 * multiplies the count by its length times its key's nesting depth (AWS's example: four values at
 * depth three and three values at depth two make 3 x 4 x 2 x 3 = 72) and `$or` adds up its branches.
 */
function checkLimits(p: Policy, scope: FilterScope): void {
  if (Object.keys(p).length > MAX_KEYS) throw new InvalidFilterPolicy('Filter policy can not have more than 5 keys');
  if (combinations(p, 1, 1, scope) > MAX_COMBINATIONS) throw new InvalidFilterPolicy('Filter policy is too complex');
}

function combinations(p: Policy, depth: number, start: number, scope: FilterScope): number {
  let n = start;
  for (const [k, v] of Object.entries(p)) {
    if (k === '$or') n = (v as Policy[]).reduce((sum, alt) => sum + combinations(alt, depth, n, scope), 0);
    else if (Array.isArray(v)) n *= v.length * depth;
    else {
      if (scope === 'MessageAttributes') throw new InvalidFilterPolicy('Filter policy scope MessageAttributes does not support nested filter policy', true);
      n = combinations(v as Policy, depth + 1, n, scope);
    }
  }
  return n;
}

function checkNode(p: Policy, depth: number): void {
  if (depth > 5) throw new InvalidFilterPolicy('the filter policy is nested too deeply');
  for (const [k, v] of Object.entries(p)) {
    if (k === '$or') {
      if (!Array.isArray(v) || v.length < 2 || !v.every(isObject)) throw new InvalidFilterPolicy('$or takes a list of at least two policies');
      for (const alt of v) checkNode(alt as Policy, depth + 1);
    } else if (Array.isArray(v)) {
      if (v.length === 0) throw new InvalidFilterPolicy('Empty arrays are not allowed');
      for (const c of v) checkCondition(c);
    } else if (isObject(v)) {
      checkNode(v, depth + 1);
    } else {
      throw new InvalidFilterPolicy(`"${k}" must be an object or an array`);
    }
  }
}

/** A match value (string, number, true, false, null) or a one-key operator object, in AWS's words when refused. */
function checkCondition(c: unknown): void {
  if (c === null || typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean') return;
  if (!isObject(c)) throw new InvalidFilterPolicy('Match value must be String, number, true, false, or null');
  if (Object.keys(c).length !== 1) throw new InvalidFilterPolicy('Only one key allowed in match expression');
  const [op, arg] = Object.entries(c)[0];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new InvalidFilterPolicy(`${op} match pattern must be a string`);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') throw new InvalidFilterPolicy('exists match pattern must be either true or false.');
      return;
    case 'anything-but':
      return checkAnythingBut(arg);
    case 'numeric':
      return checkNumeric(arg);
    case 'cidr':
      throw new InvalidFilterPolicy('cidr matching is not supported by Osprey');
    default:
      throw new InvalidFilterPolicy(`Unrecognized match type ${op}`);
  }
}

function checkAnythingBut(arg: unknown): void {
  if (typeof arg === 'string' || typeof arg === 'number') return;
  if (Array.isArray(arg) && arg.length > 0 && arg.every((x) => typeof x === 'string' || typeof x === 'number')) return;
  if (isObject(arg)) {
    for (const [inner, v] of Object.entries(arg)) {
      if (inner !== 'prefix') throw new InvalidFilterPolicy(`Unsupported anything-but pattern: ${inner}`);
      if (typeof v !== 'string') throw new InvalidFilterPolicy('prefix match pattern must be a string');
    }
    if (Object.keys(arg).length === 1) return;
  }
  throw new InvalidFilterPolicy('anything-but takes a value, a list of values or {"prefix": …}');
}

function checkNumeric(arg: unknown): void {
  if (!Array.isArray(arg) || arg.length === 0) throw new InvalidFilterPolicy('Invalid member in numeric match: ]');
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    if (!['=', '<', '<=', '>', '>='].includes(op as string)) throw new InvalidFilterPolicy(`Unrecognized numeric range operator: ${String(op)}`);
    if (typeof arg[i + 1] !== 'number') throw new InvalidFilterPolicy(`Value of ${op === '=' ? 'equals' : String(op)} must be numeric`);
  }
}

/** Whether a message passes the policy. A MessageBody policy never matches a body that is not a JSON object. */
export function matchesFilterPolicy(
  policy: Policy,
  scope: FilterScope,
  message: { attributes: Record<string, FilterAttribute>; body: string },
): boolean {
  if (scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch {
      return false;
    }
    return isObject(body) && matchNode(policy, (k, from) => (isObject(from) && Object.hasOwn(from, k) ? { present: true, value: from[k] } : { present: false }), body);
  }
  return matchNode(policy, (k) => attributeLookup(message.attributes, k), undefined);
}

type Lookup = (key: string, from: unknown) => { present: true; value: unknown } | { present: false };

function attributeLookup(attrs: Record<string, FilterAttribute>, key: string): { present: true; value: unknown } | { present: false } {
  const a = Object.hasOwn(attrs, key) ? attrs[key] : undefined;
  if (!a || a.StringValue === undefined) return { present: false }; // Binary attributes are not matched.
  if (a.DataType.startsWith('Number')) return { present: true, value: Number(a.StringValue) };
  if (a.DataType === 'String.Array') {
    try {
      const v = JSON.parse(a.StringValue) as unknown;
      if (Array.isArray(v)) return { present: true, value: v };
    } catch {
      // Not an array after all: matched as a string.
    }
  }
  return { present: true, value: a.StringValue };
}

function matchNode(policy: Policy, lookup: Lookup, from: unknown): boolean {
  for (const [k, v] of Object.entries(policy)) {
    if (k === '$or') {
      if (!(v as Policy[]).some((alt) => matchNode(alt, lookup, from))) return false;
      continue;
    }
    const found = lookup(k, from);
    if (Array.isArray(v)) {
      if (!v.some((c) => matchCondition(c, found))) return false;
    } else {
      // Nested keys (MessageBody scope).
      if (!found.present || !matchNode(v as Policy, lookup, found.value)) return false;
    }
  }
  return true;
}

function matchCondition(c: unknown, found: { present: true; value: unknown } | { present: false }): boolean {
  if (isObject(c) && 'exists' in c) return c.exists === found.present;
  if (!found.present) return false;
  const values = Array.isArray(found.value) ? found.value : [found.value];
  if (isObject(c) && 'anything-but' in c) return values.every((v) => !matchesAnythingBut(c['anything-but'], v));
  return values.some((v) => matchValue(c, v));
}

function matchesAnythingBut(arg: unknown, v: unknown): boolean {
  // The engine's anything-but-prefix answers "not excluded"; only strings can be excluded by a prefix.
  if (isObject(arg)) return typeof v === 'string' && !matchOne(sharedMatcher(arg, () => ({ kind: 'anything-but-prefix', values: [arg.prefix as string] })), v);
  const list = Array.isArray(arg) ? arg : [arg];
  return list.some((x) => equal(x, v));
}

function matchValue(c: unknown, v: unknown): boolean {
  if (!isObject(c)) return equal(c, v);
  const [op, arg] = Object.entries(c)[0];
  switch (op) {
    case 'prefix':
    case 'suffix':
      return matchOne(sharedMatcher(c, () => ({ kind: op, value: arg as string, ignoreCase: false })), v);
    case 'equals-ignore-case':
      return matchOne(sharedMatcher(c, () => ({ kind: op, value: (arg as string).toLowerCase() })), v);
    case 'numeric': {
      // SNS-specific: numeric strings (Number attributes arrive as strings) are compared as numbers.
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (Number.isNaN(n)) return false;
      const m = sharedMatcher(c, () => numericInterval(arg as (string | number)[]));
      return m.kind === 'numeric' && inInterval(m, n);
    }
    default:
      return false;
  }
}

/** Engine matchers compiled once per policy condition object (policies are parsed once and reused). */
const matcherCache = new WeakMap<object, Matcher>();

function sharedMatcher(condition: object, build: () => Matcher): Matcher {
  let m = matcherCache.get(condition);
  if (!m) matcherCache.set(condition, (m = build()));
  return m;
}

function equal(policyValue: unknown, v: unknown): boolean {
  // null and booleans match JSON null and booleans only (MessageBody values, String.Array elements):
  // an absent key never matches null, and the attribute string "true" is not the boolean true.
  if (policyValue === null || typeof policyValue === 'boolean') return v === policyValue;
  if (typeof policyValue === 'number') return (typeof v === 'number' || typeof v === 'string') && Number(v) === policyValue;
  return typeof v === 'string' && v === policyValue;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
