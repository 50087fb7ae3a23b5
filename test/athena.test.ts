// Athena over the account's telemetry with real clients: the count query through the AWS
// CLI v1 and boto3 1.26, SDK v3 for workgroups (results as CSV in the mapped bucket), paging,
// named queries and the catalog; statement errors fail the query with Athena's reasons; hostile
// SQL (engine tables, table functions, DDL) is refused; another account's rows are never seen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AthenaClient, StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand, CreateWorkGroupCommand, GetWorkGroupCommand,
  ListWorkGroupsCommand, DeleteWorkGroupCommand, ListQueryExecutionsCommand, CreateNamedQueryCommand, GetNamedQueryCommand, ListNamedQueriesCommand,
  ListTableMetadataCommand, GetTableMetadataCommand, ListDatabasesCommand, BatchGetQueryExecutionCommand, StopQueryExecutionCommand, type QueryExecution,
} from '@aws-sdk/client-athena';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';
import { putLogs } from './helpers/logs.ts';
import { until } from './helpers/until.ts';

const run = promisify(execFile);
let server: TestServer;
let athena: AthenaClient;
const bucketDir = mkdtempSync(join(tmpdir(), 'osprey-athena-results-'));
const OTHER = { accessKeyId: 'OTHER', secretAccessKey: 'other' };
const COUNT_QUERY = "SELECT log_group, count(*) FROM osprey.logs WHERE timestamp > now() - interval '1' hour GROUP BY 1 ORDER BY 2 DESC";

before(async () => {
  server = await startTestServer({
    modules: ['logs', 'athena'],
    env: {
      OSPREY_EXPORT_BUCKETS: JSON.stringify({ 'athena-results': `file://${bucketDir}` }),
      // One query at a time with a short limit: the concurrency test holds queries in the queue.
      OSPREY_ATHENA_CONCURRENCY: '1', OSPREY_ATHENA_QUERY_TIMEOUT_SECONDS: '4',
      OSPREY_ACCESS_KEYS: JSON.stringify([
        { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' },
        { accessKeyId: 'OTHER', secretAccessKey: 'other', accountId: '111111111111' },
      ]),
    },
  });
  athena = new AthenaClient(sdkConfig(server.url));
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await putLogs(logs, '/app/web', Array.from({ length: 5 }, (_, i) => JSON.stringify({ level: i < 2 ? 'ERROR' : 'INFO', status: 200 + i, path: `/p${i}` })));
  await putLogs(logs, '/app/worker', ['job 1 done', 'job 2 done', 'job 3 failed']);
  await putLogs(logs, '/app/cron', ['tick']);
  const other = new CloudWatchLogsClient({ ...sdkConfig(server.url), credentials: OTHER });
  await putLogs(other, '/secret/other-account', Array.from({ length: 7 }, (_, i) => `secret ${i}`));
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

async function finished(client: AthenaClient, id: string): Promise<QueryExecution> {
  return until(`query ${id} to finish (${await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })).then((q) => q.QueryExecution?.Query?.slice(0, 60))})`, async () => {
    const q = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution!;
    return q.Status?.State === 'QUEUED' || q.Status?.State === 'RUNNING' ? undefined : q;
  }, 30_000);
}

async function rowsOf(client: AthenaClient, sql: string, extra: { WorkGroup?: string; Database?: string } = {}): Promise<string[][]> {
  const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: extra.WorkGroup, QueryExecutionContext: extra.Database ? { Database: extra.Database } : undefined }));
  const q = await finished(client, QueryExecutionId!);
  assert.equal(q.Status?.State, 'SUCCEEDED', q.Status?.StateChangeReason);
  const r = await client.send(new GetQueryResultsCommand({ QueryExecutionId }));
  return r.ResultSet!.Rows!.map((row) => row.Data!.map((d) => d.VarCharValue ?? 'NULL'));
}

async function failureOf(sql: string): Promise<string> {
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: sql }));
  const q = await finished(athena, QueryExecutionId!);
  assert.equal(q.Status?.State, 'FAILED', `${sql} should fail`);
  assert.equal(q.Status?.AthenaError?.ErrorCategory, 2, 'a user error');
  return q.Status!.StateChangeReason!;
}

