/**
 * An external table as a ClickHouse subquery over its files: the read plan's columns, then the
 * partition keys — from the registered partitions (each file belongs to the partition whose
 * location its path is under; files under no registered partition are not read) or from the
 * partition projection (values matched out of the path). Every partition key is a function of
 * the engine's `_path` alone, so a predicate on partition keys prunes files before they are read.
 * Hidden files (names starting with `_` or `.`, as Hive skips them) are never read.
 */
import { stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import { parseHiveType, type HiveType } from '../ddl/hive-types.ts';
import type { TableSource } from '../sql/catalog.ts';
import { readPlan, type ReadPlan } from './formats.ts';
import { parseS3Location, type BucketAccess, type S3Location } from './locations.ts';
import { escapeRegex, projectionOf, templateRegex } from './projection.ts';
import { scalarFromText } from './values.ts';
import { columnsOfTable } from './table-columns.ts';
import type { PartitionRecord, TableRecord } from './types.ts';

export interface ExternalSource extends TableSource {
  settings: Record<string, string | number>;
}

interface Branch {
  bucket: string;
  /** The folder to read (every partition of the branch is under it). */
  prefix: string;
  /** Only these folders under `prefix` (no trailing slash), when listing them replaces a filter. */
  folders?: string[];
  /** Partition key expressions (text), in key order, and the condition a file must meet. */
  keys: string[];
  filter?: string;
}

const keyValue = (text: string, type: string): string => scalarFromText(text, parseHiveType(type) as HiveType & { kind: 'primitive' });

function commonFolder(keys: string[]): string {
  let common = keys[0] ?? '';
  for (const k of keys) while (!k.startsWith(common)) common = common.slice(0, common.lastIndexOf('/', common.length - 2) + 1);
  return common;
}

function unpartitioned(t: TableRecord): Branch[] {
  const loc = parseS3Location(t.location!);
  return [{ bucket: loc.bucket, prefix: loc.prefix, keys: [] }];
}

function registered(t: TableRecord, parts: PartitionRecord[], access: BucketAccess): Branch[] {
  const byBucket = new Map<string, { loc: S3Location; values: string[] }[]>();
  for (const p of parts) {
    const loc = parseS3Location(p.location);
    byBucket.set(loc.bucket, [...(byBucket.get(loc.bucket) ?? []), { loc, values: p.values }]);
  }
  if (byBucket.size === 0) {
    // No partition registered yet: the table is empty (MSCK REPAIR TABLE or ADD PARTITION adds them).
    const loc = parseS3Location(t.location!);
    return [{ bucket: loc.bucket, prefix: loc.prefix, keys: t.partitionKeys.map(() => 'NULL'), filter: '0' }];
  }
  return [...byBucket].map(([bucket, list]) => {
    const reader = access.reader(bucket);
    // The most specific location first: a file belongs to the deepest partition folder it is in.
    const sorted = [...list].sort((a, b) => b.loc.prefix.length - a.loc.prefix.length);
    const index = `multiIf(${sorted.map((p, i) => `startsWith(_path, ${stringLiteral(reader.pathPrefix(p.loc.prefix))}), ${i + 1}`).join(', ')}, 0)`;
    const keys = t.partitionKeys.map((k, j) => keyValue(`arrayElement([${sorted.map((p) => stringLiteral(p.values[j]!)).join(', ')}], ${index})`, k.type));
    const prefix = commonFolder(sorted.map((p) => p.loc.prefix));
    // When the partition folders are siblings-or-cousins (none inside another) and plain, the
    // glob lists exactly them, so no per-row filter is needed; otherwise every row is checked.
    const folders = sorted.map((p) => p.loc.prefix.slice(prefix.length).replace(/\/$/, ''));
    const plain = folders.every((f) => f !== '' && /^[^,{}*?%\\]+$/.test(f)) && !folders.some((f) => folders.some((g) => g !== f && g.startsWith(`${f}/`)));
    return plain ? { bucket, prefix, folders, keys } : { bucket, prefix, keys, filter: `${index} > 0` };
  });
}

function projected(t: TableRecord, access: BucketAccess): Branch[] {
  const p = projectionOf(t.location, t.partitionKeys, t.properties)!;
  const reader = access.reader(p.base.bucket);
  const { regex, order } = templateRegex(p);
  const groups = `extractGroups(_path, ${stringLiteral(`^${escapeRegex(reader.pathPrefix(p.base.prefix))}${regex}`)})`;
  const texts = t.partitionKeys.map((k) => `${groups}[${order.indexOf(k.name) + 1}]`);
  const conditions = [`length(${groups}) > 0`, ...t.partitionKeys.flatMap((k, i) => {
    const c = p.keys.get(k.name)!.condition;
    return c ? [c(texts[i]!)] : [];
  })];
  return [{ bucket: p.base.bucket, prefix: p.base.prefix, keys: t.partitionKeys.map((k, i) => keyValue(texts[i]!, k.type)), filter: conditions.join(' AND ') }];
}

function branchSql(t: TableRecord, plan: ReadPlan, b: Branch, access: BucketAccess): string {
  const reader = access.reader(b.bucket);
  const cols = columnsOfTable(t);
  const pseudo = [reader.s3Uri, 'toInt64(_size)', "toDateTime64(_time, 3, 'UTC')"];
  const select = [...plan.columns, ...b.keys, ...pseudo].map((e, i) => `${e} AS \`${cols[i]!.name}\``).join(', ');
  const where = ["NOT match(_file, '^[_.]')", plan.where, b.filter].filter(Boolean).join(' AND ');
  return `SELECT ${select} FROM ${reader.tableFunction(b.prefix, plan.format, plan.structure, plan.compression, b.folders)}${plan.arrayJoin ? ` ${plan.arrayJoin}` : ''} WHERE ${where}`;
}

/**
 * The table's subquery. `partitions` are the registered ones (ignored when the table projects
 * its partitions). Throws AthenaSqlError when the table cannot be read (unmapped bucket…).
 */
export function externalSource(t: TableRecord, partitions: PartitionRecord[], access: BucketAccess): ExternalSource {
  const plan = readPlan(t);
  const branches = t.partitionKeys.length === 0 ? unpartitioned(t)
    : projectionOf(t.location, t.partitionKeys, t.properties) ? projected(t, access) : registered(t, partitions, access);
  const sql = branches.map((b) => branchSql(t, plan, b, access)).join(' UNION ALL ');
  return {
    sql: branches.length > 1 ? `SELECT * FROM (${sql})` : sql,
    columns: columnsOfTable(t),
    settings: {
      input_format_parquet_case_insensitive_column_matching: 1, input_format_orc_case_insensitive_column_matching: 1,
      input_format_avro_allow_missing_fields: 1, ...plan.settings,
    },
  };
}
