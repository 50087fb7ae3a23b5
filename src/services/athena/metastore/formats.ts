/**
 * How a table's files are read, from its SerDe / STORED AS: the engine's input format and
 * structure, and each column as an expression over what that format yields.
 *
 * - Parquet, ORC, Avro: read natively, columns matched by name (case-insensitively, as Athena
 *   does); missing columns are NULL.
 * - JSON (OpenX / HCatalog JsonSerDe, JSONFILE): one object per line; members matched
 *   case-insensitively (OpenX `mapping.<column>` renames).
 * - CloudTrail (CloudTrailInputFormat): each file one `{"Records": […]}` document, a row per record.
 * - Delimited text (LazySimpleSerDe, ROW FORMAT DELIMITED; default delimiter \001), RegexSerDe
 *   (`input.regex`, the whole line must match, else every column is NULL), OpenCSVSerde
 *   (separatorChar, quoteChar; every column read as text, then converted).
 *
 * Text formats honour TBLPROPERTIES 'skip.header.line.count'. Compression follows each file's
 * extension (.gz, .zst, .bz2, .xz, .lz4…) unless the table names one ('compressionType').
 */
import { stringLiteral } from '../../../store/telemetry/sql-literal.ts';
import { clickhouseType, parseHiveType, type HiveType } from '../ddl/hive-types.ts';
import type { RowFormat, StorageFormat } from '../ddl/statements.ts';
import { AthenaSqlError } from '../sql/errors.ts';
import type { TableRecord } from './types.ts';
import { fromDelimitedText, fromJson, presentNative } from './values.ts';

export interface ReadPlan {
  /** The engine's input format. */
  format: string;
  structure: string;
  /** `'auto'` or a compression method for every file. */
  compression: string;
  /** An ARRAY JOIN clause turning each read row into several (CloudTrail's Records). */
  arrayJoin?: string;
  /** Each data column (in table order) as an expression over the read row. */
  columns: string[];
  /** Row filter beyond the partition filter (header lines). */
  where?: string;
  /** Engine settings the format needs (the query must run with them). */
  settings?: Record<string, string | number>;
}

type Kind = 'parquet' | 'orc' | 'avro' | 'json' | 'cloudtrail' | 'delimited' | 'regex' | 'csv';

const NATIVE: Record<string, Kind> = { PARQUET: 'parquet', ORC: 'orc', AVRO: 'avro', JSONFILE: 'json', TEXTFILE: 'delimited' };
const SERDES: [RegExp, Kind][] = [
  [/parquet/i, 'parquet'], [/\borc\b|OrcSerde/i, 'orc'], [/avro/i, 'avro'], [/CloudTrailSerde/i, 'cloudtrail'],
  [/JsonSerDe/i, 'json'], [/RegexSerDe/i, 'regex'], [/OpenCSVSerde/i, 'csv'], [/LazySimpleSerDe/i, 'delimited'],
];

function kindOf(rowFormat: RowFormat | undefined, storedAs: StorageFormat | undefined): Kind {
  if (/CloudTrailInputFormat/i.test(storedAs?.inputFormat ?? '')) return 'cloudtrail';
  if (rowFormat?.kind === 'serde') {
    const hit = SERDES.find(([re]) => re.test(rowFormat.serde));
    if (!hit) throw new AthenaSqlError('NOT_SUPPORTED', `SerDe ${rowFormat.serde} is not supported (supported: Parquet, ORC, Avro, OpenX/HCatalog JSON, CloudTrail, LazySimpleSerDe, RegexSerDe, OpenCSVSerde)`);
    return hit[1];
  }
  if (storedAs?.format) {
    const k = NATIVE[storedAs.format];
    if (!k) throw new AthenaSqlError('NOT_SUPPORTED', `STORED AS ${storedAs.format} is not supported (supported: PARQUET, ORC, AVRO, TEXTFILE, JSONFILE)`);
    return k;
  }
  const input = storedAs?.inputFormat ?? '';
  if (/parquet/i.test(input)) return 'parquet';
  if (/orc/i.test(input)) return 'orc';
  if (/avro/i.test(input)) return 'avro';
  return 'delimited';
}

const COMPRESSION: Record<string, string> = { gzip: 'gzip', gz: 'gzip', zstd: 'zstd', snappy: 'snappy', bzip2: 'bz2', bz2: 'bz2', lz4: 'lz4', xz: 'xz', none: 'none', deflate: 'deflate' };

function compressionOf(props: Record<string, string>): string {
  const named = props.compressionType ?? props['compression'] ?? props['write.compression'];
  if (named === undefined) return 'auto';
  const c = COMPRESSION[named.toLowerCase()];
  if (!c) throw new AthenaSqlError('NOT_SUPPORTED', `Compression '${named}' is not supported for text files (gzip, zstd, bzip2, lz4, xz, deflate, none)`);
  return c;
}

