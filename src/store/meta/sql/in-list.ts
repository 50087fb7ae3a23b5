/**
 * `column IN (…)` for a list of values on both engines (SQLite's json_each has no PostgreSQL twin
 * that keeps the column's type): one `?` per value, or `(NULL)` for none, which matches nothing.
 */
export function inList(values: readonly unknown[]): { sql: string; params: unknown[] } {
  return values.length ? { sql: `(${values.map(() => '?').join(', ')})`, params: [...values] } : { sql: '(NULL)', params: [] };
}

/** The same for `@name` statements: `(@name_0, @name_1, …)` and the object entries to bind. */
export function inListNamed(name: string, values: readonly unknown[]): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {};
  values.forEach((v, i) => (params[`${name}_${i}`] = v));
  return { sql: values.length ? `(${values.map((_, i) => `@${name}_${i}`).join(', ')})` : '(NULL)', params };
}
