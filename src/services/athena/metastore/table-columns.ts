/** A metastore table's columns as the translator sees them: data columns, partition keys, pseudo-columns. */
import { parseHiveType, trinoType } from '../ddl/hive-types.ts';
import type { TableRecord } from './types.ts';

/** Athena's pseudo-columns of external tables: the object's S3 URI, size and modification time. */
export const PSEUDO_COLUMNS = [
  { name: '$path', type: 'varchar', hidden: true }, { name: '$file_size', type: 'bigint', hidden: true },
  { name: '$file_modified_time', type: 'timestamp(3)', hidden: true },
];

export function columnsOfTable(t: TableRecord): { name: string; type: string; hidden?: boolean }[] {
  return [...[...t.columns, ...t.partitionKeys].map((c) => ({ name: c.name, type: trinoType(parseHiveType(c.type)) })), ...PSEUDO_COLUMNS];
}
