/**
 * A finished query's result: kept as JSON under the data directory for GetQueryResults (columns
 * with Athena types, values already rendered), and written as `<id>.csv` to the query's
 * OutputLocation as Athena does (every field double-quoted, NULL empty, a header line).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Scope } from '../../lib/arn.ts';

export interface StoredResult {
  columns: { name: string; type: string }[];
  /** Rendered values; null = SQL NULL. */
  rows: (string | null)[][];
}

export const resultPath = (dir: string, s: Scope, id: string): string => join(dir, s.account, s.region, `${id}.json`);

export function writeResult(dir: string, s: Scope, id: string, r: StoredResult): void {
  const path = resultPath(dir, s, id);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(r));
  renameSync(`${path}.tmp`, path);
}

export function readResult(dir: string, s: Scope, id: string): StoredResult | undefined {
  try {
    return JSON.parse(readFileSync(resultPath(dir, s, id), 'utf8')) as StoredResult;
  } catch {
    return undefined;
  }
}

export function removeResult(dir: string, s: Scope, id: string): void {
  rmSync(resultPath(dir, s, id), { force: true });
}

const csvField = (v: string | null): string => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);

export function toCsv(r: StoredResult): string {
  const lines = [r.columns.map((c) => csvField(c.name)).join(',')];
  for (const row of r.rows) lines.push(row.map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}
