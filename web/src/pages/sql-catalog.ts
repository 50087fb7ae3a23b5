// The catalog as the SQL page shows and completes it: every database of AwsDataCatalog with its
// tables and their columns (read by sql-schema.tsx). No SDK or DOM here, so completion built on
// it stays a pure module.
export interface Column { name: string; type: string }
export interface Table { name: string; columns: Column[]; partitionKeys: Column[] }
export interface Database { name: string; description?: string; tables: Table[] }
export type Schema = Database[];

/** A table's columns followed by its partition keys, which queries name like any column. */
export const allColumns = (t: Table): Column[] => [...t.columns, ...t.partitionKeys];

export const findDatabase = (schema: Schema, name: string): Database | undefined => schema.find((d) => d.name.toLowerCase() === name.toLowerCase());
