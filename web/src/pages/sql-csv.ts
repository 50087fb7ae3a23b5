// A query's result as the CSV file Athena writes to the OutputLocation: a header line, every field
// double-quoted (quotes doubled inside), NULL as an empty unquoted field so it stays distinct from
// an empty string, lines ending in \n. Built in the browser from GetQueryResults, so a download
// works without access to the results bucket. Pure (no DOM), so tests check it directly.
/** A result cell: a string, or null for SQL NULL. */
type Cell = string | null;

const field = (v: Cell): string => (v === null ? '' : `"${v.replaceAll('"', '""')}"`);

export function toCsv(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(field).join(',')).join('\n') + '\n';
}
