/**
 * Registered partitions: MSCK REPAIR TABLE (discovers Hive-style `key=value/` folders under the
 * table's location), ALTER TABLE ADD PARTITION (any location) and DROP PARTITION. Tables that
 * project their partitions have none registered, as on Athena.
 */
import type { StoredResult } from '../results.ts';
import { formatS3Location, parseS3Location } from '../metastore/locations.ts';
import { projectionOf } from '../metastore/projection.ts';
import type { PartitionRecord, TableRecord } from '../metastore/types.ts';
import { ddlError, existingTable, type DdlContext } from './context.ts';
import type { DdlStatement } from './statements.ts';

type Of<K extends DdlStatement['kind']> = Extract<DdlStatement, { kind: K }>;

const text = (lines: string[], column = 'result'): StoredResult => ({ columns: [{ name: column, type: 'varchar' }], rows: lines.map((l) => [l]) });

export const partitionName = (t: TableRecord, values: string[]): string => t.partitionKeys.map((k, i) => `${k.name}=${values[i]}`).join('/');

async function partitionedTable(cx: DdlContext, q: { db?: string; name: string }): Promise<TableRecord> {
  const t = await existingTable(cx, q);
  if (t.kind === 'VIRTUAL_VIEW' || t.partitionKeys.length === 0) ddlError('NOT_SUPPORTED', `Table ${t.database}.${t.name} is not partitioned`);
  return t;
}

/** Spec values in partition-key order; every key must be given exactly once (partial = allowed for DROP). */
function orderedValues(t: TableRecord, spec: Record<string, string>, partial: boolean): (string | undefined)[] {
  for (const k of Object.keys(spec)) {
    if (!t.partitionKeys.some((p) => p.name === k)) ddlError('SYNTAX_ERROR', `Partition column ${k} is not a partition key of ${t.database}.${t.name} (keys: ${t.partitionKeys.map((p) => p.name).join(', ')})`);
  }
  const values = t.partitionKeys.map((k) => spec[k.name]);
  if (!partial && values.some((v) => v === undefined)) ddlError('SYNTAX_ERROR', `Partition spec must name every partition key of ${t.database}.${t.name}: ${t.partitionKeys.map((p) => p.name).join(', ')}`);
  return values;
}

/** Hive escapes these characters in partition folder names (%xx). */
const unescapeHive = (s: string): string => s.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

export async function msckRepair(cx: DdlContext, s: Of<'msck-repair'>): Promise<StoredResult> {
  const t = await partitionedTable(cx, s);
  if (projectionOf(t.location, t.partitionKeys, t.properties)) return text([]);
  const loc = parseS3Location(t.location!);
  const keys = await cx.access.list(loc.bucket, loc.prefix);
  const found = new Map<string, string[]>();
  for (const key of keys) {
    const segs = key.slice(loc.prefix.length).split('/').slice(0, -1);
    if (segs.length < t.partitionKeys.length) continue;
    const values: string[] = [];
    for (const [i, k] of t.partitionKeys.entries()) {
      const m = /^([^=]+)=(.*)$/.exec(segs[i]!);
      if (!m || m[1]!.toLowerCase() !== k.name) break;
      values.push(unescapeHive(m[2]!));
    }
    if (values.length === t.partitionKeys.length) found.set(segs.slice(0, values.length).join('/'), values);
  }
  const parts: PartitionRecord[] = [...found].map(([folder, values]) => ({ values, location: formatS3Location({ bucket: loc.bucket, prefix: `${loc.prefix}${folder}/` }), createdAt: cx.now }));
  const added = await cx.repo.addPartitions(cx.scope, t.database, t.name, parts);
  const names = added.map((p) => `${t.name}:${partitionName(t, p.values)}`).sort();
  if (names.length === 0) return text([]);
  return text([`Partitions not in metastore:\t${names.join('\t')}`, ...names.map((n) => `Repair: Added partition to metastore ${n}`)]);
}

export async function addPartitions(cx: DdlContext, s: Of<'add-partitions'>): Promise<void> {
  const t = await partitionedTable(cx, s);
  const parts = s.partitions.map((p) => {
    const values = orderedValues(t, p.values, false) as string[];
    const loc = p.location ? parseS3Location(p.location) : parseS3Location(`${t.location}${partitionName(t, values)}/`);
    cx.access.reader(loc.bucket);
    return { values, location: formatS3Location(loc), createdAt: cx.now };
  });
  const added = await cx.repo.addPartitions(cx.scope, t.database, t.name, parts);
  if (!s.ifNotExists && added.length < parts.length) {
    const dup = parts.find((p) => !added.includes(p))!;
    ddlError('ALREADY_EXISTS', `Partition already exists: ${t.name}:${partitionName(t, dup.values)}`);
  }
}

export async function dropPartitions(cx: DdlContext, s: Of<'drop-partitions'>): Promise<void> {
  const t = await partitionedTable(cx, s);
  const existing = await cx.repo.partitions(cx.scope, t.database, t.name);
  const doomed: string[][] = [];
  for (const spec of s.partitions) {
    const want = orderedValues(t, spec, true);
    const hits = existing.filter((p) => want.every((v, i) => v === undefined || p.values[i] === v));
    if (hits.length === 0 && !s.ifExists) ddlError('PARTITION_NOT_FOUND', `No partition matches ${Object.entries(spec).map(([k, v]) => `${k}=${v}`).join(', ')} in ${t.database}.${t.name}`);
    doomed.push(...hits.map((p) => p.values));
  }
  await cx.repo.dropPartitions(cx.scope, t.database, t.name, doomed);
}

export async function showPartitions(cx: DdlContext, s: Of<'show-partitions'>): Promise<StoredResult> {
  const t = await partitionedTable(cx, s);
  const parts = await cx.repo.partitions(cx.scope, t.database, t.name);
  return text(parts.map((p) => partitionName(t, p.values)).sort(), 'partition');
}
