// Athena external tables through the real server and SDK v3: CREATE DATABASE / EXTERNAL TABLE over
// mapped buckets — a Parquet file written by another tool (parquetjs) under Hive partitions found
// by MSCK REPAIR and pruned by predicates, gzipped JSON lines with structs, a CSV with a header, an
// Avro file (avsc), views — plus the Logs export task's output and a CloudTrail trail's files with
// AWS's documented DDL (partition projection). Hostile DDL and another account are refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import parquet from '@dsnp/parquetjs';
import avro from 'avsc';
import { Session } from 'chdb';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AthenaClient, GetTableMetadataCommand, ListDatabasesCommand, ListTableMetadataCommand } from '@aws-sdk/client-athena';
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient, CreateExportTaskCommand, CreateLogGroupCommand, CreateLogStreamCommand, DescribeExportTasksCommand, PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { ACCOUNT, OTHER, OTHER_ACCOUNT, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { runAthena } from './helpers/athena.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let athena: AthenaClient;
let other: AthenaClient;
const lake = mkdtempSync(join(tmpdir(), 'osprey-athena-lake-'));
const trails = mkdtempSync(join(tmpdir(), 'osprey-athena-trails-'));
const otherLake = mkdtempSync(join(tmpdir(), 'osprey-athena-other-'));
// An S3-compatible server (moto, from the machine's Python) for a bucket that is not a directory.
let moto: ChildProcess | undefined;
let s3Url = '';
const S3_KEYS = { accessKeyId: 'osprey-s3', secretAccessKey: 'osprey-s3-secret' };

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

async function startMoto(): Promise<void> {
  const port = await freePort();
  s3Url = `http://127.0.0.1:${port}`;
  moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  await until('moto_server to listen', async () => (await fetch(s3Url).then(() => true, () => undefined)), 30_000);
  const s3 = new S3Client({ endpoint: s3Url, region: 'us-east-1', forcePathStyle: true, credentials: S3_KEYS });
  await s3.send(new CreateBucketCommand({ Bucket: 'real-lake' }));
  for (const [key, body] of [['sales/region=eu/a.csv', 'id,amount\n1,10\n2,15\n'], ['sales/region=us/b.csv', 'id,amount\n3,7\n'], ['sales/region=us/_SUCCESS', '']]) {
    await s3.send(new PutObjectCommand({ Bucket: 'real-lake', Key: key, Body: body }));
  }
  s3.destroy();
}

const put = (root: string, key: string, body: Buffer | string) => {
  mkdirSync(dirname(join(root, key)), { recursive: true });
  writeFileSync(join(root, key), body);
};

async function writeParquet(key: string, rows: Record<string, unknown>[]): Promise<void> {
  const schema = new parquet.ParquetSchema({
    id: { type: 'INT64' }, path: { type: 'UTF8' }, latency: { type: 'DOUBLE' }, ok: { type: 'BOOLEAN' },
    tags: { type: 'UTF8', repeated: true },
    meta: { fields: { region: { type: 'UTF8' }, zone: { type: 'UTF8', optional: true } } },
  });
  mkdirSync(dirname(join(lake, key)), { recursive: true });
  const w = await parquet.ParquetWriter.openFile(schema, join(lake, key));
  for (const r of rows) await w.appendRow(r);
  await w.close();
}

const ok = async (sql: string, database?: string) => {
  const r = await runAthena(athena, sql, { database });
  assert.equal(r.state, 'SUCCEEDED', `${sql.slice(0, 80)}: ${r.reason}`);
  return r;
};

const fails = async (client: AthenaClient, sql: string, reason: RegExp) => {
  const r = await runAthena(client, sql);
  assert.equal(r.state, 'FAILED', `${sql.slice(0, 80)} should fail`);
  assert.match(r.reason ?? '', reason);
  assert.equal(r.category, 2, 'a user error');
};

before(async () => {
  await startMoto();
  server = await startTestServer({
    modules: ['logs', 'athena', 'cloudtrail'],
    env: {
      OSPREY_EXPORT_BUCKETS: JSON.stringify({
        lake: `file://${lake}`, 'trail-bucket': `file://${trails}`, 'other-lake': `file://${otherLake}`, 's3-lake': `s3://real-lake@${s3Url}`,
      }),
      OSPREY_EXPORT_BUCKET_OWNERS: JSON.stringify({ lake: [ACCOUNT], 'trail-bucket': [ACCOUNT], 'other-lake': [OTHER_ACCOUNT], 's3-lake': [ACCOUNT] }),
      OSPREY_EXPORT_S3_ACCESS_KEY_ID: S3_KEYS.accessKeyId, OSPREY_EXPORT_S3_SECRET_ACCESS_KEY: S3_KEYS.secretAccessKey,
      OSPREY_CLOUDTRAIL_DELIVERY_INTERVAL_MS: '500', OSPREY_DELIVERY_POLL_MS: '100',
      OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS,
    },
  });
  athena = new AthenaClient(sdkConfig(server.url));
  other = new AthenaClient({ ...sdkConfig(server.url), credentials: OTHER });
  await writeParquet('parquet/year=2024/month=01/part-0.parquet', [
    { id: 1, path: '/a', latency: 0.5, ok: true, tags: ['x', 'y'], meta: { region: 'eu', zone: 'a' } },
    { id: 2, path: '/b', latency: 1.5, ok: false, tags: [], meta: { region: 'us' } },
  ]);
  await writeParquet('parquet/year=2024/month=02/part-0.parquet', [{ id: 3, path: '/a', latency: 2, ok: true, tags: ['z'], meta: { region: 'eu', zone: 'b' } }]);
  put(lake, 'parquet/year=2024/month=02/_SUCCESS', '');
  put(lake, 'json/2024/01/events.json.gz', gzipSync([
    { EventId: 'e1', User: { Name: 'ann', Roles: ['admin'] }, Bytes: 10, Labels: { env: 'prod' } },
    { EventId: 'e2', User: { Name: 'bob', Roles: [] }, Bytes: '20', Labels: {} },
  ].map((o) => JSON.stringify(o)).join('\n')));
  put(lake, 'json/2024/02/events.json', `${JSON.stringify({ eventid: 'e3', user: { name: 'cy' }, bytes: null })}\n`);
  put(lake, 'csv/people.csv', 'name,age,city\n"Smith, Ann",41,Paris\nBob,n/a,"New ""York"""\n');
  const type = avro.Type.forSchema({ type: 'record', name: 'M', fields: [{ name: 'host', type: 'string' }, { name: 'cpu', type: 'double' }] });
  mkdirSync(join(lake, 'avro'), { recursive: true });
  const file = createWriteStream(join(lake, 'avro', 'm.avro'));
  const enc = new avro.streams.BlockEncoder(type);
  enc.pipe(file);
  enc.write({ host: 'h1', cpu: 0.25 });
  enc.write({ host: 'h2', cpu: 0.75 });
  enc.end();
  await once(file, 'finish');
  // ORC and zstd-compressed JSON, written by the engine (its own process, apart from the server's).
  const chdb = new Session(mkdtempSync(join(tmpdir(), 'osprey-athena-writer-')));
  mkdirSync(join(lake, 'orc'), { recursive: true });
  chdb.query(`INSERT INTO FUNCTION file('${lake}/orc/part-0.orc', 'ORC') SELECT number AS n, concat('v', toString(number)) AS label, tuple(number * 2, 'x')::Tuple(twice Int64, tag String) AS info FROM numbers(3)`, 'CSV');
  mkdirSync(join(lake, 'zst'), { recursive: true });
  chdb.query(`INSERT INTO FUNCTION file('${lake}/zst/part-0.json.zst', 'JSONEachRow') SELECT number AS k FROM numbers(4)`, 'CSV');
  chdb.close();
});
after(async () => {
  await server?.stop();
  server?.cleanup();
  moto?.kill();
  for (const d of [lake, trails, otherLake]) rmSync(d, { recursive: true, force: true });
});

test('a Parquet file written by another tool, under Hive partitions that MSCK REPAIR finds; partition predicates prune files', async () => {
  await ok('CREATE DATABASE analytics');
  await ok(`CREATE EXTERNAL TABLE analytics.requests (
      id bigint, path string, latency double, ok boolean, tags array<string>, meta struct<region:string,zone:string>)
    PARTITIONED BY (year string, month string)
    STORED AS PARQUET
    LOCATION 's3://lake/parquet/'`);
  // Until partitions are registered the table is empty, as on Athena.
  assert.deepEqual((await ok('SELECT count(*) FROM analytics.requests')).rows, [['0']]);
  const repair = await ok('MSCK REPAIR TABLE analytics.requests');
  assert.match(repair.rows.map((r) => r.join()).join('\n'), /Repair: Added partition to metastore requests:year=2024\/month=01/);
  assert.deepEqual((await ok('SHOW PARTITIONS analytics.requests')).rows, [['year=2024/month=01'], ['year=2024/month=02']]);
  const all = await ok('SELECT id, path, latency, ok, cardinality(tags), meta.region, meta.zone, year, month FROM analytics.requests ORDER BY id');
  assert.deepEqual(all.rows, [
    ['1', '/a', '0.5', 'true', '2', 'eu', 'a', '2024', '01'],
    ['2', '/b', '1.5', 'false', '0', 'us', 'NULL', '2024', '01'],
    ['3', '/a', '2.0', 'true', '1', 'eu', 'b', '2024', '02'],
  ]);
  assert.deepEqual((await ok("SELECT path, count(*), sum(latency) FROM requests WHERE month = '01' GROUP BY path ORDER BY path", 'analytics')).rows,
    [['/a', '1', '0.5'], ['/b', '1', '1.5']]);
  const one = await ok("SELECT count(*), sum(latency) FROM analytics.requests WHERE month = '02'");
  assert.deepEqual(one.rows, [['1', '2.0']]);
  const both = await ok('SELECT count(*), sum(latency) FROM analytics.requests');
  assert.ok(one.scanned > 0 && one.scanned < both.scanned, `pruned scan ${one.scanned} < full scan ${both.scanned}`);
  // ADD / DROP PARTITION keep the registered set, and a dropped partition is not read.
  await ok("ALTER TABLE analytics.requests DROP PARTITION (year = '2024', month = '02')");
  assert.deepEqual((await ok('SELECT count(*) FROM analytics.requests')).rows, [['2']]);
  await ok("ALTER TABLE analytics.requests ADD IF NOT EXISTS PARTITION (year = '2024', month = '02') LOCATION 's3://lake/parquet/year=2024/month=02/'");
  assert.deepEqual((await ok('SELECT count(*) FROM analytics.requests')).rows, [['3']]);
});

test('gzipped JSON lines (OpenX SerDe: case-insensitive members, strings coerced), CSV with a header, Avro, and views', async () => {
  await ok(`CREATE EXTERNAL TABLE IF NOT EXISTS events (
      eventid string, user struct<name:string,roles:array<string>>, bytes int, labels map<string,string>)
    ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
    LOCATION 's3://lake/json/'`);
  assert.deepEqual((await ok("SELECT eventid, user.name, bytes, labels['env'] FROM default.events ORDER BY eventid")).rows,
    [['e1', 'ann', '10', 'prod'], ['e2', 'bob', '20', 'NULL'], ['e3', 'cy', 'NULL', 'NULL']]);
  await ok(`CREATE EXTERNAL TABLE people (name string, age int, city string)
    ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' WITH SERDEPROPERTIES ('separatorChar' = ',', 'quoteChar' = '"')
    LOCATION 's3://lake/csv/' TBLPROPERTIES ('skip.header.line.count' = '1')`);
  assert.deepEqual((await ok('SELECT name, age, city FROM people ORDER BY name')).rows, [['Bob', 'NULL', 'New "York"'], ['Smith, Ann', '41', 'Paris']]);
  await ok("CREATE EXTERNAL TABLE metrics_avro (host string, cpu double) STORED AS AVRO LOCATION 's3://lake/avro/'");
  assert.deepEqual((await ok('SELECT host, cpu FROM metrics_avro ORDER BY host')).rows, [['h1', '0.25'], ['h2', '0.75']]);
  await ok("CREATE EXTERNAL TABLE orc_t (n bigint, label string, info struct<twice:bigint,tag:string>) STORED AS ORC LOCATION 's3://lake/orc/'");
  assert.deepEqual((await ok('SELECT n, label, info.twice + 1, info FROM orc_t ORDER BY n')).rows,
    [['0', 'v0', '1', '{twice=0, tag=x}'], ['1', 'v1', '3', '{twice=2, tag=x}'], ['2', 'v2', '5', '{twice=4, tag=x}']]);
  await ok("CREATE EXTERNAL TABLE zst_t (k int) ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' LOCATION 's3://lake/zst/'");
  assert.deepEqual((await ok('SELECT sum(k), count(*) FROM zst_t')).rows, [['6', '4']]);
  await ok('CREATE VIEW busy AS SELECT host FROM metrics_avro WHERE cpu > 0.5');
  assert.deepEqual((await ok('SELECT * FROM busy')).rows, [['h2']]);
  await ok('CREATE OR REPLACE VIEW busy AS SELECT host, cpu FROM metrics_avro WHERE cpu > 0.1');
  assert.deepEqual((await ok('SELECT count(*) FROM busy')).rows, [['2']]);
  assert.deepEqual((await ok("SHOW TABLES IN default 'b*|p*'")).rows, [['busy'], ['people']]);
  const show = await ok('SHOW CREATE TABLE people');
  assert.match(show.rows.map((r) => r[0]).join('\n'), /OpenCSVSerde[\s\S]*LOCATION\n {2}'s3:\/\/lake\/csv\/'/);
  await ok('DROP VIEW busy');
  await fails(athena, 'SELECT * FROM busy', /TABLE_NOT_FOUND/);
});

test('a table over an S3-compatible bucket: MSCK REPAIR lists it, queries read it with partition pruning', async () => {
  await ok(`CREATE EXTERNAL TABLE sales (id int, amount double) PARTITIONED BY (region string)
    ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://s3-lake/sales/' TBLPROPERTIES ('skip.header.line.count'='1')`);
  await ok('MSCK REPAIR TABLE sales');
  assert.deepEqual((await ok('SELECT region, count(*), sum(amount) FROM sales GROUP BY region ORDER BY region')).rows, [['eu', '2', '25.0'], ['us', '1', '7.0']]);
  const us = await ok("SELECT sum(amount) FROM sales WHERE region = 'us'");
  const all = await ok('SELECT sum(amount) FROM sales');
  assert.ok(us.scanned > 0 && us.scanned < all.scanned, `pruned ${us.scanned} < ${all.scanned}`);
});

test('the catalog APIs list the databases, tables and partition keys the DDL created', async () => {
  const dbs = await athena.send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog' }));
  assert.ok(dbs.DatabaseList!.some((d) => d.Name === 'analytics'));
  const tables = await athena.send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'analytics' }));
  assert.deepEqual(tables.TableMetadataList!.map((t) => t.Name), ['requests']);
  const t = (await athena.send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'analytics', TableName: 'requests' }))).TableMetadata!;
  assert.equal(t.TableType, 'EXTERNAL_TABLE');
  assert.deepEqual(t.PartitionKeys!.map((k) => [k.Name, k.Type]), [['year', 'string'], ['month', 'string']]);
  assert.equal(t.Columns!.find((c) => c.Name === 'meta')!.Type, 'struct<region:string,zone:string>');
  assert.equal(t.Parameters!.location, 's3://lake/parquet/');
});

