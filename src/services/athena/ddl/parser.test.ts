import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDdl, statementTypeOfText } from './parser.ts';
import { formatHiveType, parseHiveType, trinoType } from './hive-types.ts';

test('AWS\'s CloudTrail DDL: nested struct and array types, SerDe, input format, projection properties', () => {
  const s = parseDdl(`CREATE EXTERNAL TABLE cloudtrail_logs (
    eventversion STRING,
    useridentity STRUCT<type:STRING, sessioncontext:STRUCT<attributes:STRUCT<mfaauthenticated:STRING>>>,
    resources ARRAY<STRUCT<arn:STRING, accountid:STRING>>)
  PARTITIONED BY (\`timestamp\` string)
  ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'
  STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
  OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
  LOCATION 's3://bucket/AWSLogs/111122223333/CloudTrail/'
  TBLPROPERTIES ('projection.enabled'='true', 'storage.location.template'='s3://bucket/x/\${timestamp}');`);
  assert.equal(s?.kind, 'create-table');
  if (s?.kind !== 'create-table') return;
  assert.deepEqual(s.columns.map((c) => c.type), [
    'string', 'struct<type:string,sessioncontext:struct<attributes:struct<mfaauthenticated:string>>>', 'array<struct<arn:string,accountid:string>>',
  ]);
  assert.deepEqual(s.partitionedBy, [{ name: 'timestamp', type: 'string', comment: undefined }]);
  assert.deepEqual(s.storedAs, { inputFormat: 'com.amazon.emr.cloudtrail.CloudTrailInputFormat', outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' });
  assert.equal(s.properties['storage.location.template'], 's3://bucket/x/${timestamp}');
});

test('Hive string escapes: \\" and \\\\s in a RegexSerDe pattern, octal delimiters', () => {
  const s = parseDdl(`CREATE EXTERNAL TABLE alb (a string, b string) ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
    WITH SERDEPROPERTIES ('input.regex' = '([^ ]*) \\"([^\\"]*)\\"\\\\s*') LOCATION 's3://b/'`);
  assert.equal(s?.kind === 'create-table' && s.rowFormat?.kind === 'serde' && s.rowFormat.properties['input.regex'], '([^ ]*) "([^"]*)"\\s*');
  const d = parseDdl("CREATE EXTERNAL TABLE t (a int) ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\001' LINES TERMINATED BY '\\n' LOCATION 's3://b/'");
  assert.deepEqual(d?.kind === 'create-table' && d.rowFormat, { kind: 'delimited', fields: '\x01', lines: '\n' });
});

test('partitions, MSCK, SHOW, DESCRIBE, views and databases', () => {
  assert.deepEqual(parseDdl("ALTER TABLE db.t ADD IF NOT EXISTS PARTITION (dt='2024-01-01', h=5) LOCATION 's3://b/x/' PARTITION (dt='2024-01-02', h=6)"), {
    kind: 'add-partitions', db: 'db', name: 't', ifNotExists: true,
    partitions: [{ values: { dt: '2024-01-01', h: '5' }, location: 's3://b/x/' }, { values: { dt: '2024-01-02', h: '6' }, location: undefined }],
  });
  assert.deepEqual(parseDdl('MSCK REPAIR TABLE T1'), { kind: 'msck-repair', name: 't1' });
  assert.deepEqual(parseDdl("SHOW TABLES IN sales 'o*'"), { kind: 'show-tables', db: 'sales', like: 'o*' });
  assert.deepEqual(parseDdl('DESCRIBE FORMATTED db.t'), { kind: 'describe', db: 'db', name: 't' });
  assert.deepEqual(parseDdl('CREATE OR REPLACE VIEW v AS SELECT 1 AS a;'), { kind: 'create-view', orReplace: true, name: 'v', query: 'SELECT 1 AS a' });
  assert.deepEqual(parseDdl('DROP DATABASE IF EXISTS d CASCADE'), { kind: 'drop-database', name: 'd', ifExists: true, cascade: true });
  assert.equal(parseDdl('SELECT 1'), undefined);
  assert.deepEqual(['SELECT 1', 'SHOW TABLES', 'CREATE DATABASE x', 'MSCK REPAIR TABLE t', 'DEALLOCATE PREPARE p'].map(statementTypeOfText), ['DML', 'UTILITY', 'DDL', 'DDL', 'UTILITY']);
});

test('errors name the position and what was expected; unsupported forms are named', () => {
  assert.throws(() => parseDdl('CREATE EXTERNAL TABLE t (a string'), /SYNTAX_ERROR|line 1:\d+: mismatched input '<EOF>'/);
  assert.throws(() => parseDdl("CREATE EXTERNAL TABLE t (a map<string>) LOCATION 's3://b/'"), /Invalid column type 'map<string>'/);
  assert.throws(() => parseDdl('CREATE FUNCTION f'), /CREATE FUNCTION is not supported/);
  assert.throws(() => parseDdl('ALTER TABLE t RENAME TO u'), /ALTER TABLE … RENAME is not supported/);
  assert.throws(() => parseDdl("CREATE EXTERNAL TABLE t (a string) LOCATION 's3://b/' extra"), /mismatched input 'extra'/);
});

test('Hive types map to the translator\'s types (structs are rows)', () => {
  assert.deepEqual(['int', 'bigint', 'float', 'decimal(10,2)', 'array<int>', 'map<string,bigint>', 'struct<a:int>', 'timestamp'].map((t) => trinoType(parseHiveType(t))),
    ['integer', 'bigint', 'real', 'decimal(10,2)', 'array(integer)', 'map(varchar,bigint)', 'row(a integer)', 'timestamp(3)']);
  assert.equal(formatHiveType(parseHiveType('ARRAY < STRUCT < `Type` : STRING > >')), 'array<struct<type:string>>');
});
