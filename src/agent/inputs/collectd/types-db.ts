/**
 * collectd's types.db: each type's data-source names (`if_octets  rx:DERIVE:0:U, tx:DERIVE:0:U`),
 * which name the values of a multi-value type (`collectd_interface_rx`, `…_tx`). Without an entry a
 * single value is `value` and several are `0`, `1`, … — as go-collectd names them.
 */
import { readFileSync } from 'node:fs';

export type TypesDb = Map<string, string[]>;

export function parseTypesDb(text: string, into: TypesDb = new Map()): TypesDb {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (!m) continue;
    const names = m[2]!.split(',').map((ds) => ds.trim().split(':')[0]!).filter(Boolean);
    if (names.length > 0) into.set(m[1]!, names);
  }
  return into;
}

export function loadTypesDb(files: readonly string[]): TypesDb {
  const db: TypesDb = new Map();
  for (const f of files) parseTypesDb(readFileSync(f, 'utf8'), db);
  return db;
}

export function dataSourceName(db: TypesDb, type: string, index: number, count: number): string {
  const names = db.get(type);
  if (names && names.length === count) return names[index]!;
  return count === 1 ? 'value' : String(index);
}
