/**
 * Athena's DDL and utility statements (Hive grammar): CREATE/DROP DATABASE, CREATE EXTERNAL TABLE
 * with ROW FORMAT / STORED AS / LOCATION / PARTITIONED BY / TBLPROPERTIES, DROP TABLE, MSCK REPAIR
 * TABLE, ALTER TABLE ADD/DROP PARTITION, CREATE/DROP VIEW, SHOW …, DESCRIBE. `parseDdl` answers
 * undefined for anything else (a query, which the SQL translator takes).
 */
import { AthenaSqlError } from '../sql/errors.ts';
import { firstWord } from '../sql/parse.ts';
import { formatHiveType, parseHiveType } from './hive-types.ts';
import type { ColumnDef, CreateTable, DdlStatement, PartitionSpec, RowFormat } from './statements.ts';
import { TokenStream } from './token-stream.ts';

const DDL_WORDS = new Set(['CREATE', 'DROP', 'ALTER', 'MSCK', 'SHOW', 'DESCRIBE', 'DESC']);

const notSupported = (what: string): never => {
  throw new AthenaSqlError('NOT_SUPPORTED', `${what} is not supported`);
};

/** Athena's StatementType of a statement, from its first word (before it is parsed). */
export function statementTypeOfText(statement: string): 'DDL' | 'DML' | 'UTILITY' {
  const w = firstWord(statement).word.toUpperCase();
  if (w === 'SHOW' || w === 'DESCRIBE' || w === 'DESC' || w === 'PREPARE' || w === 'DEALLOCATE') return 'UTILITY';
  return DDL_WORDS.has(w) ? 'DDL' : 'DML';
}

export function isDdl(statement: string): boolean {
  return DDL_WORDS.has(firstWord(statement).word.toUpperCase());
}

export function parseDdl(statement: string): DdlStatement | undefined {
  if (!isDdl(statement)) return undefined;
  const ts = new TokenStream(statement);
  const s = statementOf(ts);
  if (!ts.done) ts.fail('Expecting: <EOF>');
  return s;
}

function statementOf(ts: TokenStream): DdlStatement {
  if (ts.accept('CREATE')) return create(ts);
  if (ts.accept('DROP')) return drop(ts);
  if (ts.accept('ALTER')) return alter(ts);
  if (ts.accept('MSCK')) {
    ts.expect('REPAIR', 'TABLE');
    return { kind: 'msck-repair', ...ts.qualified() };
  }
  if (ts.accept('SHOW')) return show(ts);
  if (ts.accept('DESCRIBE') || ts.accept('DESC')) {
    if (!ts.accept('EXTENDED')) ts.accept('FORMATTED');
    return { kind: 'describe', ...ts.qualified() };
  }
  return ts.fail('Expecting: a statement');
}

function create(ts: TokenStream): DdlStatement {
  if (ts.accept('DATABASE') || ts.accept('SCHEMA')) {
    const ifNotExists = ts.accept('IF', 'NOT', 'EXISTS');
    const name = ts.ident('a database name');
    let comment: string | undefined;
    let location: string | undefined;
    let properties: Record<string, string> = {};
    for (;;) {
      if (ts.accept('COMMENT')) comment = ts.string();
      else if (ts.accept('LOCATION')) location = ts.string();
      else if (ts.accept('WITH', 'DBPROPERTIES')) properties = ts.properties();
      else break;
    }
    return { kind: 'create-database', name, ifNotExists, comment, location, properties };
  }
  const orReplace = ts.accept('OR', 'REPLACE');
  if (ts.accept('VIEW')) {
    const name = ts.qualified();
    ts.expect('AS');
    return { kind: 'create-view', orReplace, ...name, query: ts.rest() };
  }
  if (orReplace) return ts.fail("Expecting: 'VIEW'");
  const external = ts.accept('EXTERNAL');
  if (!ts.accept('TABLE')) {
    const what = ts.peek()?.text.toUpperCase() ?? '';
    return notSupported(`CREATE ${external ? 'EXTERNAL ' : ''}${what}`.trim());
  }
  return createTable(ts, external);
}

function columnList(ts: TokenStream): ColumnDef[] {
  const cols: ColumnDef[] = [];
  ts.expectPunct('(');
  do {
    const name = ts.ident('a column name');
    const typeText = ts.typeText();
    const type = formatHiveType(parseHiveType(typeText));
    const comment = ts.accept('COMMENT') ? ts.string() : undefined;
    cols.push({ name, type, comment });
  } while (ts.acceptPunct(','));
  ts.expectPunct(')');
  return cols;
}

function createTable(ts: TokenStream, external: boolean): CreateTable {
  const ifNotExists = ts.accept('IF', 'NOT', 'EXISTS');
  const t: CreateTable = { kind: 'create-table', external, ifNotExists, ...ts.qualified(), columns: [], partitionedBy: [], properties: {} };
  if (ts.peek()?.text === '(') t.columns = columnList(ts);
  for (;;) {
    if (ts.accept('COMMENT')) t.comment = ts.string();
    else if (ts.accept('PARTITIONED', 'BY')) t.partitionedBy = columnList(ts);
    else if (ts.accept('ROW', 'FORMAT')) t.rowFormat = rowFormat(ts);
    else if (ts.accept('STORED', 'AS')) {
      if (ts.accept('INPUTFORMAT')) {
        t.storedAs = { inputFormat: ts.string() };
        if (ts.accept('OUTPUTFORMAT')) t.storedAs.outputFormat = ts.string();
      } else t.storedAs = { format: ts.ident('a file format').toUpperCase() };
    } else if (ts.accept('LOCATION')) t.location = ts.string();
    else if (ts.accept('TBLPROPERTIES')) t.properties = ts.properties();
    else if (ts.accept('WITH')) {
      // Athena's CTAS / Iceberg `WITH (format = …)`.
      t.unsupported = 'CREATE TABLE … WITH (…)';
      ts.rest();
    } else if (ts.accept('AS')) {
      t.unsupported = 'CREATE TABLE AS SELECT';
      ts.rest();
    } else if (ts.accept('CLUSTERED', 'BY')) {
      t.unsupported = 'CLUSTERED BY (bucketed tables)';
      ts.rest();
    } else break;
  }
  return t;
}

