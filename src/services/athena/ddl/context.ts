/** What DDL statements run against: the caller's scope, the metastore, the buckets, and the query's database. */
import type { Scope } from '../../../lib/arn.ts';
import type { BucketAccess } from '../metastore/locations.ts';
import type { MetastoreRepo } from '../metastore/repo.ts';
import type { TableRecord } from '../metastore/types.ts';
import { AthenaSqlError } from '../sql/errors.ts';
import { OSPREY_DATABASE } from '../sql/osprey-tables.ts';

export interface DdlContext {
  scope: Scope;
  repo: MetastoreRepo;
  access: BucketAccess;
  now: number;
  /** QueryExecutionContext.Database: where unqualified names resolve. */
  database: string;
  /** Translates a view's query in this context and answers its output columns (throws on errors). */
  viewColumns(query: string): Promise<{ name: string; type: string }[]>;
}

/** `default` always exists (as on Athena); `osprey` is Osprey's read-only telemetry. */
export const BUILTIN_DATABASES = new Set(['default', OSPREY_DATABASE]);

export const ddlError = (type: ConstructorParameters<typeof AthenaSqlError>[0], message: string): never => {
  throw new AthenaSqlError(type, message);
};

export async function databaseExists(cx: DdlContext, name: string): Promise<boolean> {
  return BUILTIN_DATABASES.has(name) || (await cx.repo.database(cx.scope, name)) !== undefined;
}

/** A database the user may create objects in (not osprey, and existing). */
export async function writableDatabase(cx: DdlContext, db: string | undefined): Promise<string> {
  const name = db ?? cx.database;
  if (name === OSPREY_DATABASE) ddlError('PERMISSION_DENIED', `Database ${OSPREY_DATABASE} is Osprey's telemetry and is read-only; create tables in your own database`);
  if (!(await databaseExists(cx, name))) ddlError('SCHEMA_NOT_FOUND', `Database does not exist: ${name}`);
  return name;
}

/** An existing metastore table or view. */
export async function existingTable(cx: DdlContext, q: { db?: string; name: string }): Promise<TableRecord> {
  const db = q.db ?? cx.database;
  if (db === OSPREY_DATABASE) ddlError('PERMISSION_DENIED', `Table ${OSPREY_DATABASE}.${q.name} is Osprey's telemetry and cannot be altered`);
  const t = await cx.repo.table(cx.scope, db, q.name);
  if (!t) ddlError('TABLE_NOT_FOUND', `Table ${db}.${q.name} does not exist`);
  return t!;
}
