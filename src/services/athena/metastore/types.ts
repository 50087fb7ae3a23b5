/** What Osprey's metastore (Athena's AwsDataCatalog, Glue's role on AWS) keeps per account and Region. */
import type { ColumnDef, RowFormat, StorageFormat } from '../ddl/statements.ts';

export interface DatabaseRecord {
  name: string;
  comment?: string;
  location?: string;
  properties: Record<string, string>;
  createdAt: number;
}

export interface TableRecord {
  database: string;
  name: string;
  /** Glue's TableType as Athena reports it. */
  kind: 'EXTERNAL_TABLE' | 'VIRTUAL_VIEW';
  columns: ColumnDef[];
  partitionKeys: ColumnDef[];
  /** s3://bucket/prefix/ (external tables). */
  location?: string;
  rowFormat?: RowFormat;
  storedAs?: StorageFormat;
  /** TBLPROPERTIES (partition projection, skip.header.line.count, compression…). */
  properties: Record<string, string>;
  comment?: string;
  /** A view's query, as written. */
  viewSql?: string;
  createdAt: number;
}

export interface PartitionRecord {
  /** Values in the order of the table's partition keys. */
  values: string[];
  /** s3://bucket/prefix/ the partition's files are under. */
  location: string;
  createdAt: number;
}