const EXPECTED = [['log_group', '_col1'], ['/app/web', '5'], ['/app/worker', '3'], ['/app/cron', '1']];

test('the issue\'s count query through the AWS CLI v1: start, wait, results with a header row', async () => {
  const cli = (args: string[]) => run('aws', ['athena', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() }).then((r) => JSON.parse(r.stdout));
  const { QueryExecutionId } = await cli(['start-query-execution', '--query-string', COUNT_QUERY, '--work-group', 'primary']);
  await until('SUCCEEDED', async () => ((await cli(['get-query-execution', '--query-execution-id', QueryExecutionId])).QueryExecution.Status.State === 'SUCCEEDED' ? true : undefined), 30_000);
  const out = await cli(['get-query-results', '--query-execution-id', QueryExecutionId]);
  assert.deepEqual(out.ResultSet.Rows.map((r: { Data: { VarCharValue?: string }[] }) => r.Data.map((d) => d.VarCharValue)), EXPECTED);
  assert.deepEqual(out.ResultSet.ResultSetMetadata.ColumnInfo.map((c: { Name: string; Type: string }) => [c.Name, c.Type]), [['log_group', 'varchar'], ['_col1', 'bigint']]);
});

test('the same through boto3 1.26, and SDK v3', async () => {
  const py = `
import boto3, json, time
c = boto3.client('athena', endpoint_url='${server.url}', region_name='us-east-1')
qid = c.start_query_execution(QueryString=${JSON.stringify(COUNT_QUERY)}, WorkGroup='primary')['QueryExecutionId']
while c.get_query_execution(QueryExecutionId=qid)['QueryExecution']['Status']['State'] in ('QUEUED', 'RUNNING'):
    time.sleep(0.1)
rows = c.get_query_results(QueryExecutionId=qid)['ResultSet']['Rows']
print(json.dumps([[d.get('VarCharValue') for d in r['Data']] for r in rows]))
`;
  assert.deepEqual(JSON.parse((await run('/usr/bin/python3', ['-c', py], { env: awsEnv() })).stdout), EXPECTED);
  assert.deepEqual(await rowsOf(athena, COUNT_QUERY), EXPECTED);
});

test('another account sees only its own rows, whatever the SQL', async () => {
  const other = new AthenaClient({ ...sdkConfig(server.url), credentials: OTHER });
  assert.deepEqual(await rowsOf(other, COUNT_QUERY), [['log_group', '_col1'], ['/secret/other-account', '7']]);
  assert.deepEqual(await rowsOf(athena, "SELECT count(*) FROM osprey.logs WHERE log_group LIKE '/secret%' OR message LIKE 'secret%'"), [['_col0'], ['0']]);
});

