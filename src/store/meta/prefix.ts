/**
 * A case-sensitive "name starts with" condition for SQLite. LIKE alone would be wrong: it ignores
 * ASCII case (AWS name prefixes do not) and treats `%`/`_` as wildcards. The escaped LIKE is kept
 * in front so SQLite can still narrow with an index; the substr comparison makes it exact.
 */
export function startsWith(column: string, prefix: string, params: Record<string, unknown>, key = 'prefix'): string {
  params[`${key}Like`] = prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
  params[key] = prefix;
  return `${column} LIKE @${key}Like ESCAPE '\\' AND substr(${column}, 1, length(@${key})) = @${key}`;
}