test('a Logs export task\'s output is a table (RegexSerDe over its "<time> <message>" lines)', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/export' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/app/export', logStreamName: 'web' }));
  const t0 = Date.now() - 60_000;
  await logs.send(new PutLogEventsCommand({ logGroupName: '/app/export', logStreamName: 'web', logEvents: [
    { timestamp: t0, message: 'GET /a 200' }, { timestamp: t0 + 1, message: 'GET /b 500' }, { timestamp: t0 + 2, message: 'POST /a 200' },
  ] }));
  const { taskId } = await logs.send(new CreateExportTaskCommand({ logGroupName: '/app/export', from: t0 - 1000, to: t0 + 10_000, destination: 'lake', destinationPrefix: 'exportedlogs' }));
  await until('export task to complete', async () => {
    const s = (await logs.send(new DescribeExportTasksCommand({ taskId }))).exportTasks?.[0]?.status?.code;
    return s === 'COMPLETED' ? true : undefined;
  }, 30_000);
  await ok(`CREATE EXTERNAL TABLE exported_logs (event_time string, message string)
    ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
    WITH SERDEPROPERTIES ('input.regex' = '^(\\\\S+) (.*)$')
    LOCATION 's3://lake/exportedlogs/${taskId}/'`);
  const r = await ok("SELECT split_part(message, ' ', 3) AS status, count(*) FROM exported_logs GROUP BY 1 ORDER BY 1");
  assert.deepEqual(r.rows, [['200', '2'], ['500', '1']]);
  assert.deepEqual((await ok("SELECT event_time FROM exported_logs WHERE message = 'GET /b 500'")).rows, [[new Date(t0 + 1).toISOString()]]);
});