test('a workgroup with an OutputLocation writes the result as CSV to the mapped bucket; paging; named queries; catalog', async () => {
  await athena.send(new CreateWorkGroupCommand({ Name: 'analysts', Configuration: { ResultConfiguration: { OutputLocation: 's3://athena-results/q/' }, EnforceWorkGroupConfiguration: true } }));
  assert.equal((await athena.send(new GetWorkGroupCommand({ WorkGroup: 'analysts' }))).WorkGroup?.Configuration?.ResultConfiguration?.OutputLocation, 's3://athena-results/q/');
  assert.deepEqual((await athena.send(new ListWorkGroupsCommand({}))).WorkGroups?.map((w) => w.Name).sort(), ['analysts', 'primary']);
  const sql = 'SELECT message FROM osprey.logs WHERE log_group = \'/app/worker\' ORDER BY message';
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: 'analysts' }));
  const q = await finished(athena, QueryExecutionId!);
  assert.equal(q.Status?.State, 'SUCCEEDED', q.Status?.StateChangeReason);
  assert.equal(q.ResultConfiguration?.OutputLocation, 's3://athena-results/q/');
  assert.ok((q.Statistics?.DataScannedInBytes ?? 0) > 0, 'DataScannedInBytes is reported');
  assert.equal(readFileSync(join(bucketDir, 'q', `${QueryExecutionId}.csv`), 'utf8'), '"message"\n"job 1 done"\n"job 2 done"\n"job 3 failed"\n');
  const first = await athena.send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 2 }));
  assert.deepEqual(first.ResultSet?.Rows?.map((r) => r.Data?.[0]?.VarCharValue), ['message', 'job 1 done']);
  const second = await athena.send(new GetQueryResultsCommand({ QueryExecutionId, MaxResults: 2, NextToken: first.NextToken }));
  assert.deepEqual(second.ResultSet?.Rows?.map((r) => r.Data?.[0]?.VarCharValue), ['job 2 done', 'job 3 failed']);
  assert.equal(second.NextToken, undefined);
  assert.deepEqual((await athena.send(new ListQueryExecutionsCommand({ WorkGroup: 'analysts' }))).QueryExecutionIds, [QueryExecutionId]);
  const batch = await athena.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: [QueryExecutionId!, '00000000-0000-0000-0000-000000000000'] }));
  assert.equal(batch.QueryExecutions?.length, 1);
  assert.equal(batch.UnprocessedQueryExecutionIds?.[0]?.ErrorCode, 'INVALID_INPUT');

  const { NamedQueryId } = await athena.send(new CreateNamedQueryCommand({ Name: 'errors', Database: 'osprey', QueryString: sql, WorkGroup: 'analysts' }));
  assert.equal((await athena.send(new GetNamedQueryCommand({ NamedQueryId }))).NamedQuery?.QueryString, sql);
  assert.deepEqual((await athena.send(new ListNamedQueriesCommand({ WorkGroup: 'analysts' }))).NamedQueryIds, [NamedQueryId]);
  await assert.rejects(athena.send(new DeleteWorkGroupCommand({ WorkGroup: 'analysts' })), /not empty/);
  await athena.send(new DeleteWorkGroupCommand({ WorkGroup: 'analysts', RecursiveDeleteOption: true }));
  await assert.rejects(athena.send(new DeleteWorkGroupCommand({ WorkGroup: 'primary' })), (e: Error) => e.name === 'InvalidRequestException' && /primary/.test(e.message));

  assert.deepEqual((await athena.send(new ListDatabasesCommand({ CatalogName: 'AwsDataCatalog' }))).DatabaseList?.map((d) => d.Name), ['default', 'osprey']);
  const tables = (await athena.send(new ListTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'osprey' }))).TableMetadataList ?? [];
  assert.ok(['cloudtrail', 'logs', 'metrics'].every((t) => tables.some((x) => x.Name === t)), tables.map((t) => t.Name).join());
  const logsTable = (await athena.send(new GetTableMetadataCommand({ CatalogName: 'AwsDataCatalog', DatabaseName: 'osprey', TableName: 'logs' }))).TableMetadata!;
  assert.ok(logsTable.Columns?.some((c) => c.Name === 'message' && c.Type === 'varchar'));
  // An unqualified table resolves in the context's database.
  assert.deepEqual(await rowsOf(athena, "SELECT count(*) AS n FROM logs WHERE log_group = '/app/cron'", { Database: 'osprey' }), [['n'], ['1']]);
});

test('queries users write: JSON fields, regexp, time buckets, windows', async () => {
  assert.deepEqual(await rowsOf(athena, `SELECT json_extract_scalar(message, '$.level') AS level, count(*) AS n FROM osprey.logs
    WHERE log_group = '/app/web' GROUP BY 1 ORDER BY 1`), [['level', 'n'], ['ERROR', '2'], ['INFO', '3']]);
  assert.deepEqual(await rowsOf(athena, `SELECT regexp_extract(message, 'job (\\d+)', 1) AS job FROM osprey.logs WHERE message LIKE '%failed' `), [['job'], ['3']]);
  const ranked = await rowsOf(athena, `WITH c AS (SELECT log_group, count(*) AS n FROM osprey.logs GROUP BY log_group)
    SELECT log_group, rank() OVER (ORDER BY n DESC) AS r FROM c ORDER BY r`);
  assert.deepEqual(ranked, [['log_group', 'r'], ['/app/web', '1'], ['/app/worker', '2'], ['/app/cron', '3']]);
  const buckets = await rowsOf(athena, "SELECT date_trunc('hour', timestamp) AS h, count(*) AS n FROM osprey.logs GROUP BY 1");
  assert.equal(buckets.length >= 2, true);
  assert.match(buckets[1]![0]!, /^\d{4}-\d\d-\d\d \d\d:00:00\.000$/);
});

