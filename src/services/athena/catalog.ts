/**
 * The catalog APIs: ListDataCatalogs, GetDataCatalog, ListDatabases, GetDatabase,
 * ListTableMetadata, GetTableMetadata. Catalog `AwsDataCatalog` (Athena's default) holds
 * `default`, `osprey` (the account's telemetry, sql/osprey-tables.ts) and the databases, external
 * tables and views the account created with DDL (metastore/).
 */
import type { TableMetadata } from '@aws-sdk/client-athena';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { AthenaDeps } from './deps.ts';
import type { TableRecord } from './metastore/types.ts';
import { decodeToken, encodeToken } from './paging.ts';
import type { TableSource } from './sql/index.ts';
import { OSPREY_DATABASE, ospreyTables } from './sql/osprey-tables.ts';

export const DATA_CATALOG = 'AwsDataCatalog';
const BUILTIN: Record<string, string> = {
  default: 'The default database.',
  [OSPREY_DATABASE]: "This account's and Region's telemetry: logs, metrics, cloudtrail, spans, alarm_history (read-only).",
};

const metadataError = (message: string): ServiceError => new ServiceError('MetadataException', message);

function checkCatalog(name: string | undefined): void {
  if (name !== undefined && name.toLowerCase() !== DATA_CATALOG.toLowerCase()) throw metadataError(`Catalog ${name} was not found.`);
}

async function databases(deps: AthenaDeps, ctx: Ctx): Promise<{ Name: string; Description?: string; Parameters?: Record<string, string> }[]> {
  const own = (await deps.metastore.databases(ctx)).map((d) => ({ Name: d.name, Description: d.comment, Parameters: { ...d.properties, ...(d.location ? { location: d.location } : {}) } }));
  return [...Object.entries(BUILTIN).map(([Name, Description]) => ({ Name, Description })), ...own].sort((a, b) => a.Name.localeCompare(b.Name));
}

async function checkDatabase(deps: AthenaDeps, ctx: Ctx, name: string): Promise<string> {
  const db = name.toLowerCase();
  if (!(db in BUILTIN) && !(await deps.metastore.database(ctx, db))) throw metadataError(`Database ${name} was not found.`);
  return db;
}

const ospreyShape = (name: string, t: TableSource): TableMetadata => ({
  Name: name, TableType: 'VIRTUAL_VIEW', Columns: t.columns.map((c) => ({ Name: c.name, Type: c.type })), PartitionKeys: [],
  Parameters: { comment: 'Osprey telemetry, read-only' },
});

function tableShape(t: TableRecord): TableMetadata {
  const rf = t.rowFormat;
  const parameters: Record<string, string> = { ...t.properties };
  if (t.kind === 'EXTERNAL_TABLE') {
    parameters.EXTERNAL = 'TRUE';
    parameters.location = t.location!;
    if (rf?.kind === 'serde') parameters['serde.serialization.lib'] = rf.serde;
    if (t.storedAs?.inputFormat) parameters.inputformat = t.storedAs.inputFormat;
    if (t.storedAs?.format) parameters.storedas = t.storedAs.format;
    if (rf?.kind === 'serde') for (const [k, v] of Object.entries(rf.properties)) parameters[`serde.param.${k}`] = v;
  }
  if (t.comment) parameters.comment = t.comment;
  return {
    Name: t.name, CreateTime: new Date(t.createdAt), TableType: t.kind,
    Columns: t.columns.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
    PartitionKeys: t.partitionKeys.map((c) => ({ Name: c.name, Type: c.type, Comment: c.comment })),
    Parameters: parameters,
  };
}

async function tablesOf(deps: AthenaDeps, ctx: Ctx, db: string): Promise<TableMetadata[]> {
  if (db === OSPREY_DATABASE) return Object.entries(ospreyTables(ctx)).map(([n, t]) => ospreyShape(n, t));
  return (await deps.metastore.tables(ctx, db)).map(tableShape);
}

export async function listDataCatalogs(): Promise<CallOutput<'athena', 'ListDataCatalogs'>> {
  return { DataCatalogsSummary: [{ CatalogName: DATA_CATALOG, Type: 'GLUE' }] };
}

export async function getDataCatalog(_deps: AthenaDeps, _ctx: Ctx, input: CallInput<'athena', 'GetDataCatalog'>): Promise<CallOutput<'athena', 'GetDataCatalog'>> {
  checkCatalog(input.Name);
  return { DataCatalog: { Name: DATA_CATALOG, Type: 'GLUE', Description: 'Osprey data catalog', Parameters: {} } };
}

export async function listDatabases(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'ListDatabases'>): Promise<CallOutput<'athena', 'ListDatabases'>> {
  checkCatalog(input.CatalogName);
  const all = await databases(deps, ctx);
  const after = input.NextToken === undefined ? '' : decodeToken(input.NextToken);
  const rest = all.filter((d) => d.Name > after);
  const limit = input.MaxResults ?? 50;
  const page = rest.slice(0, limit);
  return { DatabaseList: page, NextToken: rest.length > limit ? encodeToken(page.at(-1)!.Name) : undefined };
}

export async function getDatabase(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'GetDatabase'>): Promise<CallOutput<'athena', 'GetDatabase'>> {
  checkCatalog(input.CatalogName);
  const db = await checkDatabase(deps, ctx, input.DatabaseName!);
  return { Database: (await databases(deps, ctx)).find((d) => d.Name === db)! };
}

/** Athena's Expression: a table-name pattern where `*` is any run of characters. */
const matches = (expr: string | undefined, name: string): boolean =>
  expr === undefined || new RegExp(`^${expr.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(name);

export async function listTableMetadata(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'ListTableMetadata'>): Promise<CallOutput<'athena', 'ListTableMetadata'>> {
  checkCatalog(input.CatalogName);
  const db = await checkDatabase(deps, ctx, input.DatabaseName!);
  const tables = (await tablesOf(deps, ctx, db)).filter((t) => matches(input.Expression, t.Name!)).sort((a, b) => a.Name!.localeCompare(b.Name!));
  const after = input.NextToken === undefined ? '' : decodeToken(input.NextToken);
  const rest = tables.filter((t) => t.Name! > after);
  const limit = input.MaxResults ?? 50;
  const page = rest.slice(0, limit);
  return { TableMetadataList: page, NextToken: rest.length > limit ? encodeToken(page.at(-1)!.Name!) : undefined };
}

export async function getTableMetadata(deps: AthenaDeps, ctx: Ctx, input: CallInput<'athena', 'GetTableMetadata'>): Promise<CallOutput<'athena', 'GetTableMetadata'>> {
  checkCatalog(input.CatalogName);
  const db = await checkDatabase(deps, ctx, input.DatabaseName!);
  const name = input.TableName!.toLowerCase();
  const t = (await tablesOf(deps, ctx, db)).find((x) => x.Name === name);
  if (!t) throw metadataError(`Table ${input.TableName} was not found in database ${db}.`);
  return { TableMetadata: t };
}
