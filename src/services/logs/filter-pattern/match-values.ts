/** Value tests shared by JSON conditions (match-json.ts) and space-delimited fields (match-delimited.ts). */
import type { CompareOp, Glob, Regex, Value } from './ast.ts';
import { isNumberLiteral } from './parse-common.ts';
import { compileRegex } from './regex-engine.ts';

/** A JSON scalar's text for string/wildcard/regex comparisons (undefined: null, arrays, objects). */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function globTest(g: Glob): (s: string) => boolean {
  const core = g.core;
  switch (g.mode) {
    case 'any': return () => true;
    case 'exact': return (s) => s === core;
    case 'prefix': return (s) => s.startsWith(core);
    case 'suffix': return (s) => s.endsWith(core);
    case 'contains': return (s) => s.includes(core);
  }
}

export function numericTest(op: CompareOp, n: number): (x: number) => boolean {
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
export function jsonValueTest(op: CompareOp, value: Value): (v: unknown) => boolean {
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

export function regexTest(r: Regex): (s: string) => boolean {
  const re = compileRegex(r);
  return (s) => re.test(s);
}

/** Test of a delimited field's text: numeric when both sides are numbers, textual otherwise for `=`/`!=`. */
export function fieldValueTest(op: CompareOp, value: Value): (s: string) => boolean {
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
