/**
 * SNS subscription filter policies (FilterPolicy + FilterPolicyScope), a pure module.
 *
 * Supported: exact strings and numbers, `prefix`, `suffix`, `equals-ignore-case`, `anything-but`
 * (a value, a list, or `{"prefix": …}`), `numeric` ranges, `exists`, `null` (body scope), nested
 * keys in MessageBody scope, and `$or`. String.Array attributes match when any element does.
 * Not supported: `cidr` (refused when the policy is set).
 */

export type FilterScope = 'MessageAttributes' | 'MessageBody';

export class InvalidFilterPolicy extends Error {}

export interface FilterAttribute {
  DataType: string;
  StringValue?: string;
}

type Policy = Record<string, unknown>;

/** Parses and checks a policy; throws InvalidFilterPolicy with the reason. */
export function parseFilterPolicy(text: string): Policy {
  let p: unknown;
  try {
    p = JSON.parse(text);
  } catch {
    throw new InvalidFilterPolicy('failed to parse JSON');
  }
  if (!isObject(p)) throw new InvalidFilterPolicy('the filter policy must be a JSON object');
  checkNode(p, 1);
  return p;
}

function checkNode(p: Policy, depth: number): void {
  if (depth > 5) throw new InvalidFilterPolicy('the filter policy is nested too deeply');
  for (const [k, v] of Object.entries(p)) {
    if (k === '$or') {
      if (!Array.isArray(v) || v.length < 2 || !v.every(isObject)) throw new InvalidFilterPolicy('$or takes a list of at least two policies');
      for (const alt of v) checkNode(alt as Policy, depth + 1);
    } else if (Array.isArray(v)) {
      if (v.length === 0) throw new InvalidFilterPolicy(`${k}: empty arrays are not allowed`);
      for (const c of v) checkCondition(k, c);
    } else if (isObject(v)) {
      checkNode(v, depth + 1);
    } else {
      throw new InvalidFilterPolicy(`${k}: match values must be in a JSON array`);
    }
  }
}

function checkCondition(key: string, c: unknown): void {
  if (c === null || typeof c === 'string' || typeof c === 'number') return;
  if (!isObject(c) || Object.keys(c).length !== 1) throw new InvalidFilterPolicy(`${key}: unrecognized match type`);
  const [op, arg] = Object.entries(c)[0];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new InvalidFilterPolicy(`${key}: ${op} must be a string`);
      return;
    case 'exists':
      if (typeof arg !== 'boolean') throw new InvalidFilterPolicy(`${key}: exists must be true or false`);
      return;
    case 'anything-but':
      if (typeof arg === 'string' || typeof arg === 'number') return;
      if (Array.isArray(arg) && arg.length > 0 && arg.every((x) => typeof x === 'string' || typeof x === 'number')) return;
      if (isObject(arg) && Object.keys(arg).length === 1 && typeof arg.prefix === 'string') return;
      throw new InvalidFilterPolicy(`${key}: anything-but takes a value, a list of values or {"prefix": …}`);
    case 'numeric': {
      if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) throw new InvalidFilterPolicy(`${key}: numeric takes operator/value pairs`);
      for (let i = 0; i < arg.length; i += 2) {
        if (!['=', '<', '<=', '>', '>='].includes(arg[i] as string) || typeof arg[i + 1] !== 'number') {
          throw new InvalidFilterPolicy(`${key}: numeric takes operator/value pairs`);
        }
      }
      return;
    }
    default:
      throw new InvalidFilterPolicy(`${key}: unsupported match type ${op}`);
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
  if (isObject(arg)) return typeof v === 'string' && v.startsWith(arg.prefix as string);
  const list = Array.isArray(arg) ? arg : [arg];
  return list.some((x) => equal(x, v));
}

function matchValue(c: unknown, v: unknown): boolean {
  if (!isObject(c)) return equal(c, v);
  const [op, arg] = Object.entries(c)[0];
  switch (op) {
    case 'prefix':
      return typeof v === 'string' && v.startsWith(arg as string);
    case 'suffix':
      return typeof v === 'string' && v.endsWith(arg as string);
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === (arg as string).toLowerCase();
    case 'numeric': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (Number.isNaN(n)) return false;
      const ops = arg as (string | number)[];
      for (let i = 0; i < ops.length; i += 2) {
        const bound = ops[i + 1] as number;
        const ok = { '=': n === bound, '<': n < bound, '<=': n <= bound, '>': n > bound, '>=': n >= bound }[ops[i] as string];
        if (!ok) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

function equal(policyValue: unknown, v: unknown): boolean {
  if (policyValue === null) return v === null;
  if (typeof policyValue === 'number') return (typeof v === 'number' || typeof v === 'string') && Number(v) === policyValue;
  return typeof v === 'string' && v === policyValue;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
