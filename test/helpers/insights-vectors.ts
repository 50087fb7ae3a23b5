/**
 * Comparing Logs Insights results with the shared vectors (../shared/vectors/README.md): numbers
 * numerically, timestamps as instants, `ordered: false` as a multiset, only the listed columns,
 * and the documented alternatives where AWS's semantics are undocumented.
 */
export interface VectorQuery {
  id: string;
  category: string;
  dataset: string;
  query: string;
  ordered: boolean;
  expected_rows: Record<string, unknown>[] | null;
  alternatives?: Record<string, unknown>[];
  notes?: string;
}

export type Row = Record<string, string>;

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

export function sameValue(actual: string | undefined, expected: unknown): boolean {
  if (expected === null || expected === undefined) return actual === undefined;
  if (actual === undefined) return false;
  if (typeof expected === 'number') {
    const a = Number(actual);
    return actual.trim() !== '' && Number.isFinite(a) && Math.abs(a - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  const e = String(expected);
  if (TIMESTAMP.test(e) && TIMESTAMP.test(actual)) return Date.parse(`${e.replace(' ', 'T')}Z`) === Date.parse(`${actual.replace(' ', 'T')}Z`);
  return actual === e;
}

export function rowMatches(actual: Row, expected: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([k, v]) => sameValue(actual[k], v));
}

/** Whether `actual` equals `expected` under the vector rules. */
export function rowsMatch(actual: Row[], expected: Record<string, unknown>[], ordered: boolean): boolean {
  if (actual.length !== expected.length) return false;
  if (ordered) return expected.every((e, i) => rowMatches(actual[i]!, e));
  const used = new Set<number>();
  return expected.every((e) => {
    const i = actual.findIndex((a, j) => !used.has(j) && rowMatches(a, e));
    if (i < 0) return false;
    used.add(i);
    return true;
  });
}

/** Alternatives list other plausible values for the expected row's columns (single-row cases). */
export function alternativeRows(v: VectorQuery): Record<string, unknown>[][] {
  const base = v.expected_rows!;
  return (v.alternatives ?? []).map((alt) => {
    const cols = Object.fromEntries(Object.entries(alt).filter(([k]) => base.some((r) => k in r)));
    return base.map((r) => ({ ...r, ...cols }));
  });
}