const TYPED_JSON = new Set(['tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'boolean', 'decimal']);

const columnsOf = (t: TableRecord): { name: string; type: HiveType }[] => t.columns.map((c) => ({ name: c.name, type: parseHiveType(c.type) }));

function headerSkip(props: Record<string, string>): string | undefined {
  const n = props['skip.header.line.count'];
  if (n === undefined) return undefined;
  if (!/^\d+$/.test(n)) throw new AthenaSqlError('SYNTAX_ERROR', `TBLPROPERTIES skip.header.line.count must be a number, got '${n}'`);
  return Number(n) > 0 ? `_row_number >= ${Number(n)}` : undefined;
}

function native(t: TableRecord, format: string): ReadPlan {
  const cols = columnsOf(t);
  return {
    format, compression: 'auto',
    structure: cols.map((c) => `\`${c.name}\` ${clickhouseType(c.type)}`).join(', '),
    columns: cols.map((c) => presentNative(`\`${c.name}\``, c.type)),
  };
}

function json(t: TableRecord, line: string, base: Omit<ReadPlan, 'columns'>): ReadPlan {
  const props = t.rowFormat?.kind === 'serde' ? t.rowFormat.properties : {};
  return {
    ...base,
    columns: columnsOf(t).map((c) => {
      const key = stringLiteral(props[`mapping.${c.name}`] ?? c.name);
      // Numbers and booleans: one typed extraction (it reads "20" as 20, and null, absent or
      // unparseable as NULL, as the JSON SerDes do) — about as fast as ClickHouse's own JSONExtract.
      if (c.type.kind === 'primitive' && TYPED_JSON.has(c.type.name)) return `JSONExtractCaseInsensitive(${line}, ${key}, ${stringLiteral(clickhouseType(c.type))})`;
      return fromJson(`JSONExtractRawCaseInsensitive(${line}, ${key})`, c.type);
    }),
  };
}

function delimited(t: TableRecord): ReadPlan {
  const rf = t.rowFormat;
  const props = rf?.kind === 'serde' ? rf.properties : {};
  const d = rf?.kind === 'delimited' ? rf : undefined;
  const sep = d?.fields ?? props['field.delim'] ?? props['serialization.format'] ?? '\x01';
  const nullText = d?.nullDefinedAs ?? props['serialization.null.format'] ?? '\\N';
  const delims = { collection: d?.collectionItems ?? props['collection.delim'] ?? '\x02', mapKey: d?.mapKeys ?? props['mapkey.delim'] ?? '\x03' };
  const fields = `splitByString(${stringLiteral(sep)}, line)`;
  return {
    format: 'LineAsString', structure: 'line String', compression: compressionOf(t.properties), where: headerSkip(t.properties),
    columns: columnsOf(t).map((c, i) => {
      const text = `if(length(${fields}) > ${i} AND ${fields}[${i + 1}] != ${stringLiteral(nullText)}, ${fields}[${i + 1}], NULL)`;
      return fromDelimitedText(text, c.type, delims, c.name);
    }),
  };
}

function regex(t: TableRecord): ReadPlan {
  const props = t.rowFormat?.kind === 'serde' ? t.rowFormat.properties : {};
  const pattern = props['input.regex'];
  if (!pattern) throw new AthenaSqlError('SYNTAX_ERROR', "RegexSerDe requires the SERDEPROPERTIES 'input.regex'");
  // Hive's RegexSerDe matches the whole line; a line that does not match is a row of NULLs.
  const groups = `extractGroups(line, ${stringLiteral(`^(?:${pattern})$`)})`;
  const delims = { collection: '\x02', mapKey: '\x03' };
  return {
    format: 'LineAsString', structure: 'line String', compression: compressionOf(t.properties), where: headerSkip(t.properties),
    columns: columnsOf(t).map((c, i) => fromDelimitedText(`if(length(${groups}) > ${i}, ${groups}[${i + 1}], NULL)`, c.type, delims, c.name)),
  };
}

function csv(t: TableRecord): ReadPlan {
  const props = t.rowFormat?.kind === 'serde' ? t.rowFormat.properties : {};
  const sep = props.separatorChar ?? ',';
  const quote = props.quoteChar ?? '"';
  if (sep.length !== 1 || quote.length !== 1) throw new AthenaSqlError('NOT_SUPPORTED', 'OpenCSVSerde separatorChar and quoteChar must be single characters');
  if (quote !== '"') throw new AthenaSqlError('NOT_SUPPORTED', 'OpenCSVSerde quoteChar other than \'"\' is not supported');
  const cols = columnsOf(t);
  const delims = { collection: '\x02', mapKey: '\x03' };
  return {
    format: 'CSV', structure: cols.map((_, i) => `c${i} Nullable(String)`).join(', '), compression: compressionOf(t.properties),
    columns: cols.map((c, i) => fromDelimitedText(`c${i}`, c.type, delims, c.name)),
    where: headerSkip(t.properties),
    // Every field is text, as OpenCSVSerde reads it; a short line leaves the rest NULL.
    settings: { format_csv_delimiter: sep, input_format_csv_allow_variable_number_of_columns: 1, input_format_csv_empty_as_default: 0 },
  };
}

/** The read plan of an external table; throws NOT_SUPPORTED / SYNTAX_ERROR naming what cannot be read. */
export function readPlan(t: TableRecord): ReadPlan {
  switch (kindOf(t.rowFormat, t.storedAs)) {
    // Some writers (parquetjs) count values, not rows, in the offset index of repeated columns;
    // readers that ignore that index (Trino's, so Athena's) read such files, so this one does too.
    case 'parquet': return { ...native(t, 'Parquet'), settings: { input_format_parquet_use_offset_index: 0 } };
    case 'orc': return native(t, 'ORC');
    case 'avro': return native(t, 'Avro');
    case 'json': return json(t, 'line', { format: 'LineAsString', structure: 'line String', compression: compressionOf(t.properties) });
    case 'cloudtrail':
      return json(t, '__record', { format: 'RawBLOB', structure: 'raw_blob String', compression: compressionOf(t.properties), arrayJoin: "ARRAY JOIN JSONExtractArrayRaw(raw_blob, 'Records') AS __record" });
    case 'regex': return regex(t);
    case 'csv': return csv(t);
    case 'delimited': return delimited(t);
  }
}