function rowFormat(ts: TokenStream): RowFormat {
  if (ts.accept('SERDE')) {
    const serde = ts.string('a SerDe class name');
    const properties = ts.accept('WITH', 'SERDEPROPERTIES') ? ts.properties() : {};
    return { kind: 'serde', serde, properties };
  }
  ts.expect('DELIMITED');
  const f: Extract<RowFormat, { kind: 'delimited' }> = { kind: 'delimited' };
  for (;;) {
    if (ts.accept('FIELDS', 'TERMINATED', 'BY')) {
      f.fields = ts.string();
      if (ts.accept('ESCAPED', 'BY')) f.escapedBy = ts.string();
    } else if (ts.accept('COLLECTION', 'ITEMS', 'TERMINATED', 'BY')) f.collectionItems = ts.string();
    else if (ts.accept('MAP', 'KEYS', 'TERMINATED', 'BY')) f.mapKeys = ts.string();
    else if (ts.accept('LINES', 'TERMINATED', 'BY')) f.lines = ts.string();
    else if (ts.accept('NULL', 'DEFINED', 'AS')) f.nullDefinedAs = ts.string();
    else break;
  }
  return f;
}

function drop(ts: TokenStream): DdlStatement {
  if (ts.accept('DATABASE') || ts.accept('SCHEMA')) {
    const ifExists = ts.accept('IF', 'EXISTS');
    const name = ts.ident('a database name');
    const cascade = ts.accept('CASCADE');
    if (!cascade) ts.accept('RESTRICT');
    return { kind: 'drop-database', name, ifExists, cascade };
  }
  if (ts.accept('TABLE')) return { kind: 'drop-table', ifExists: ts.accept('IF', 'EXISTS'), ...ts.qualified() };
  if (ts.accept('VIEW')) return { kind: 'drop-view', ifExists: ts.accept('IF', 'EXISTS'), ...ts.qualified() };
  return notSupported(`DROP ${ts.peek()?.text.toUpperCase() ?? ''}`.trim());
}

function partitionValues(ts: TokenStream): Record<string, string> {
  const values: Record<string, string> = {};
  ts.expectPunct('(');
  do {
    const key = ts.ident('a partition column');
    ts.expectPunct('=');
    values[key] = ts.literal('a partition value');
  } while (ts.acceptPunct(','));
  ts.expectPunct(')');
  return values;
}

function alter(ts: TokenStream): DdlStatement {
  ts.expect('TABLE');
  const name = ts.qualified();
  if (ts.accept('ADD')) {
    const ifNotExists = ts.accept('IF', 'NOT', 'EXISTS');
    const partitions: PartitionSpec[] = [];
    while (ts.accept('PARTITION')) {
      const values = partitionValues(ts);
      partitions.push({ values, location: ts.accept('LOCATION') ? ts.string() : undefined });
    }
    if (partitions.length === 0) ts.fail("Expecting: 'PARTITION'");
    return { kind: 'add-partitions', ...name, ifNotExists, partitions };
  }
  if (ts.accept('DROP')) {
    const ifExists = ts.accept('IF', 'EXISTS');
    const partitions: Record<string, string>[] = [];
    do {
      ts.expect('PARTITION');
      partitions.push(partitionValues(ts));
    } while (ts.acceptPunct(','));
    return { kind: 'drop-partitions', ...name, ifExists, partitions };
  }
  return notSupported(`ALTER TABLE … ${ts.peek()?.text.toUpperCase() ?? ''}`.trim());
}

function show(ts: TokenStream): DdlStatement {
  if (ts.accept('DATABASES') || ts.accept('SCHEMAS')) {
    return { kind: 'show-databases', like: ts.accept('LIKE') || ts.peek()?.kind === 'string' ? ts.string('a pattern') : undefined };
  }
  if (ts.accept('TABLES') || ts.accept('VIEWS')) {
    const views = ts.peek(-1)?.text.toUpperCase() === 'VIEWS';
    const db = ts.accept('IN') || ts.accept('FROM') ? ts.ident('a database name') : undefined;
    const like = ts.accept('LIKE') || ts.peek()?.kind === 'string' ? ts.string('a pattern') : undefined;
    return { kind: views ? 'show-views' : 'show-tables', db, like };
  }
  if (ts.accept('PARTITIONS')) return { kind: 'show-partitions', ...ts.qualified() };
  if (ts.accept('CREATE', 'TABLE')) return { kind: 'show-create-table', ...ts.qualified() };
  if (ts.accept('COLUMNS')) {
    if (!ts.accept('IN')) ts.expect('FROM');
    return { kind: 'show-columns', ...ts.qualified() };
  }
  return notSupported(`SHOW ${ts.peek()?.text.toUpperCase() ?? ''}`.trim());
}
