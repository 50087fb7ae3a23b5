/**
 * What queries can name: catalog `AwsDataCatalog` (Athena's default) with database `default`
 * (empty) and `osprey` — the account's telemetry (sql/osprey-tables.ts), scoped to the caller's
 * account and Region before the user's SQL is ever seen. Also the catalog APIs: ListDataCatalogs,
 * GetDataCatalog, ListDatabases, GetDatabase, ListTableMetadata, GetTableMetadata.
 */
import type { Scope } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { AthenaDeps } from './deps.ts';
import { decodeToken, encodeToken } from './paging.ts';
import type { Catalog, TableSource } from './sql/index.ts';
import { ospreyTables } from './sql/osprey-tables.ts';

export const DATA_CATALOG = 'AwsDataCatalog';
const DATABASES: Record<string, string> = {
  default: 'The default database (Osprey keeps no tables in it).',
  osprey: "This account's and Region's telemetry: logs, metrics, cloudtrail.",
};

const metadataError = (message: string): ServiceError => new ServiceError('MetadataException', message);

export function catalogFor(s: Scope, database: string | undefined): Catalog {
  const tables = ospreyTables(s);
  return {
    defaultDatabase: (database ?? 'default').toLowerCase(),
    table: (db, name) => (db === 'osprey' ? tables[name] : undefined),
  };
}

function checkCatalog(name: string | undefined): void {
  if (name !== undefined && name.toLowerCase() !== DATA_CATALOG.toLowerCase()) throw metadataError(`Catalog ${name} was not found.`);
}

function checkDatabase(name: string): string {
  const db = name.toLowerCase();
  if (!(db in DATABASES)) throw metadataError(`Database ${name} was not found.`);
  return db;
}

const tableShape = (name: string, t: TableSource) => ({
  Name: name, TableType: 'VIRTUAL_VIEW', Columns: t.columns.map((c) => ({ Name: c.name, Type: c.type })), PartitionKeys: [],
  Parameters: { comment: 'Osprey telemetry, read-only' },
});

export async function listDataCatalogs(): Promise<CallOutput<'athena', 'ListDataCatalogs'>> {
  return { DataCatalogsSummary: [{ CatalogName: DATA_CATALOG, Type: 'GLUE' }] };
}

export async function getDataCatalog(_deps: AthenaDeps, _ctx: Ctx, input: CallInput<'athena', 'GetDataCatalog'>): Promise<CallOutput<'athena', 'GetDataCatalog'>> {
  checkCatalog(input.Name);
  return { DataCatalog: { Name: DATA_CATALOG, Type: 'GLUE', Description: 'Osprey data catalog', Parameters: {} } };
}

export async function listDatabases(_deps: AthenaDeps, _ctx: Ctx, input: CallInput<'athena', 'ListDatabases'>): Promise<CallOutput<'athena', 'ListDatabases'>> {
  checkCatalog(input.CatalogName);
  return { DatabaseList: Object.entries(DATABASES).map(([Name, Description]) => ({ Name, Description })) };
}

export async function getDatabase(_deps: AthenaDeps, _ctx: Ctx, input: CallInput<'athena', 'GetDatabase'>): Promise<CallOutput<'athena', 'GetDatabase'>> {
  checkCatalog(input.CatalogName);
  const db = checkDatabase(input.DatabaseName!);
  return { Database: { Name: db, Description: DATABASES[db] } };
}

/** Athena's Expression: a table-name pattern where `*` is any run of characters. */
const matches = (expr: string | undefined, name: string): boolean =>
  expr === undefined || new RegExp(`^${expr.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(name);

export async function listTableMetadata(_deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'ListTableMetadata'>): Promise<CallOutput<'athena', 'ListTableMetadata'>> {
  checkCatalog(input.CatalogName);
  const db = checkDatabase(input.DatabaseName!);
  const tables = db === 'osprey' ? Object.entries(ospreyTables(ctx)).filter(([n]) => matches(input.Expression, n)).sort(([a], [b]) => a.localeCompare(b)) : [];
  const after = input.NextToken === undefined ? '' : decodeToken(input.NextToken);
  const rest = tables.filter(([n]) => n > after);
  const limit = input.MaxResults ?? 50;
  const page = rest.slice(0, limit);
  return { TableMetadataList: page.map(([n, t]) => tableShape(n, t)), NextToken: rest.length > limit ? encodeToken(page.at(-1)![0]) : undefined };
}

export async function getTableMetadata(_deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'GetTableMetadata'>): Promise<CallOutput<'athena', 'GetTableMetadata'>> {
  checkCatalog(input.CatalogName);
  const db = checkDatabase(input.DatabaseName!);
  const name = input.TableName!.toLowerCase();
  const t = db === 'osprey' ? ospreyTables(ctx)[name] : undefined;
  if (!t) throw metadataError(`Table ${input.TableName} was not found in database ${db}.`);
  return { TableMetadata: tableShape(name, t) };
}
