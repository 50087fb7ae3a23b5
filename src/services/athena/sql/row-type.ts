/**
 * ROW types (the struct columns of external tables): `row(type varchar, sessioncontext row(…))`.
 * Their values travel as JSON text (as the `json` columns do); the type keeps the field list so a
 * member `col.a.b` gets its declared type, and results render as Trino renders a ROW:
 * `{type=AWSAccount, principalid=, arn=null}` — every declared field, in order.
 */
import { javaDouble, splitArgs } from '../column-types.ts';
import { isArray, elementType } from './types.ts';

export const isRow = (t: string): boolean => t.startsWith('row(');

/** The fields of a row type, names lower-cased. */
export function rowFields(t: string): { name: string; type: string }[] {
  if (!isRow(t)) return [];
  return splitArgs(t.slice(4, -1)).map((f) => {
    const sp = f.indexOf(' ');
    return { name: f.slice(0, sp).replace(/^"(.*)"$/, '$1').toLowerCase(), type: f.slice(sp + 1).trim() };
  });
}

/** The declared type at a member path of a row type (undefined when a step names no field). */
export function memberType(t: string, steps: readonly string[]): string | undefined {
  let cur: string | undefined = t;
  for (const s of steps) cur = rowFields(cur ?? '').find((f) => f.name === s.toLowerCase())?.type;
  return cur;
}

const lookup = (o: Record<string, unknown>, name: string): unknown => {
  const key = Object.keys(o).find((k) => k.toLowerCase() === name);
  return key === undefined ? null : o[key];
};

function renderJson(v: unknown, type: string): string {
  if (v === null || v === undefined) return 'null';
  if (isRow(type) && typeof v === 'object' && !Array.isArray(v)) {
    return `{${rowFields(type).map((f) => `${f.name}=${renderJson(lookup(v as Record<string, unknown>, f.name), f.type)}`).join(', ')}}`;
  }
  if (isArray(type) && Array.isArray(v)) return `[${v.map((x) => renderJson(x, elementType(type))).join(', ')}]`;
  if (typeof v === 'number' && (type === 'double' || type === 'real')) return javaDouble(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A value of a row type (JSON text) or an array of them, as Athena shows it in results. */
export function renderRowValue(v: unknown, type: string): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return `[${v.map((x) => renderRowValue(x, elementType(type)) ?? 'null').join(', ')}]`;
  try {
    return renderJson(JSON.parse(String(v)), type);
  } catch {
    return String(v);
  }
}

/** Whether values of this type need renderRowValue (a row, or an array of rows). */
export const rendersAsRow = (t: string): boolean => isRow(t) || (isArray(t) && rendersAsRow(elementType(t)));
