/**
 * A case-sensitive "name starts with" condition, the same text on SQLite and PostgreSQL. LIKE alone
 * would be wrong: SQLite's ignores ASCII case (AWS name prefixes do not) and both treat `%`/`_` as
 * wildcards. The escaped LIKE is kept in front so an index can still narrow; the substr comparison
 * makes it exact on both engines.
 */
export function startsWith(column: string, prefix: string, params: Record<string, unknown>, key = 'prefix'): string {
  params[`${key}Like`] = prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
  params[key] = prefix;
  return `${column} LIKE @${key}Like ESCAPE '\\' AND substr(${column}, 1, length(@${key})) = @${key}`;
}