test('CloudTrail trail files, with AWS\'s documented table (CloudTrailSerde, partition projection on the date)', async () => {
  const ct = new CloudTrailClient(sdkConfig(server.url));
  await ct.send(new CreateTrailCommand({ Name: 'athena-trail', S3BucketName: 'trail-bucket' }));
  await ct.send(new StartLoggingCommand({ Name: 'athena-trail' }));
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/trail/marker' }));
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  await ok(`CREATE EXTERNAL TABLE cloudtrail_logs (
      eventversion STRING,
      useridentity STRUCT<type:STRING, principalid:STRING, arn:STRING, accountid:STRING, invokedby:STRING, accesskeyid:STRING, username:STRING,
        sessioncontext:STRUCT<attributes:STRUCT<mfaauthenticated:STRING, creationdate:STRING>,
          sessionissuer:STRUCT<type:STRING, principalid:STRING, arn:STRING, accountid:STRING, username:STRING>>>,
      eventtime STRING, eventsource STRING, eventname STRING, awsregion STRING, sourceipaddress STRING, useragent STRING,
      errorcode STRING, errormessage STRING, requestparameters STRING, responseelements STRING, additionaleventdata STRING,
      requestid STRING, eventid STRING, resources ARRAY<STRUCT<arn:STRING, accountid:STRING, type:STRING>>,
      eventtype STRING, apiversion STRING, readonly STRING, recipientaccountid STRING, serviceeventdetails STRING,
      sharedeventid STRING, vpcendpointid STRING)
    PARTITIONED BY (\`timestamp\` string)
    ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'
    STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
    OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
    LOCATION 's3://trail-bucket/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/'
    TBLPROPERTIES (
      'projection.enabled'='true',
      'projection.timestamp.format'='yyyy/MM/dd',
      'projection.timestamp.interval'='1',
      'projection.timestamp.interval.unit'='DAYS',
      'projection.timestamp.range'='2020/01/01,NOW',
      'projection.timestamp.type'='date',
      'storage.location.template'='s3://trail-bucket/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/\${timestamp}')`);
  const q = `SELECT eventsource, eventname, useridentity.accountid, json_extract_scalar(requestparameters, '$.logGroupName')
    FROM cloudtrail_logs WHERE "timestamp" = '${day}' AND eventname = 'CreateLogGroup' AND requestparameters LIKE '%/trail/marker%'`;
  const r = await until('the trail to deliver the CreateLogGroup record', async () => {
    const out = await ok(q);
    return out.rows.length > 0 ? out : undefined;
  }, 30_000);
  assert.deepEqual(r.rows, [['logs.amazonaws.com', 'CreateLogGroup', ACCOUNT, '/trail/marker']]);
  // A day outside the files' layout reads nothing.
  assert.deepEqual((await ok("SELECT count(*) FROM cloudtrail_logs WHERE \"timestamp\" = '2019/12/31'")).rows, [['0']]);
});

