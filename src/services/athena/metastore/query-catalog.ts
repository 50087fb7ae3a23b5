/**
 * The catalog one query resolves tables in: database `osprey` (the account's telemetry), and the
 * account's metastore databases — external tables read from their files, views expanded by
 * translating their query (in their own database) as a subquery. Everything is loaded before
 * translation, scoped to the caller's account and Region: the translator can only ever reach
 * these subqueries.
 */
import type { Scope } from '../../../lib/arn.ts';
import { AthenaSqlError, translate, type Catalog, type TableSource } from '../sql/index.ts';
import { OSPREY_DATABASE, ospreyTables } from '../sql/osprey-tables.ts';
import { externalSource } from './external-source.ts';
import type { BucketAccess } from './locations.ts';
import { projectionOf } from './projection.ts';
import type { MetastoreRepo } from './repo.ts';
import type { PartitionRecord, TableRecord } from './types.ts';

/** Views may name views; a chain this deep is a cycle or a mistake. */
const MAX_VIEW_DEPTH = 10;

export interface QueryCatalog extends Catalog {
  /** Engine settings the tables handed out so far need. */
  settings(): Record<string, string | number>;
}

const words = (sql: string): Set<string> => new Set((sql.toLowerCase().match(/[a-z_][\w]*/g) ?? []));

export async function loadCatalog(
  repo: MetastoreRepo, access: BucketAccess, scope: Scope, database: string | undefined, statement: string,
): Promise<QueryCatalog> {
  const tables = new Map((await repo.tables(scope)).map((t) => [`${t.database}.${t.name}`, t]));
  // Partitions only of tables the statement (or a view) could name: the word sets over-approximate.
  const named = words([statement, ...[...tables.values()].map((t) => t.viewSql ?? '')].join(' '));
  const partitions = new Map<string, PartitionRecord[]>();
  for (const [key, t] of tables) {
    if (t.partitionKeys.length && named.has(t.name) && !projectionOf(t.location, t.partitionKeys, t.properties)) {
      partitions.set(key, await repo.partitions(scope, t.database, t.name));
    }
  }
  const osprey = ospreyTables(scope);
  const settings: Record<string, string | number> = {};
  const addSettings = (more: Record<string, string | number>, table: string) => {
    for (const [k, v] of Object.entries(more)) {
      if (k in settings && settings[k] !== v) throw new AthenaSqlError('NOT_SUPPORTED', `Table ${table} needs ${k} = ${JSON.stringify(v)}, which another table of this query sets differently (e.g. two CSV tables with different separators); query them separately`);
      settings[k] = v;
    }
  };
  const viewCache = new Map<string, TableSource>();

  const make = (defaultDatabase: string, depth: number): QueryCatalog => ({
    defaultDatabase,
    settings: () => ({ ...settings }),
    table(db, name) {
      if (db === OSPREY_DATABASE) return Object.hasOwn(osprey, name) ? osprey[name] : undefined;
      const t = tables.get(`${db}.${name}`);
      if (!t) return undefined;
      if (t.kind === 'VIRTUAL_VIEW') return view(t, depth);
      const source = externalSource(t, partitions.get(`${db}.${name}`) ?? [], access);
      addSettings(source.settings, `${db}.${name}`);
      return source;
    },
  });

  const view = (t: TableRecord, depth: number): TableSource => {
    const key = `${t.database}.${t.name}`;
    const cached = viewCache.get(key);
    if (cached) return cached;
    if (depth >= MAX_VIEW_DEPTH) throw new AthenaSqlError('NOT_SUPPORTED', `View ${key} nests views more than ${MAX_VIEW_DEPTH} deep (or refers to itself)`);
    const inner = translate(t.viewSql!, make(t.database, depth + 1));
    const source: TableSource = {
      sql: `SELECT ${inner.columns.map((_, i) => `c${i} AS \`${t.columns[i]?.name ?? inner.columns[i]}\``).join(', ')} FROM (${inner.sql})`,
      columns: inner.columns.map((c, i) => ({ name: t.columns[i]?.name ?? c, type: inner.columnTypes[i] ?? 'unknown' })),
    };
    viewCache.set(key, source);
    return source;
  };

  return make((database ?? 'default').toLowerCase(), 0);
}
