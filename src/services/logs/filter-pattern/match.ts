/**
 * Evaluating a parsed filter pattern in JS: `compileFilterPattern(p).matches(message)` at ingest
 * (metric and subscription filters, Live Tail) and as the exact check behind FilterLogEvents'
 * ClickHouse pre-filter (sql.ts). Plus what metric filters need from a matching event: the
 * extracted fields (`extract`), the published value (`metricValue`), dimension values
 * (`dimensionValue`) and per-minute aggregation (`aggregateMinutes`).
 *
 * Semantics (see parse.ts for the syntax):
 * - Terms and quoted phrases match as case-sensitive substrings of the message (AWS's own example:
 *   `ERROR` matches "Exiting with ERRORCODE: -1"). `" "` / `""` match everything.
 * - Regexes are unanchored searches (`%AUTHORIZED%` matches "UNAUTHORIZED").
 * - JSON patterns apply only to messages that are a JSON object (first non-blank character `{`
 *   and valid JSON); any other message does not match, whatever the conditions (also NOT EXISTS).
 *   A selector that points to an array or object never matches (neither `=` nor `!=`); a missing
 *   property only matches NOT EXISTS; `null` only matches IS NULL.
 * - Space-delimited patterns split the message on whitespace, with "[...]" and "\"...\"" as single
 *   fields (brackets/quotes removed). Without `...` the fields are matched in order and the last
 *   field takes the rest of the line; with `...` the fields must cover all tokens exactly.
 */
import type {
  CompareOp, DelimitedPattern, FieldExpr, FilterPattern, Glob, JsonCondition, JsonExpr, JsonPattern,
  PathStep, Regex, TermsPattern, Value,
} from './ast.ts';
import { isNumberLiteral, parseSelectorText } from './parse.ts';
import { compileRegex } from './regex-engine.ts';


/** What a matching event yields for metric filters. */
export type Extraction =
  /** Terms, regex and match-all patterns extract nothing. */
  | { kind: 'text' }
  /** JSON patterns: the parsed message, for `$.field` metric values and dimensions. */
  | { kind: 'json'; json: Record<string, unknown> }
  /**
   * Space-delimited patterns: `$name` for named fields, `$N` (1-based token position) for tokens
   * matched by `...` or by an unnamed field, like the doc's `"$7": "1534"`.
   */
  | { kind: 'delimited'; fields: Record<string, string> };

export interface CompiledPattern {
  readonly pattern: FilterPattern;
  matches(message: string): boolean;
  /** The extraction for a matching message, undefined when it does not match. */
  extract(message: string): Extraction | undefined;
}

const TEXT: Extraction = Object.freeze({ kind: 'text' });

export function compileFilterPattern(p: FilterPattern): CompiledPattern {
  switch (p.kind) {
    case 'all':
      return { pattern: p, matches: () => true, extract: () => TEXT };
    case 'terms': {
      const matches = compileTerms(p);
      return { pattern: p, matches, extract: (m) => (matches(m) ? TEXT : undefined) };
    }
    case 'regex': {
      const re = compileRegex(p.regex);
      const matches = (m: string): boolean => re.test(m);
      return { pattern: p, matches, extract: (m) => (matches(m) ? TEXT : undefined) };
    }
    case 'json':
      return compileJson(p);
    case 'delimited':
      return compileDelimited(p);
  }
}


// ---------------------------------------------------------------------------------------------
// Terms

function compileTerms(p: TermsPattern): (m: string) => boolean {
  const blank = (text: string): boolean => text.trim() === '';
  const include = p.include.map((t) => t.text).filter((t) => !blank(t));
  const exclude = p.exclude.map((t) => t.text);
  // "If you combine ? with other filter patterns, all question mark terms will be ignored."
  const useOptional = p.include.length === 0 && p.exclude.length === 0;
  const optional = useOptional ? p.optional.map((t) => t.text) : [];
  if (exclude.some(blank)) return () => false; // -" " excludes everything
  if (optional.some(blank)) optional.length = 0; // ?" " accepts everything
  if (include.length === 1 && exclude.length === 0 && optional.length === 0) {
    const t = include[0]!;
    return (m) => m.includes(t);
  }
  return (m) => {
    for (const t of include) if (!m.includes(t)) return false;
    for (const t of exclude) if (m.includes(t)) return false;
    if (optional.length === 0) return true;
    for (const t of optional) if (m.includes(t)) return true;
    return false;
  };
}

// ---------------------------------------------------------------------------------------------
// Values (JSON values and delimited fields)

