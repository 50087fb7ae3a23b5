/**
 * Hive column types as Athena's DDL writes them (`string`, `int`, `decimal(10,2)`,
 * `array<struct<arn:string,type:string>>`, `map<string,string>`), and what they become: the
 * translator's (Trino) type names, and the ClickHouse type a binary format (Parquet/ORC/Avro) is
 * read into. Struct values are presented to SQL as JSON text typed `row(…)` (sql/row-type.ts), whose
 * members `col.field` resolve case-insensitively to their declared types.
 */
import { AthenaSqlError } from '../sql/errors.ts';

export type HiveType =
  | { kind: 'primitive'; name: string; params: number[] }
  | { kind: 'array'; element: HiveType }
  | { kind: 'map'; key: HiveType; value: HiveType }
  | { kind: 'struct'; fields: { name: string; type: HiveType }[] };

const PRIMITIVES = new Set([
  'string', 'varchar', 'char', 'tinyint', 'smallint', 'int', 'integer', 'bigint', 'float', 'double', 'decimal', 'boolean', 'date', 'timestamp', 'binary',
]);

const bad = (text: string, why: string): never => {
  throw new AthenaSqlError('SYNTAX_ERROR', `Invalid column type '${text}': ${why}`);
};

/** Parses a type text; throws SYNTAX_ERROR naming the type when it is not a Hive type Athena accepts. */
export function parseHiveType(text: string): HiveType {
  const tokens = text.match(/[A-Za-z_][\w]*|`[^`]*`|\d+|[<>(),:]/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (want?: string): string => {
    const t = tokens[i++];
    if (t === undefined || (want !== undefined && t !== want)) bad(text, `expected ${want ?? 'a type'}${t === undefined ? '' : ` at '${t}'`}`);
    return t!;
  };
  const name = (): string => {
    const t = take();
    return (t.startsWith('`') ? t.slice(1, -1) : t).toLowerCase();
  };
  const type = (): HiveType => {
    const n = name();
    if (n === 'array') {
      take('<');
      const element = type();
      take('>');
      return { kind: 'array', element };
    }
    if (n === 'map') {
      take('<');
      const key = type();
      take(',');
      const value = type();
      take('>');
      return { kind: 'map', key, value };
    }
    if (n === 'struct') {
      take('<');
      const fields: { name: string; type: HiveType }[] = [];
      do {
        const f = name();
        take(':');
        fields.push({ name: f, type: type() });
      } while (peek() === ',' && take(','));
      take('>');
      return { kind: 'struct', fields };
    }
    if (!PRIMITIVES.has(n)) bad(text, `unknown type ${n}`);
    const params: number[] = [];
    if (peek() === '(') {
      take('(');
      do params.push(Number(take())); while (peek() === ',' && take(','));
      take(')');
    }
    return { kind: 'primitive', name: n === 'integer' ? 'int' : n, params };
  };
  const t = type();
  if (i !== tokens.length) bad(text, `unexpected '${tokens[i]}'`);
  return t;
}

/** The normalised text of a type (lower case, no spaces): how the metastore keeps and reports it. */
export function formatHiveType(t: HiveType): string {
  switch (t.kind) {
    case 'array': return `array<${formatHiveType(t.element)}>`;
    case 'map': return `map<${formatHiveType(t.key)},${formatHiveType(t.value)}>`;
    case 'struct': return `struct<${t.fields.map((f) => `${f.name}:${formatHiveType(f.type)}`).join(',')}>`;
    default: return t.params.length ? `${t.name}(${t.params.join(',')})` : t.name;
  }
}

const TRINO: Record<string, string> = {
  string: 'varchar', varchar: 'varchar', char: 'varchar', tinyint: 'tinyint', smallint: 'smallint', int: 'integer', bigint: 'bigint',
  float: 'real', double: 'double', boolean: 'boolean', date: 'date', timestamp: 'timestamp(3)', binary: 'varchar',
};

/** The translator's type for a column of this Hive type. */
export function trinoType(t: HiveType): string {
  switch (t.kind) {
    case 'array': return `array(${trinoType(t.element)})`;
    case 'map': return `map(${trinoType(t.key)},${trinoType(t.value)})`;
    case 'struct': return `row(${t.fields.map((f) => `${f.name} ${trinoType(f.type)}`).join(', ')})`;
    default: return t.name === 'decimal' ? `decimal(${(t.params.length ? t.params : [10, 0]).join(',')})` : TRINO[t.name]!;
  }
}

const CLICKHOUSE: Record<string, string> = {
  string: 'String', varchar: 'String', char: 'String', binary: 'String', tinyint: 'Int8', smallint: 'Int16', int: 'Int32', bigint: 'Int64',
  float: 'Float32', double: 'Float64', boolean: 'Bool', date: 'Date32', timestamp: "DateTime64(3, 'UTC')",
};

/** The ClickHouse type a value of this Hive type is read as (nullable where ClickHouse allows it). */
export function clickhouseType(t: HiveType, nullable = true): string {
  switch (t.kind) {
    case 'array': return `Array(${clickhouseType(t.element)})`;
    case 'map': return `Map(${clickhouseType(t.key, false)}, ${clickhouseType(t.value)})`;
    case 'struct': return `Tuple(${t.fields.map((f) => `\`${f.name}\` ${clickhouseType(f.type)}`).join(', ')})`;
    default: {
      const base = t.name === 'decimal' ? `Decimal(${(t.params.length ? t.params : [10, 0]).join(', ')})` : CLICKHOUSE[t.name]!;
      return nullable ? `Nullable(${base})` : base;
    }
  }
}