test('hostile DDL: osprey is read-only, unmapped or unowned buckets, CTAS, unknown SerDes, glob characters; another account sees nothing', async () => {
  await fails(athena, "CREATE EXTERNAL TABLE osprey.x (a string) LOCATION 's3://lake/json/'", /PERMISSION_DENIED: .*osprey.*read-only/);
  await fails(athena, 'DROP TABLE osprey.logs', /PERMISSION_DENIED/);
  await fails(athena, "CREATE EXTERNAL TABLE x (a string) LOCATION 's3://not-mapped/'", /PERMISSION_DENIED: Access denied to s3:\/\/not-mapped\/: the bucket is not mapped/);
  await fails(athena, "CREATE EXTERNAL TABLE x (a string) LOCATION 's3://other-lake/'", /PERMISSION_DENIED: .*does not own the bucket/);
  await fails(athena, "CREATE EXTERNAL TABLE x (a string) LOCATION 's3://lake/a*b/'", /NOT_SUPPORTED: .*\*\?\{\}/);
  await fails(athena, 'CREATE TABLE x AS SELECT 1 AS a', /NOT_SUPPORTED: CREATE TABLE AS SELECT/);
  await fails(athena, "CREATE TABLE x (a string) LOCATION 's3://lake/'", /NOT_SUPPORTED: Only external tables/);
  await fails(athena, "CREATE EXTERNAL TABLE x (a string) ROW FORMAT SERDE 'com.amazonaws.glue.serde.GrokSerDe' LOCATION 's3://lake/'", /NOT_SUPPORTED: SerDe com.amazonaws.glue.serde.GrokSerDe/);
  await fails(athena, "CREATE EXTERNAL TABLE x (a strin) LOCATION 's3://lake/'", /SYNTAX_ERROR: Invalid column type 'strin'/);
  await fails(athena, "CREATE EXTERNAL TABLE x (a string) PARTITIONED BY (d string) LOCATION 's3://lake/' TBLPROPERTIES ('projection.enabled'='true', 'projection.d.type'='calendar')", /projection.d.type must be one of/);
  await fails(athena, "CREATE EXTERNAL TABLE events (a string) LOCATION 's3://lake/'", /ALREADY_EXISTS/);
  await fails(athena, 'CREATE EXTERNAL TABLE nodb.t (a string) LOCATION \'s3://lake/\'', /SCHEMA_NOT_FOUND: Database does not exist: nodb/);
  await fails(athena, 'DROP DATABASE analytics', /SCHEMA_NOT_EMPTY/);
  // The other account has its own catalog: none of this account's databases, tables or views.
  await fails(other, 'SELECT * FROM analytics.requests', /TABLE_NOT_FOUND/);
  await fails(other, 'MSCK REPAIR TABLE analytics.requests', /TABLE_NOT_FOUND/);
  assert.deepEqual((await runAthena(other, 'SHOW DATABASES')).rows, [['default'], ['osprey']]);
  await fails(other, "CREATE EXTERNAL TABLE mine (a string) LOCATION 's3://lake/json/'", /does not own the bucket/);
  const own = await runAthena(other, "CREATE EXTERNAL TABLE mine (a string) LOCATION 's3://other-lake/'");
  assert.equal(own.state, 'SUCCEEDED', own.reason);
});
