// Completion of database, table and column names at the caret — pure, so it is easy to reason
// about: after FROM/JOIN the databases and the context database's tables; after `db.` that
// database's tables; after `t.` (a table or its alias) its columns; after any other identifier
// prefix the columns of the tables the query reads (of every table when it names none yet).
import { allColumns, findDatabase, type Schema, type Table } from './sql-catalog.ts';
import { insideLiteral, isKeyword } from './sql-lexer.ts';

export interface Suggestion { label: string; kind: 'database' | 'table' | 'column'; detail: string }

/** The suggestions for the identifier text[from, to) the caret ends. */
export interface Completion { from: number; to: number; items: Suggestion[] }

const MAX_ITEMS = 50;
const REF = /\b(?:from|join)\s+(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)(?:\s+(?:as\s+)?([A-Za-z_]\w*))?/gi;

/** The tables a query names after FROM/JOIN, by table name and by alias (lower case). */
export function tableRefs(text: string, schema: Schema, database: string): Map<string, Table> {
  const out = new Map<string, Table>();
  for (const [, db, name, alias] of text.matchAll(REF)) {
    const t = findDatabase(schema, db ?? database)?.tables.find((x) => x.name.toLowerCase() === name!.toLowerCase());
    if (!t) continue;
    out.set(name!.toLowerCase(), t);
    if (alias && !isKeyword(alias)) out.set(alias.toLowerCase(), t);
  }
  return out;
}

const tableItems = (schema: Schema, db: string): Suggestion[] =>
  (findDatabase(schema, db)?.tables ?? []).map((t) => ({ label: t.name, kind: 'table', detail: `table in ${db}` }));
const columnItems = (tables: Iterable<Table>): Suggestion[] =>
  [...tables].flatMap((t) => allColumns(t).map((c): Suggestion => ({ label: c.name, kind: 'column', detail: `${c.type} · ${t.name}` })));

function candidates(text: string, before: string, prefix: string, qualifier: string | undefined, schema: Schema, database: string): Suggestion[] {
  if (qualifier !== undefined) {
    if (findDatabase(schema, qualifier)) return tableItems(schema, qualifier);
    const t = tableRefs(text, schema, database).get(qualifier.toLowerCase());
    return t ? columnItems([t]) : [];
  }
  if (/\b(?:from|join)\s+$/i.test(before.slice(0, before.length - prefix.length))) {
    return [...schema.map((d): Suggestion => ({ label: d.name, kind: 'database', detail: 'database' })), ...tableItems(schema, database)];
  }
  if (!prefix) return [];
  const refs = new Set(tableRefs(text, schema, database).values());
  return refs.size ? columnItems(refs) : [...tableItems(schema, database), ...columnItems(findDatabase(schema, database)?.tables ?? [])];
}

export function complete(text: string, caret: number, schema: Schema, database: string): Completion | undefined {
  const before = text.slice(0, caret);
  if (insideLiteral(before)) return undefined;
  const m = /(?:([A-Za-z_]\w*)\.)?([A-Za-z_]\w*)?$/.exec(before)!;
  const qualifier = m[1];
  const prefix = m[2] ?? '';
  const p = prefix.toLowerCase();
  const seen = new Set<string>();
  const items = candidates(text, before, prefix, qualifier, schema, database).filter((s) => {
    const key = s.label.toLowerCase();
    if (!key.startsWith(p) || seen.has(key)) return false;
    seen.add(key);
    return true;
  }).slice(0, MAX_ITEMS);
  // Nothing to offer once the word is complete.
  if (items.length === 0 || (items.length === 1 && items[0]!.label.toLowerCase() === p)) return undefined;
  return { from: caret - prefix.length, to: caret, items };
}
