/** The DDL and utility statements Athena runs besides queries, as parsed (ddl/parser.ts). */

export interface QualifiedName {
  /** undefined = the query's database (QueryExecutionContext.Database). */
  db?: string;
  name: string;
}

export interface ColumnDef {
  name: string;
  /** Normalised Hive type text (hive-types.ts): `string`, `array<struct<arn:string>>`, `decimal(10,2)`… */
  type: string;
  comment?: string;
}

export type RowFormat =
  | { kind: 'serde'; serde: string; properties: Record<string, string> }
  | {
    kind: 'delimited';
    fields?: string; escapedBy?: string; collectionItems?: string; mapKeys?: string; lines?: string; nullDefinedAs?: string;
  };

export interface StorageFormat {
  /** STORED AS <name> (upper-cased): PARQUET, ORC, AVRO, TEXTFILE, JSONFILE, ION… */
  format?: string;
  inputFormat?: string;
  outputFormat?: string;
}

export interface CreateTable extends QualifiedName {
  kind: 'create-table';
  external: boolean;
  ifNotExists: boolean;
  columns: ColumnDef[];
  partitionedBy: ColumnDef[];
  rowFormat?: RowFormat;
  storedAs?: StorageFormat;
  location?: string;
  properties: Record<string, string>;
  comment?: string;
  /** CREATE TABLE … AS SELECT / CLUSTERED BY…: parsed only to be refused by name. */
  unsupported?: string;
}

export interface PartitionSpec {
  values: Record<string, string>;
  location?: string;
}

export type DdlStatement =
  | { kind: 'create-database'; name: string; ifNotExists: boolean; comment?: string; location?: string; properties: Record<string, string> }
  | { kind: 'drop-database'; name: string; ifExists: boolean; cascade: boolean }
  | CreateTable
  | ({ kind: 'drop-table'; ifExists: boolean } & QualifiedName)
  | ({ kind: 'msck-repair' } & QualifiedName)
  | ({ kind: 'add-partitions'; ifNotExists: boolean; partitions: PartitionSpec[] } & QualifiedName)
  | ({ kind: 'drop-partitions'; ifExists: boolean; partitions: Record<string, string>[] } & QualifiedName)
  | ({ kind: 'create-view'; orReplace: boolean; query: string } & QualifiedName)
  | ({ kind: 'drop-view'; ifExists: boolean } & QualifiedName)
  | { kind: 'show-databases'; like?: string }
  | { kind: 'show-tables'; db?: string; like?: string }
  | ({ kind: 'show-partitions' } & QualifiedName)
  | ({ kind: 'show-create-table' } & QualifiedName)
  | ({ kind: 'show-columns' } & QualifiedName)
  | ({ kind: 'describe' } & QualifiedName)
  | { kind: 'show-views'; db?: string; like?: string };
