/** Matching space-delimited patterns: tokenising a message and assigning its tokens to the fields. */
import type { DelimitedPattern, FieldExpr } from './ast.ts';
import type { CompiledPattern } from './match.ts';
import { fieldValueTest } from './match-values.ts';

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

/** One token: its value; several (the last field taking the rest of the line): the raw text. */
function valueOf(m: string, a: number, b: number): string {
  return b - a === 1 ? m.slice(tVs[a]!, tVe[a]!) : m.slice(tStart[a]!, tEnd[b - 1]!);
}

/**
 * Assigns the tokenized message's tokens to fields, filling `from`/`to` (field i covers tokens
 * [from[i], to[i])), and checks the conditions; false when no assignment satisfies them.
 */
type Assign = (m: string, ntok: number) => boolean;

/** No `...`: field i takes token i, the last field the rest of the line. */
function assignInOrder(fields: CField[], from: Int32Array, to: Int32Array): Assign {
  const k = fields.length;
  return (m, ntok) => {
    if (ntok < k) return false;
    for (let i = 0; i < k; i++) {
      from[i] = i;
      to[i] = i === k - 1 ? ntok : i + 1;
      const t = fields[i]!.test;
      if (t !== null && !t(valueOf(m, from[i]!, to[i]!))) return false;
    }
    return true;
  };
}

/** One `...`: the fields before it take the first tokens, the fields after it the last ones. */
function assignOneEllipsis(fields: CField[], from: Int32Array, to: Int32Array): Assign {
  const k = fields.length;
  const e = fields.findIndex((f) => f.ellipsis);
  const after = k - e - 1;
  return (m, ntok) => {
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
}

/**
 * Several `...`: backtracking over how many tokens each takes (fewest first), memoising failed
 * (field, token) states so that several ellipses stay O(fields × tokens²).
 */
function assignEllipses(fields: CField[], from: Int32Array, to: Int32Array): Assign {
  const k = fields.length;
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
  return (m, ntok) => {
    stride = ntok + 1;
    const size = (k + 1) * stride;
    if (failed.length < size) failed = new Uint8Array(size);
    else failed.fill(0, 0, size);
    return go(m, ntok, 0, 0);
  };
}

export function compileDelimited(p: DelimitedPattern): CompiledPattern {
  const fields: CField[] = p.fields.map((f) => (f.kind === 'ellipsis'
    ? { ellipsis: true, name: null, test: null }
    : { ellipsis: false, name: f.name, test: f.cond ? compileFieldExpr(f.cond) : null }));
  const k = fields.length;
  const from = new Int32Array(k);
  const to = new Int32Array(k);
  const ellipses = fields.filter((f) => f.ellipsis).length;
  const assign = ellipses === 0 ? assignInOrder(fields, from, to)
    : ellipses === 1 ? assignOneEllipsis(fields, from, to) : assignEllipses(fields, from, to);

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