test('BytesScannedCutoffPerQuery cuts a query off; at most 20 queries run at once per account; StopQueryExecution cancels', { timeout: 120_000 }, async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/bulk' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/bulk', logStreamName: 's' }));
  const now = Date.now();
  let seed = 1;
  const noise = () => Array.from({ length: 900 }, () => String.fromCharCode(33 + ((seed = (seed * 1103515245 + 12345) % 2147483648) % 90))).join('');
  for (let b = 0; b < 14; b++) {
    await logs.send(new PutLogEventsCommand({ logGroupName: '/bulk', logStreamName: 's', logEvents: Array.from({ length: 1000 }, (_, i) => ({ timestamp: now - 30_000 + i, message: noise() })) }));
  }
  await athena.send(new CreateWorkGroupCommand({ Name: 'capped', Configuration: { BytesScannedCutoffPerQuery: 10_000_000 } }));
  const { QueryExecutionId } = await athena.send(new StartQueryExecutionCommand({ QueryString: "SELECT count(*) FROM osprey.logs WHERE message LIKE '%zzzz%'", WorkGroup: 'capped' }));
  const capped = await finished(athena, QueryExecutionId!);
  assert.equal(capped.Status?.State, 'FAILED');
  assert.match(capped.Status!.StateChangeReason!, /BytesScannedCutoffPerQuery/);

  const heavy = "SELECT count(*) FROM osprey.logs a CROSS JOIN osprey.logs b CROSS JOIN osprey.logs c WHERE a.log_group = '/bulk' AND b.log_group = '/bulk'";
  const started: string[] = [];
  let refused: Error | undefined;
  for (let i = 0; i < 25 && !refused; i++) {
    try {
      started.push((await athena.send(new StartQueryExecutionCommand({ QueryString: heavy }))).QueryExecutionId!);
    } catch (e) {
      refused = e as Error;
    }
  }
  assert.equal(refused?.name, 'TooManyRequestsException', 'the 21st concurrent query is refused');
  assert.equal(started.length, 20);
  for (const id of started) await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
  const states = await Promise.all(started.map((id) => finished(athena, id)));
  assert.ok(states.every((q) => q.Status?.State === 'CANCELLED'), states.map((q) => q.Status?.State).join());
  // The running one is CANCELLED at once; the engine stops it at the time limit; then queries run again.
  assert.deepEqual(await rowsOf(athena, "SELECT count(*) FROM osprey.logs WHERE log_group = '/bulk'"), [['_col0'], ['14000']]);
  // A query past the time limit fails with Athena's timeout.
  const { QueryExecutionId: slow } = await athena.send(new StartQueryExecutionCommand({ QueryString: heavy }));
  const timedOut = await finished(athena, slow!);
  assert.equal(timedOut.Status?.State, 'FAILED');
  assert.match(timedOut.Status!.StateChangeReason!, /timeout/i);
  assert.equal(timedOut.Status?.AthenaError?.ErrorType, 206);
});

test('statement errors fail the query with Athena\'s reasons; hostile SQL reaches nothing', async () => {
  assert.match(await failureOf('SELEC 1'), /^SYNTAX_ERROR: line 1:\d+/);
  assert.match(await failureOf('SELECT nope FROM osprey.logs'), /^COLUMN_NOT_FOUND: line 1:8: Column 'nope' cannot be resolved/);
  assert.match(await failureOf('SELECT * FROM osprey.nothing'), /^TABLE_NOT_FOUND: .*nothing/);
  for (const sql of [
    'SELECT * FROM system.tables', "SELECT * FROM file('/etc/passwd')", "SELECT * FROM url('http://127.0.0.1:1/', CSV, 'a String')",
    'SELECT * FROM log_events', 'DROP TABLE osprey.logs', "INSERT INTO osprey.logs VALUES ('x')", 'SELECT 1; SELECT 2',
    "SELECT * FROM osprey.logs SETTINGS readonly = 0",
  ]) {
    assert.match(await failureOf(sql), /^(PERMISSION_DENIED|NOT_SUPPORTED|TABLE_NOT_FOUND|SYNTAX_ERROR|FUNCTION_NOT_FOUND): /, sql);
  }
  assert.ok(existsSync(bucketDir));
});
