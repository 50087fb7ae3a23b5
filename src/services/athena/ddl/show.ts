/** SHOW DATABASES / TABLES / VIEWS / COLUMNS / CREATE TABLE and DESCRIBE. */
import type { StoredResult } from '../results.ts';
import type { TableRecord } from '../metastore/types.ts';
import { OSPREY_DATABASE, ospreyTables } from '../sql/osprey-tables.ts';
import { BUILTIN_DATABASES, databaseExists, ddlError, existingTable, type DdlContext } from './context.ts';
import type { DdlStatement } from './statements.ts';

type Of<K extends DdlStatement['kind']> = Extract<DdlStatement, { kind: K }>;

const oneColumn = (name: string, values: string[]): StoredResult => ({ columns: [{ name, type: 'varchar' }], rows: values.map((v) => [v]) });

/** Hive's SHOW patterns: `*` any characters, `|` alternatives, case-insensitive. */
function likePattern(p: string | undefined): (s: string) => boolean {
  if (p === undefined) return () => true;
  const alts = p.split('|').map((a) => a.trim().split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*'));
  const re = new RegExp(`^(?:${alts.join('|')})$`, 'i');
  return (s) => re.test(s);
}

export async function showDatabases(cx: DdlContext, s: Of<'show-databases'>): Promise<StoredResult> {
  const names = [...BUILTIN_DATABASES, ...(await cx.repo.databases(cx.scope)).map((d) => d.name)].sort();
  return oneColumn('database_name', names.filter(likePattern(s.like)));
}

async function tablesOf(cx: DdlContext, db: string): Promise<{ name: string; view: boolean }[]> {
  if (!(await databaseExists(cx, db))) ddlError('SCHEMA_NOT_FOUND', `Database does not exist: ${db}`);
  const osprey = db === OSPREY_DATABASE ? Object.keys(ospreyTables(cx.scope)).map((name) => ({ name, view: false })) : [];
  return [...osprey, ...(await cx.repo.tables(cx.scope, db)).map((t) => ({ name: t.name, view: t.kind === 'VIRTUAL_VIEW' }))];
}

export async function showTables(cx: DdlContext, s: Of<'show-tables'> | Of<'show-views'>): Promise<StoredResult> {
  const match = likePattern(s.like);
  const all = await tablesOf(cx, s.db ?? cx.database);
  const names = all.filter((t) => (s.kind === 'show-views' ? t.view : true) && match(t.name)).map((t) => t.name).sort();
  return oneColumn(s.kind === 'show-views' ? 'views' : 'tab_name', names);
}

/** Columns of any table (osprey's included): name, type, comment. */
async function columnsOf(cx: DdlContext, q: { db?: string; name: string }): Promise<{ name: string; type: string; comment: string; partition: boolean }[]> {
  const db = q.db ?? cx.database;
  if (db === OSPREY_DATABASE) {
    const t = ospreyTables(cx.scope)[q.name];
    if (!t) ddlError('TABLE_NOT_FOUND', `Table ${db}.${q.name} does not exist`);
    return t!.columns.map((c) => ({ ...c, comment: '', partition: false }));
  }
  const t = await existingTable(cx, q);
  return [
    ...t.columns.map((c) => ({ name: c.name, type: c.type, comment: c.comment ?? '', partition: false })),
    ...t.partitionKeys.map((c) => ({ name: c.name, type: c.type, comment: c.comment ?? '', partition: true })),
  ];
}

export async function describe(cx: DdlContext, s: Of<'describe'>): Promise<StoredResult> {
  const cols = await columnsOf(cx, s);
  const rows: (string | null)[][] = cols.map((c) => [c.name, c.type, c.comment]);
  const parts = cols.filter((c) => c.partition);
  if (parts.length) rows.push(['', null, null], ['# Partition Information', null, null], ['# col_name', 'data_type', 'comment'], ...parts.map((c) => [c.name, c.type, c.comment]));
  return { columns: [{ name: 'col_name', type: 'varchar' }, { name: 'data_type', type: 'varchar' }, { name: 'comment', type: 'varchar' }], rows };
}

export async function showColumns(cx: DdlContext, s: Of<'show-columns'>): Promise<StoredResult> {
  return oneColumn('field', (await columnsOf(cx, s)).map((c) => c.name));
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const props = (p: Record<string, string>) => `(\n${Object.entries(p).map(([k, v]) => `  ${quote(k)}=${quote(v)}`).join(',\n')})`;

/** The table's DDL, as Athena shows it (one line per row). */
export function createStatement(t: TableRecord): string {
  if (t.kind === 'VIRTUAL_VIEW') return `CREATE VIEW \`${t.database}\`.\`${t.name}\` AS\n${t.viewSql}`;
  const col = (c: { name: string; type: string; comment?: string }) => `  \`${c.name}\` ${c.type}${c.comment ? ` COMMENT ${quote(c.comment)}` : ''}`;
  const lines = [`CREATE EXTERNAL TABLE \`${t.database}\`.\`${t.name}\`(`, t.columns.map(col).join(',\n'), ')'];
  if (t.comment) lines.push(`COMMENT ${quote(t.comment)}`);
  if (t.partitionKeys.length) lines.push('PARTITIONED BY (', t.partitionKeys.map(col).join(',\n'), ')');
  const rf = t.rowFormat;
  if (rf?.kind === 'serde') {
    lines.push(`ROW FORMAT SERDE\n  ${quote(rf.serde)}`);
    if (Object.keys(rf.properties).length) lines.push(`WITH SERDEPROPERTIES ${props(rf.properties)}`);
  } else if (rf?.kind === 'delimited') {
    lines.push('ROW FORMAT DELIMITED');
    if (rf.fields !== undefined) lines.push(`  FIELDS TERMINATED BY ${quote(rf.fields)}`);
    if (rf.lines !== undefined) lines.push(`  LINES TERMINATED BY ${quote(rf.lines)}`);
  }
  if (t.storedAs?.format) lines.push(`STORED AS ${t.storedAs.format}`);
  else if (t.storedAs?.inputFormat) lines.push(`STORED AS INPUTFORMAT\n  ${quote(t.storedAs.inputFormat)}${t.storedAs.outputFormat ? `\nOUTPUTFORMAT\n  ${quote(t.storedAs.outputFormat)}` : ''}`);
  lines.push(`LOCATION\n  ${quote(t.location!)}`);
  if (Object.keys(t.properties).length) lines.push(`TBLPROPERTIES ${props(t.properties)}`);
  return lines.join('\n');
}

export async function showCreateTable(cx: DdlContext, s: Of<'show-create-table'>): Promise<StoredResult> {
  const t = await existingTable(cx, s);
  return oneColumn('createtab_stmt', createStatement(t).split('\n'));
}