/** A JSON scalar's text for string/wildcard/regex comparisons (undefined: null, arrays, objects). */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function globTest(g: Glob): (s: string) => boolean {
  const core = g.core;
  switch (g.mode) {
    case 'any': return () => true;
    case 'exact': return (s) => s === core;
    case 'prefix': return (s) => s.startsWith(core);
    case 'suffix': return (s) => s.endsWith(core);
    case 'contains': return (s) => s.includes(core);
  }
}

function numericTest(op: CompareOp, n: number): (x: number) => boolean {
  switch (op) {
    case '=': return (x) => x === n;
    case '!=': return (x) => x !== n;
    case '<': return (x) => x < n;
    case '<=': return (x) => x <= n;
    case '>': return (x) => x > n;
    case '>=': return (x) => x >= n;
  }
}

/**
 * Test of a JSON value (already resolved, not missing). Numbers compare numerically with a numeric
 * literal; with `=`/`!=` a string or boolean is compared with the literal's text (undocumented:
 * `{ $.code = 400 }` matches `{"code":"400"}`); `<`… need a JSON number.
 */
function jsonValueTest(op: CompareOp, value: Value): (v: unknown) => boolean {
  if (value.kind === 'number') {
    const num = numericTest(op, value.value);
    const text = value.text;
    if (op === '=') return (v) => (typeof v === 'number' ? num(v) : (typeof v === 'string' || typeof v === 'boolean') && String(v) === text);
    if (op === '!=') return (v) => (typeof v === 'number' ? num(v) : (typeof v === 'string' || typeof v === 'boolean') && String(v) !== text);
    return (v) => typeof v === 'number' && num(v);
  }
  const t = value.kind === 'regex' ? regexTest(value.regex) : globTest(value.glob);
  if (op === '=') {
    return (v) => {
      const s = scalarText(v);
      return s !== undefined && t(s);
    };
  }
  return (v) => {
    const s = scalarText(v);
    return s !== undefined && !t(s);
  };
}

function regexTest(r: Regex): (s: string) => boolean {
  const re = compileRegex(r);
  return (s) => re.test(s);
}

/** Test of a delimited field's text: numeric when both sides are numbers, textual otherwise for `=`/`!=`. */
function fieldValueTest(op: CompareOp, value: Value): (s: string) => boolean {
  if (value.kind === 'number') {
    const num = numericTest(op, value.value);
    const text = value.text;
    if (op === '=') return (s) => (isNumberLiteral(s) ? num(Number(s)) : s === text);
    if (op === '!=') return (s) => (isNumberLiteral(s) ? num(Number(s)) : s !== text);
    return (s) => isNumberLiteral(s) && num(Number(s));
  }
  const t = value.kind === 'regex' ? regexTest(value.regex) : globTest(value.glob);
  return op === '=' ? t : (s) => !t(s);
}

// ---------------------------------------------------------------------------------------------
// JSON

const MISSING = Symbol('missing');
type Resolved = unknown | typeof MISSING;
type Obj = Record<string, unknown>;

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

