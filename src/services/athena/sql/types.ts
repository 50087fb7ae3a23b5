/**
 * The Athena (Trino) types the translator tracks, as lower-case type names (`bigint`, `varchar`,
 * `timestamp(3)`, `array(varchar)`, `map(varchar,varchar)`, `json`…). They decide integer division,
 * which cast or extraction to emit, and the column types the API reports; `unknown` is a type we
 * could not infer (then ClickHouse's own typing applies).
 */

/** A compiled expression: ClickHouse SQL and its Athena type. */
export interface Typed {
  sql: string;
  type: string;
  /** For a bare column reference: the column's declared name (what Athena names the output column). */
  name?: string;
}

const INTEGERS = new Set(['bigint', 'integer', 'smallint', 'tinyint']);
const FLOATS = new Set(['double', 'real']);

export const isInteger = (t: string): boolean => INTEGERS.has(t);
export const isNumeric = (t: string): boolean => INTEGERS.has(t) || FLOATS.has(t) || t.startsWith('decimal');
export const isString = (t: string): boolean => t === 'varchar' || t.startsWith('varchar(') || t.startsWith('char');
export const isTimestamp = (t: string): boolean => t.startsWith('timestamp');
export const isArray = (t: string): boolean => t.startsWith('array(');
export const isMap = (t: string): boolean => t.startsWith('map(');

/** `array(varchar)` → `varchar`; unknown for anything else. */
export function elementType(t: string): string {
  return isArray(t) ? t.slice(6, -1) : 'unknown';
}

/** `map(varchar,bigint)` → [`varchar`, `bigint`] (split at the top-level comma). */
export function mapTypes(t: string): [string, string] {
  if (!isMap(t)) return ['unknown', 'unknown'];
  const inner = t.slice(4, -1);
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) return [inner.slice(0, i).trim(), inner.slice(i + 1).trim()];
  }
  return ['unknown', 'unknown'];
}

/** The type of `a op b` for arithmetic: Trino widens integer → decimal → double. */
export function arithmeticType(a: string, b: string): string {
  if (isInteger(a) && isInteger(b)) return 'bigint';
  if (FLOATS.has(a) || FLOATS.has(b)) return 'double';
  if (isNumeric(a) && isNumeric(b)) return 'double';
  return 'unknown';
}

/** The common type of CASE arms, COALESCE arguments…: the first known one (ClickHouse unifies the rest). */
export function commonType(types: readonly string[]): string {
  const known = types.filter((t) => t !== 'unknown' && t !== 'null');
  if (known.length === 0) return types.includes('null') ? 'unknown' : 'unknown';
  if (known.every(isNumeric) && !known.every(isInteger)) return 'double';
  return known[0]!;
}
