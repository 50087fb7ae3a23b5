import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExportDestinations } from '../../../store/buckets/sinks.ts';
import { parseDdl } from '../ddl/parser.ts';
import type { CreateTable } from '../ddl/statements.ts';
import { AthenaSqlError } from '../sql/errors.ts';
import { externalSource } from './external-source.ts';
import { BucketAccess } from './locations.ts';
import type { TableRecord } from './types.ts';

const ROOT = '/srv/lake';
const access = new BucketAccess(new ExportDestinations({ buckets: { lake: `file://${ROOT}`, theirs: 'file:///srv/theirs' } }), (b) => (b === 'lake' ? ['1'] : ['2']), '1');

const record = (s: CreateTable): TableRecord => ({
  database: 'default', name: s.name, kind: 'EXTERNAL_TABLE', columns: s.columns, partitionKeys: s.partitionedBy, location: s.location,
  rowFormat: s.rowFormat, storedAs: s.storedAs, properties: s.properties, createdAt: 0,
});

/** Every path a generated statement reads: the first argument of each file() call. */
const readPaths = (sql: string): string[] => [...sql.matchAll(/\bfile\('((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));

test('a table reads only under its location in the mapped bucket, hidden files skipped, partitions from the path', () => {
  const s = parseDdl("CREATE EXTERNAL TABLE t (a string) PARTITIONED BY (dt string) STORED AS PARQUET LOCATION 's3://lake/x/'") as CreateTable;
  const src = externalSource(record(s), [{ values: ['2024-01-01'], location: 's3://lake/x/dt=2024-01-01/', createdAt: 0 }], access);
  assert.deepEqual(readPaths(src.sql), [`${ROOT}/x/dt=2024-01-01/**`]);
  assert.match(src.sql, /NOT match\(_file, '\^\[_\.\]'\)/);
  assert.match(src.sql, /startsWith\(_path, '\/srv\/lake\/x\/dt=2024-01-01\/'\)/);
  assert.deepEqual(src.columns.filter((c) => !c.hidden).map((c) => c.name), ['a', 'dt']);
});

test('mutated DDL (seeded fuzz) either fails with an AthenaSqlError or reads only inside the mapped, owned bucket', () => {
  const bases = [
    "CREATE EXTERNAL TABLE t (a string, b int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/data/'",
    "CREATE EXTERNAL TABLE t (a string) PARTITIONED BY (d string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://lake/p/' TBLPROPERTIES ('projection.enabled'='true', 'projection.d.type'='injected')",
    "CREATE EXTERNAL TABLE t (a string) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe' WITH SERDEPROPERTIES ('input.regex'='(.*)') LOCATION 's3://lake/r/'",
  ];
  const tokens = ["'", "')", '../', '..', '*', '{', '}', '\\', '%', 's3://theirs/', 's3://nope/', "file('/etc/passwd')", '`', '"', ',', '(', ')', '${d}', ';', 'UNION SELECT'];
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  let compiled = 0;
  for (let i = 0; i < 600; i++) {
    let s = bases[rnd(bases.length)]!;
    for (let k = 0; k < 1 + rnd(3); k++) {
      const p = rnd(s.length + 1);
      s = rnd(2) ? `${s.slice(0, p)}${tokens[rnd(tokens.length)]}${s.slice(p)}` : s.slice(0, p) + s.slice(p + 1 + rnd(4));
    }
    try {
      const st = parseDdl(s);
      if (st?.kind !== 'create-table' || !st.location) continue;
      const src = externalSource(record(st), [], access);
      compiled++;
      for (const path of readPaths(src.sql)) {
        assert.ok(path.startsWith(`${ROOT}/`) && !path.split('/').includes('..'), `${path} escapes the bucket, from: ${s}`);
      }
      assert.doesNotMatch(src.sql, /\bs3\(|\burl\(|system\./, s);
    } catch (e) {
      assert.ok(e instanceof AthenaSqlError, `${String(e)} for: ${s}`);
    }
  }
  assert.ok(compiled > 50, `enough mutants compiled (${compiled})`);
});