/** Resolves a path without `[*]` to one value or MISSING. */
function compileGetOne(steps: PathStep[]): (root: Obj) => Resolved {
  const fs = steps.map((s): ((v: unknown) => Resolved) => {
    if (s.kind === 'prop') return stepProp(s.name);
    if (s.kind === 'index') {
      const idx = s.index;
      return (v) => (Array.isArray(v) && idx < v.length ? v[idx] : MISSING);
    }
    throw new Error('[*] needs compileGetAll');
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

/** Resolves a path with `[*]` to every matching value. */
function compileGetAll(steps: PathStep[]): (root: Obj) => unknown[] {
  return (root) => {
    let cur: unknown[] = [root];
    for (const s of steps) {
      const next: unknown[] = [];
      for (const v of cur) {
        if (s.kind === 'prop') {
          if (isObject(v) && Object.hasOwn(v, s.name)) next.push(v[s.name]);
        } else if (Array.isArray(v)) {
          if (s.kind === 'anyIndex') next.push(...v);
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
  if (c.selector.steps.some((s) => s.kind === 'anyIndex')) {
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

function compileJson(p: JsonPattern): CompiledPattern {
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

// ---------------------------------------------------------------------------------------------
// Space-delimited

/**
 * Splits a message into fields. Module-level scratch arrays (matching is synchronous), grown as
 * needed: for token k, [start, end) is its raw span and [vs, ve) its value (without [] or "").
 */
let tStart = new Int32Array(64);
let tEnd = new Int32Array(64);
let tVs = new Int32Array(64);
let tVe = new Int32Array(64);

function isWs(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function pushToken(k: number, start: number, end: number, vs: number, ve: number): void {
  if (k >= tStart.length) {
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    tStart = grow(tStart);
    tEnd = grow(tEnd);
    tVs = grow(tVs);
    tVe = grow(tVe);
  }
  tStart[k] = start;
  tEnd[k] = end;
  tVs[k] = vs;
  tVe[k] = ve;
}

/** Tokenizes into the scratch arrays; returns the token count. */
function tokenize(m: string): number {
  const n = m.length;
  let k = 0;
  let i = 0;
  while (i < n) {
    while (i < n && isWs(m.charCodeAt(i))) i++;
    if (i >= n) break;
    const c = m.charCodeAt(i);
    if (c === 0x22) { // "
      let j = i + 1;
      while (j < n) {
        const d = m.charCodeAt(j);
        if (d === 0x5c) j += 2; // \" inside a quoted field (Apache escapes quotes this way)
        else if (d === 0x22) break;
        else j++;
      }
      if (j < n) {
        pushToken(k++, i, j + 1, i + 1, j);
        i = j + 1;
        continue;
      }
    } else if (c === 0x5b) { // [
      const j = m.indexOf(']', i + 1);
      if (j >= 0) {
        pushToken(k++, i, j + 1, i + 1, j);
        i = j + 1;
        continue;
      }
    }
    let j = i;
    while (j < n && !isWs(m.charCodeAt(j))) j++;
    pushToken(k++, i, j, i, j);
    i = j;
  }
  return k;
}

interface CField {
  ellipsis: boolean;
  name: string | null;
  test: ((s: string) => boolean) | null;
}

function compileFieldExpr(e: FieldExpr): (s: string) => boolean {
  if (e.kind === 'compare') return fieldValueTest(e.op, e.value);
  const fs = e.items.map(compileFieldExpr);
  if (e.kind === 'and') {
    return (s) => {
      for (const f of fs) if (!f(s)) return false;
      return true;
    };
  }
  return (s) => {
    for (const f of fs) if (f(s)) return true;
    return false;
  };
}

function compileDelimited(p: DelimitedPattern): CompiledPattern {
  const fields: CField[] = p.fields.map((f) => (f.kind === 'ellipsis'
    ? { ellipsis: true, name: null, test: null }
    : { ellipsis: false, name: f.name, test: f.cond ? compileFieldExpr(f.cond) : null }));
  const k = fields.length;

  /** Token range assigned to each field: field i covers tokens [from[i], to[i]). */
  const from = new Int32Array(k);
  const to = new Int32Array(k);

  const valueOf = (m: string, a: number, b: number): string =>
    // One token: its value; several (the last field taking the rest of the line): the raw text.
    b - a === 1 ? m.slice(tVs[a]!, tVe[a]!) : m.slice(tStart[a]!, tEnd[b - 1]!);

  /** Assigns tokens to fields (filling from/to) and checks conditions; false when impossible. */
  let assign: (m: string, ntok: number) => boolean;
  if (!p.hasEllipsis) {
    assign = (m, ntok) => {
      if (ntok < k) return false;
      for (let i = 0; i < k; i++) {
        from[i] = i;
        to[i] = i === k - 1 ? ntok : i + 1;
        const t = fields[i]!.test;
        if (t !== null && !t(valueOf(m, from[i]!, to[i]!))) return false;
      }
      return true;
    };
  } else if (fields.filter((f) => f.ellipsis).length === 1) {
    // One `...`: the fields before it take the first tokens, the fields after it the last ones.
    const e = fields.findIndex((f) => f.ellipsis);
    const after = k - e - 1;
    assign = (m, ntok) => {
      if (ntok < k - 1) return false;
      for (let i = 0; i < k; i++) {
        if (i === e) {
          from[i] = e;
          to[i] = ntok - after;
          continue;
        }
        const t = i < e ? i : ntok - (k - i);
        from[i] = t;
        to[i] = t + 1;
        const test = fields[i]!.test;
        if (test !== null && !test(m.slice(tVs[t]!, tVe[t]!))) return false;
      }
      return true;
    };
  } else {
    // Backtracking over how many tokens each `...` takes (fewest first), memoising failed
    // (field, token) states so that several ellipses stay O(fields × tokens²).
    let failed = new Uint8Array(0);
    let stride = 0;
    const go = (m: string, ntok: number, fi: number, ti: number): boolean => {
      if (fi === k) return ti === ntok;
      const key = fi * stride + ti;
      if (failed[key] === 1) return false;
      const f = fields[fi]!;
      if (f.ellipsis) {
        for (let j = ti; j <= ntok; j++) {
          from[fi] = ti;
          to[fi] = j;
          if (go(m, ntok, fi + 1, j)) return true;
        }
      } else if (ti < ntok && (f.test === null || f.test(m.slice(tVs[ti]!, tVe[ti]!)))) {
        from[fi] = ti;
        to[fi] = ti + 1;
        if (go(m, ntok, fi + 1, ti + 1)) return true;
      }
      failed[key] = 1;
      return false;
    };
    assign = (m, ntok) => {
      stride = ntok + 1;
      const size = (k + 1) * stride;
      if (failed.length < size) failed = new Uint8Array(size);
      else failed.fill(0, 0, size);
      return go(m, ntok, 0, 0);
    };
  }

  return {
    pattern: p,
    matches: (m) => assign(m, tokenize(m)),
    extract: (m) => {
      if (!assign(m, tokenize(m))) return undefined;
      const out: Record<string, string> = {};
      for (let i = 0; i < k; i++) {
        const f = fields[i]!;
        const a = from[i]!;
        const b = to[i]!;
        if (f.ellipsis) {
          for (let t = a; t < b; t++) out[`$${t + 1}`] = m.slice(tVs[t]!, tVe[t]!);
        } else {
          out[f.name !== null ? `$${f.name}` : `$${a + 1}`] = valueOf(m, a, b);
        }
      }
      return { kind: 'delimited', fields: out };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Metric filter values

/**
 * The value a metric filter publishes for a matching event, or undefined when there is none
 * (AWS publishes nothing for that event). `spec` is MetricTransformation.metricValue:
 * - a number (`"1"`, `"2.5"`): that number;
 * - `$.path`: the JSON value at that path, when it is a number or a numeric string;
 * - `$name` / `$N`: the space-delimited field of that name / position, when numeric. (`$size` in
 *   AWS's Apache example is the field named `size`, not a byte count.)
 */
export function metricValue(spec: string, message: string, ex: Extraction): number | undefined {
  const s = spec.trim();
  if (isNumberLiteral(s)) return finite(Number(s));
  const raw = referencedValue(s, message, ex);
  if (typeof raw === 'number') return finite(raw);
  if (typeof raw === 'string' && isNumberLiteral(raw)) return finite(Number(raw));
  return undefined;
}

/**
 * A dimension's value for a matching event (MetricTransformation.dimensions: `{"IP": "$ip"}`,
 * `{"EventType": "$.eventType"}`): the field's text, or undefined when the field is missing, null,
 * an array or an object. A spec that is not a `$` reference is returned as is.
 */
export function dimensionValue(spec: string, message: string, ex: Extraction): string | undefined {
  const s = spec.trim();
  if (!s.startsWith('$')) return spec;
  return scalarText(referencedValue(s, message, ex));
}

const selectorCache = new Map<string, ((root: Obj) => Resolved) | null>();

function referencedValue(s: string, message: string, ex: Extraction): unknown {
  if (s.startsWith('$.') || s.startsWith('$[')) {
    let get = selectorCache.get(s);
    if (get === undefined) {
      try {
        const sel = parseSelectorText(s);
        get = sel.steps.some((x) => x.kind === 'anyIndex') ? null : compileGetOne(sel.steps);
      } catch {
        get = null;
      }
      if (selectorCache.size > 1000) selectorCache.clear();
      selectorCache.set(s, get);
    }
    if (get === null) return undefined;
    const root = ex.kind === 'json' ? ex.json : parseJsonMessage(message);
    if (root === undefined) return undefined;
    const v = get(root);
    return v === MISSING ? undefined : v;
  }
  if (s.startsWith('$') && ex.kind === 'delimited') return ex.fields[s];
  return undefined;
}

function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined;
}

export interface MetricSpec {
  metricValue: string;
  /** MetricTransformation.defaultValue: published for events that do not match. */
  defaultValue?: number;
}

/**
 * Per-minute published value (the sum) of one metric filter over the events of each minute, or
 * null when nothing is published. Each matching event contributes its metric value; with a
 * defaultValue each non-matching event contributes the default ("the Default Value of 0 is used
 * for both log records"); a minute without events, or without any contribution, publishes nothing.
 */
export function aggregateMinutes(
  compiled: CompiledPattern,
  minutes: ReadonlyArray<{ messages: readonly string[] }>,
  metric: MetricSpec,
): (number | null)[] {
  return minutes.map(({ messages }) => {
    let sum = 0;
    let any = false;
    for (const m of messages) {
      const ex = compiled.extract(m);
      const v = ex !== undefined ? metricValue(metric.metricValue, m, ex) : metric.defaultValue;
      if (v !== undefined) {
        sum += v;
        any = true;
      }
    }
    return any ? sum : null;
  });
}
