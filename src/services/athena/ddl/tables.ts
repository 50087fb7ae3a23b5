/** CREATE/DROP DATABASE, CREATE EXTERNAL TABLE, DROP TABLE, CREATE/DROP VIEW against the metastore. */
import { externalSource } from '../metastore/external-source.ts';
import { formatS3Location, parseS3Location } from '../metastore/locations.ts';
import type { TableRecord } from '../metastore/types.ts';
import { OSPREY_DATABASE } from '../sql/osprey-tables.ts';
import { BUILTIN_DATABASES, ddlError, writableDatabase, type DdlContext } from './context.ts';
import { parseHiveType } from './hive-types.ts';
import type { CreateTable, DdlStatement } from './statements.ts';

type Of<K extends DdlStatement['kind']> = Extract<DdlStatement, { kind: K }>;

export async function createDatabase(cx: DdlContext, s: Of<'create-database'>): Promise<void> {
  if (BUILTIN_DATABASES.has(s.name)) {
    if (s.ifNotExists) return;
    ddlError('ALREADY_EXISTS', `Database ${s.name} already exists`);
  }
  const added = await cx.repo.insertDatabase(cx.scope, { name: s.name, comment: s.comment, location: s.location, properties: s.properties, createdAt: cx.now });
  if (!added && !s.ifNotExists) ddlError('ALREADY_EXISTS', `Database ${s.name} already exists`);
}

export async function dropDatabase(cx: DdlContext, s: Of<'drop-database'>): Promise<void> {
  if (BUILTIN_DATABASES.has(s.name)) ddlError('PERMISSION_DENIED', `Database ${s.name} cannot be dropped`);
  if (!(await cx.repo.database(cx.scope, s.name))) {
    if (s.ifExists) return;
    ddlError('SCHEMA_NOT_FOUND', `Database does not exist: ${s.name}`);
  }
  if (!s.cascade && (await cx.repo.tables(cx.scope, s.name)).length > 0) {
    ddlError('SCHEMA_NOT_EMPTY', `Database ${s.name} is not empty. One or more tables exist (use DROP DATABASE … CASCADE)`);
  }
  await cx.repo.deleteDatabase(cx.scope, s.name);
}

function checkColumns(s: CreateTable): void {
  if (s.columns.length === 0) ddlError('SYNTAX_ERROR', `Table ${s.name} must have at least one column`);
  const seen = new Set<string>();
  for (const c of [...s.columns, ...s.partitionedBy]) {
    if (seen.has(c.name)) ddlError('SYNTAX_ERROR', `Column repeated in table definition (or in partitioning columns): ${c.name}`);
    seen.add(c.name);
  }
  for (const k of s.partitionedBy) {
    if (parseHiveType(k.type).kind !== 'primitive') ddlError('NOT_SUPPORTED', `Partition column ${k.name} must be of a primitive type, not ${k.type}`);
  }
}

export async function createTable(cx: DdlContext, s: CreateTable): Promise<void> {
  if (s.unsupported) ddlError('NOT_SUPPORTED', `${s.unsupported} is not supported; Osprey reads external tables (CREATE EXTERNAL TABLE … LOCATION 's3://…')`);
  if (!s.external) ddlError('NOT_SUPPORTED', "Only external tables are supported: use CREATE EXTERNAL TABLE … LOCATION 's3://bucket/prefix/'");
  const database = await writableDatabase(cx, s.db);
  checkColumns(s);
  if (!s.location) ddlError('SYNTAX_ERROR', `CREATE EXTERNAL TABLE ${s.name} requires a LOCATION 's3://bucket/prefix/'`);
  const loc = parseS3Location(s.location!);
  cx.access.reader(loc.bucket);
  const t: TableRecord = {
    database, name: s.name, kind: 'EXTERNAL_TABLE', columns: s.columns, partitionKeys: s.partitionedBy, location: formatS3Location(loc),
    rowFormat: s.rowFormat, storedAs: s.storedAs, properties: s.properties, comment: s.comment, createdAt: cx.now,
  };
  // Builds the table's read plan (format, projection, bucket) now, so a table that could never
  // be read is refused at CREATE rather than at the first query.
  externalSource(t, [], cx.access);
  if (!(await cx.repo.putTable(cx.scope, t, false)) && !s.ifNotExists) ddlError('ALREADY_EXISTS', `Table ${database}.${s.name} already exists`);
}

export async function dropTable(cx: DdlContext, s: Of<'drop-table'> | Of<'drop-view'>): Promise<void> {
  const db = s.db ?? cx.database;
  if (db === OSPREY_DATABASE) ddlError('PERMISSION_DENIED', `Table ${OSPREY_DATABASE}.${s.name} is Osprey's telemetry and cannot be dropped`);
  const t = await cx.repo.table(cx.scope, db, s.name);
  if (!t) {
    if (s.ifExists) return;
    ddlError('TABLE_NOT_FOUND', `${s.kind === 'drop-view' ? 'View' : 'Table'} ${db}.${s.name} does not exist`);
  }
  if (s.kind === 'drop-view' && t!.kind !== 'VIRTUAL_VIEW') ddlError('NOT_SUPPORTED', `${db}.${s.name} is a table, not a view: use DROP TABLE`);
  if (s.kind === 'drop-table' && t!.kind === 'VIRTUAL_VIEW') ddlError('NOT_SUPPORTED', `${db}.${s.name} is a view: use DROP VIEW`);
  await cx.repo.deleteTable(cx.scope, db, s.name);
}

export async function createView(cx: DdlContext, s: Of<'create-view'>): Promise<void> {
  const database = await writableDatabase(cx, s.db);
  const existing = await cx.repo.table(cx.scope, database, s.name);
  if (existing && existing.kind !== 'VIRTUAL_VIEW') ddlError('ALREADY_EXISTS', `${database}.${s.name} is a table; a view cannot replace it`);
  if (existing && !s.orReplace) ddlError('ALREADY_EXISTS', `View ${database}.${s.name} already exists`);
  const columns = await cx.viewColumns(s.query);
  const t: TableRecord = {
    database, name: s.name, kind: 'VIRTUAL_VIEW', columns: columns.map((c) => ({ name: c.name, type: c.type })), partitionKeys: [],
    properties: {}, viewSql: s.query, createdAt: cx.now,
  };
  await cx.repo.putTable(cx.scope, t, true);
}

