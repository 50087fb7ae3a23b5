/** Matching JSON patterns (see match.ts for the semantics) and resolving property selectors. */
import type { JsonCondition, JsonExpr, JsonPattern, PathStep } from './ast.ts';
import type { CompiledPattern } from './match.ts';
import { jsonValueTest } from './match-values.ts';

export const MISSING = Symbol('missing');
export type Resolved = unknown | typeof MISSING;
export type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The message as a JSON object, or undefined when it is not one (checked cheaply before JSON.parse). */
export function parseJsonMessage(m: string): Obj | undefined {
  return startsLikeObject(m) ? parseObject(m) : undefined;
}

/** First character after JSON whitespace is '{'. */
function startsLikeObject(m: string): boolean {
  let i = 0;
  const n = m.length;
  for (; i < n; i++) {
    const c = m.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
  }
  return m.charCodeAt(i) === 0x7b;
}

function parseObject(m: string): Obj | undefined {
  try {
    const v: unknown = JSON.parse(m);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function stepProp(name: string): (v: unknown) => Resolved {
  // JSON.parse only makes own properties; guard names that exist on Object.prototype.
  if (name in Object.prototype) {
    return (v) => (isObject(v) && Object.hasOwn(v, name) ? v[name] : MISSING);
  }
  return (v) => {
    if (!isObject(v)) return MISSING;
    const r = v[name];
    return r === undefined ? MISSING : r;
  };
}

/** Resolves a path without a wildcard (`[*]`, `.*`) to one value or MISSING. */
export function compileGetOne(steps: PathStep[]): (root: Obj) => Resolved {
  const fs = steps.map((s): ((v: unknown) => Resolved) => {
    if (s.kind === 'prop') return stepProp(s.name);
    if (s.kind === 'index') {
      const idx = s.index;
      return (v) => (Array.isArray(v) && idx < v.length ? v[idx] : MISSING);
    }
    throw new Error('a wildcard step needs compileGetAll');
  });
  if (fs.length === 1) return fs[0]!;
  return (root) => {
    let v: Resolved = root;
    for (const f of fs) {
      v = f(v);
      if (v === MISSING) return MISSING;
    }
    return v;
  };
}

/**
 * Resolves a path with a wildcard to every matching value: `[*]` takes each element of an array,
 * `.*` each field value of an object (its own level only; nested values need more steps).
 */
export function compileGetAll(steps: PathStep[]): (root: Obj) => unknown[] {
  return (root) => {
    let cur: unknown[] = [root];
    for (const s of steps) {
      const next: unknown[] = [];
      for (const v of cur) {
        if (s.kind === 'prop') {
          if (isObject(v) && Object.hasOwn(v, s.name)) next.push(v[s.name]);
        } else if (s.kind === 'anyProp') {
          // Loops rather than push(...xs): spreading a huge object or array overflows the stack.
          if (isObject(v)) for (const x of Object.values(v)) next.push(x);
        } else if (Array.isArray(v)) {
          if (s.kind === 'anyIndex') for (const x of v) next.push(x);
          else if (s.index < v.length) next.push(v[s.index]);
        }
      }
      if (next.length === 0) return next;
      cur = next;
    }
    return cur;
  };
}

function compileJsonExpr(e: JsonExpr): (root: Obj) => boolean {
  if (e.kind === 'and' || e.kind === 'or') {
    const fs = e.items.map(compileJsonExpr);
    if (e.kind === 'and') {
      return (r) => {
        for (const f of fs) if (!f(r)) return false;
        return true;
      };
    }
    return (r) => {
      for (const f of fs) if (f(r)) return true;
      return false;
    };
  }
  return compileJsonCondition(e);
}

function compileJsonCondition(c: JsonCondition): (root: Obj) => boolean {
  const test: (v: unknown) => boolean =
    c.kind === 'is' ? (c.what === 'null' ? (v) => v === null : c.what === 'true' ? (v) => v === true : (v) => v === false)
      : c.kind === 'compare' ? jsonValueTest(c.op, c.value)
        : () => true;
  if (c.selector.steps.some((s) => s.kind === 'anyIndex' || s.kind === 'anyProp')) {
    const all = compileGetAll(c.selector.steps);
    if (c.kind === 'notExists') return (r) => all(r).length === 0;
    return (r) => all(r).some(test);
  }
  const get = compileGetOne(c.selector.steps);
  if (c.kind === 'notExists') return (r) => get(r) === MISSING;
  return (r) => {
    const v = get(r);
    return v !== MISSING && test(v);
  };
}

/**
 * Substrings every matching message must contain when it has no backslash (so no JSON escapes can
 * hide them): the quoted property names of positive conditions, `null`/`true`/`false` for IS, and
 * the literal part of `= "string"` values that could not be the text of a number or boolean.
 * Lets most non-matching messages be rejected without JSON.parse.
 */
export function requiredJsonSubstrings(e: JsonExpr): string[] {
  if (e.kind === 'and') return [...new Set(e.items.flatMap(requiredJsonSubstrings))];
  if (e.kind === 'or') {
    const sets = e.items.map((x) => new Set(requiredJsonSubstrings(x)));
    return [...sets[0]!].filter((s) => sets.every((set) => set.has(s)));
  }
  if (e.kind === 'notExists') return [];
  const out = e.selector.steps.flatMap((s) => (s.kind === 'prop' ? [`"${s.name}"`] : []));
  if (e.kind === 'is') out.push(e.what);
  else if (e.op === '=' && e.value.kind === 'string' && e.value.glob.mode !== 'any' &&
    /[^0-9.eE+\-Infinitytruefals]/.test(e.value.glob.core)) {
    out.push(e.value.glob.core);
  }
  return out;
}

export function compileJson(p: JsonPattern): CompiledPattern {
  const evaluate = compileJsonExpr(p.expr);
  const required = requiredJsonSubstrings(p.expr);
  const parse = (m: string): Obj | undefined => {
    if (!startsLikeObject(m)) return undefined;
    if (required.length > 0 && m.indexOf('\\') < 0) {
      for (const r of required) if (!m.includes(r)) return undefined;
    }
    return parseObject(m);
  };
  return {
    pattern: p,
    matches: (m) => {
      const root = parse(m);
      return root !== undefined && evaluate(root);
    },
    extract: (m) => {
      const root = parse(m);
      return root !== undefined && evaluate(root) ? { kind: 'json', json: root } : undefined;
    },
  };
}
