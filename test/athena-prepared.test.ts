// Athena's prepared statements and parameterized queries with real clients (SDK v3 and boto3
// 1.26): the six prepared-statement APIs with AWS's errors; EXECUTE … USING, ExecutionParameters
// (with EXECUTE and with a plain query) and SQL PREPARE / DEALLOCATE PREPARE; hostile values fail
// the query and never change it; another account sees none of it. And osprey.spans over
// PutTraceSegments documents, scoped to the caller's account.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  AthenaClient, BatchGetPreparedStatementCommand, CreatePreparedStatementCommand, CreateWorkGroupCommand, DeletePreparedStatementCommand,
  GetPreparedStatementCommand, GetQueryExecutionCommand, GetQueryResultsCommand, ListPreparedStatementsCommand, StartQueryExecutionCommand,
  UpdatePreparedStatementCommand, type QueryExecution,
} from '@aws-sdk/client-athena';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { PutTraceSegmentsCommand, XRayClient } from '@aws-sdk/client-xray';
import { OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { failure } from './helpers/failure.ts';
import { awsEnv, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { putLogs } from './helpers/logs.ts';
import { until } from './helpers/until.ts';

const run = promisify(execFile);
let server: TestServer;
let athena: AthenaClient;
let other: AthenaClient;
const BY_GROUP = "SELECT message FROM osprey.logs WHERE log_group = ? AND message LIKE ? ORDER BY message";

before(async () => {
  server = await startTestServer({ modules: ['logs', 'athena', 'xray'], env: { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS } });
  athena = new AthenaClient(sdkConfig(server.url));
  other = new AthenaClient({ ...sdkConfig(server.url), credentials: OTHER });
  await putLogs(new CloudWatchLogsClient(sdkConfig(server.url)), '/app/web', ['GET /a 200', 'GET /b 500', "it's PUT /c 201", 'POST /d 500']);
  await putLogs(new CloudWatchLogsClient({ ...sdkConfig(server.url), credentials: OTHER }), '/app/web', ['OTHER-ACCOUNT GET 500']);
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

interface Ran { execution: QueryExecution; rows?: string[][] }

/** Starts a statement, waits for it, and returns the execution and (if it succeeded) its rows without the header. */
async function execute(client: AthenaClient, sql: string, opts: { params?: string[]; workgroup?: string } = {}): Promise<Ran> {
  const { QueryExecutionId } = await client.send(new StartQueryExecutionCommand({ QueryString: sql, ExecutionParameters: opts.params, WorkGroup: opts.workgroup }));
  const execution = await until(`query ${sql.slice(0, 50)}`, async () => {
    const q = (await client.send(new GetQueryExecutionCommand({ QueryExecutionId }))).QueryExecution!;
    return q.Status?.State === 'QUEUED' || q.Status?.State === 'RUNNING' ? undefined : q;
  }, 30_000);
  if (execution.Status?.State !== 'SUCCEEDED') return { execution };
  const r = await client.send(new GetQueryResultsCommand({ QueryExecutionId }));
  return { execution, rows: r.ResultSet!.Rows!.slice(1).map((row) => row.Data!.map((d) => d.VarCharValue ?? 'NULL')) };
}

async function rows(client: AthenaClient, sql: string, opts: { params?: string[]; workgroup?: string } = {}): Promise<string[][]> {
  const { execution, rows: out } = await execute(client, sql, opts);
  assert.equal(execution.Status?.State, 'SUCCEEDED', execution.Status?.StateChangeReason);
  return out!;
}

/** The reason a statement failed (it must fail as a user error). */
async function failed(client: AthenaClient, sql: string, params?: string[]): Promise<string> {
  const { execution } = await execute(client, sql, { params });
  assert.equal(execution.Status?.State, 'FAILED', `${sql} ${JSON.stringify(params)} should fail`);
  assert.equal(execution.Status?.AthenaError?.ErrorCategory, 2, 'a user error');
  return execution.Status!.StateChangeReason!;
}

test('the prepared-statement APIs through SDK v3: create, get, list (paged), update, batch get, delete, with AWS\'s errors', async () => {
  await athena.send(new CreatePreparedStatementCommand({ StatementName: 'by_group', WorkGroup: 'primary', QueryStatement: BY_GROUP, Description: 'messages of a group' }));
  await athena.send(new CreatePreparedStatementCommand({ StatementName: 'all_groups', WorkGroup: 'primary', QueryStatement: 'SELECT DISTINCT log_group FROM osprey.logs' }));
  const got = (await athena.send(new GetPreparedStatementCommand({ StatementName: 'by_group', WorkGroup: 'primary' }))).PreparedStatement!;
  assert.deepEqual([got.StatementName, got.QueryStatement, got.WorkGroupName, got.Description], ['by_group', BY_GROUP, 'primary', 'messages of a group']);
  assert.ok(got.LastModifiedTime instanceof Date && Math.abs(got.LastModifiedTime.getTime() - Date.now()) < 60_000);

  const dup = await failure(athena.send(new CreatePreparedStatementCommand({ StatementName: 'by_group', WorkGroup: 'primary', QueryStatement: 'SELECT 1' })));
  assert.deepEqual([dup.name, dup.status], ['InvalidRequestException', 400]);
  assert.match(dup.message, /by_group already exists/);
  for (const bad of ['1starts_with_digit', 'has-dash', 'x']) {
    const e = await failure(athena.send(new CreatePreparedStatementCommand({ StatementName: bad, WorkGroup: 'primary', QueryStatement: 'SELECT 1' })));
    assert.equal(e.name, 'InvalidRequestException', bad);
    assert.match(e.message, /failed to satisfy constraint/);
  }
  const nested = await failure(athena.send(new CreatePreparedStatementCommand({ StatementName: 'nested', WorkGroup: 'primary', QueryStatement: 'EXECUTE by_group' })));
  assert.match(`${nested.name} ${nested.message}`, /InvalidRequestException Invalid statement type for prepared statement: EXECUTE/);
  const noWorkgroup = await failure(athena.send(new GetPreparedStatementCommand({ StatementName: 'by_group', WorkGroup: 'nope' })));
  assert.equal(noWorkgroup.name, 'InvalidRequestException');

  const first = await athena.send(new ListPreparedStatementsCommand({ WorkGroup: 'primary', MaxResults: 1 }));
  assert.deepEqual(first.PreparedStatements?.map((p) => p.StatementName), ['all_groups']);
  const second = await athena.send(new ListPreparedStatementsCommand({ WorkGroup: 'primary', MaxResults: 1, NextToken: first.NextToken }));
  assert.deepEqual(second.PreparedStatements?.map((p) => p.StatementName), ['by_group']);
  assert.equal(second.NextToken, undefined);

  await athena.send(new UpdatePreparedStatementCommand({ StatementName: 'all_groups', WorkGroup: 'primary', QueryStatement: 'SELECT count(DISTINCT log_group) FROM osprey.logs', Description: 'how many' }));
  const batch = await athena.send(new BatchGetPreparedStatementCommand({ WorkGroup: 'primary', PreparedStatementNames: ['all_groups', 'missing_one'] }));
  assert.deepEqual(batch.PreparedStatements?.map((p) => [p.StatementName, p.QueryStatement, p.Description]), [['all_groups', 'SELECT count(DISTINCT log_group) FROM osprey.logs', 'how many']]);
  assert.deepEqual(batch.UnprocessedPreparedStatementNames?.map((u) => [u.StatementName, u.ErrorCode]), [['missing_one', 'STATEMENT_NOT_FOUND']]);

  await athena.send(new DeletePreparedStatementCommand({ StatementName: 'all_groups', WorkGroup: 'primary' }));
  for (const call of [
    athena.send(new GetPreparedStatementCommand({ StatementName: 'all_groups', WorkGroup: 'primary' })),
    athena.send(new DeletePreparedStatementCommand({ StatementName: 'all_groups', WorkGroup: 'primary' })),
    athena.send(new UpdatePreparedStatementCommand({ StatementName: 'all_groups', WorkGroup: 'primary', QueryStatement: 'SELECT 1' })),
  ]) {
    const e = await failure(call);
    assert.deepEqual([e.name, e.message], ['ResourceNotFoundException', 'Prepared statement all_groups was not found in workgroup primary.']);
  }
});

test('EXECUTE … USING and ExecutionParameters (with EXECUTE and with a plain query) bind positionally; GetQueryExecution keeps the parameters', async () => {
  await athena.send(new CreatePreparedStatementCommand({ StatementName: 'errors_of', WorkGroup: 'primary', QueryStatement: BY_GROUP }));
  const expected = [['GET /b 500'], ['POST /d 500']];
  assert.deepEqual(await rows(athena, "EXECUTE errors_of USING '/app/web', '%500'"), expected);
  const viaParams = await execute(athena, 'EXECUTE errors_of', { params: ["'/app/web'", "'%500'"] });
  assert.deepEqual(viaParams.rows, expected);
  assert.deepEqual(viaParams.execution.ExecutionParameters, ["'/app/web'", "'%500'"]);
  assert.equal(viaParams.execution.Query, 'EXECUTE errors_of');
  assert.equal(viaParams.execution.StatementType, 'DML');
  assert.deepEqual(await rows(athena, BY_GROUP, { params: ["'/app/web'", "'it''s%'"] }), [["it's PUT /c 201"]]);
  assert.deepEqual(await rows(athena, "SELECT count(*) FROM osprey.logs WHERE length(message) > ? AND message <> '?'", { params: ['10'] }), [['2']]);
  // Another workgroup has its own statements.
  await athena.send(new CreateWorkGroupCommand({ Name: 'analysts' }));
  assert.match((await execute(athena, "EXECUTE errors_of USING '/app/web', '%'", { workgroup: 'analysts' })).execution.Status!.StateChangeReason!,
    /^NOT_FOUND: Prepared statement not found: errors_of$/);
});

test('SQL PREPARE and DEALLOCATE PREPARE through StartQueryExecution (UTILITY) create, replace and delete the workgroup\'s statement', async () => {
  const prepared = await execute(athena, "PREPARE big_ones FROM SELECT message FROM osprey.logs WHERE message LIKE ? ORDER BY 1");
  assert.deepEqual([prepared.execution.Status?.State, prepared.execution.StatementType, prepared.rows], ['SUCCEEDED', 'UTILITY', []]);
  assert.equal((await athena.send(new GetPreparedStatementCommand({ StatementName: 'big_ones', WorkGroup: 'primary' }))).PreparedStatement?.QueryStatement,
    'SELECT message FROM osprey.logs WHERE message LIKE ? ORDER BY 1');
  assert.deepEqual(await rows(athena, "EXECUTE big_ones USING 'POST%'"), [['POST /d 500']]);
  await rows(athena, 'PREPARE big_ones FROM SELECT count(*) FROM osprey.logs WHERE message LIKE ?');
  assert.deepEqual(await rows(athena, "EXECUTE big_ones USING 'GET%'"), [['2']]);
  await rows(athena, 'DEALLOCATE PREPARE big_ones');
  assert.equal((await failure(athena.send(new GetPreparedStatementCommand({ StatementName: 'big_ones', WorkGroup: 'primary' })))).name, 'ResourceNotFoundException');
  assert.equal(await failed(athena, 'DEALLOCATE PREPARE big_ones'), 'NOT_FOUND: Prepared statement not found: big_ones');
  assert.match(await failed(athena, 'PREPARE x FROM SELECT 1'), /^SYNTAX_ERROR: line 1:9: Statement name 'x' must match/);
  assert.match(await failed(athena, 'PREPARE again FROM EXECUTE big_ones'), /^NOT_SUPPORTED: Invalid statement type for prepared statement: EXECUTE/);
});

test('values that are not one literal fail the query; strings stay strings; counts must match', async () => {
  await athena.send(new CreatePreparedStatementCommand({ StatementName: 'by_status', WorkGroup: 'primary', QueryStatement: "SELECT count(*) FROM osprey.logs WHERE message LIKE concat('%', ?)" }));
  for (const hostile of ["'500') OR (1=1", "'500'; DROP TABLE log_events", "1) UNION SELECT message FROM osprey.logs --", "'500' OR true", 'now()']) {
    assert.match(await failed(athena, 'EXECUTE by_status', [hostile]), /^INVALID_PARAMETER_USAGE: Parameter 1 .* is not a literal/, hostile);
    assert.match(await failed(athena, BY_GROUP, ["'/app/web'", hostile]), /^INVALID_PARAMETER_USAGE: Parameter 2 /, hostile);
  }
  assert.match(await failed(athena, "EXECUTE by_status USING '500' OR 1=1"), /^INVALID_PARAMETER_USAGE: line 1:25: EXECUTE … USING takes literal values .*, found 'OR'$/);
  assert.match(await failed(athena, "EXECUTE by_status USING '500'; SELECT 1"), /^SYNTAX_ERROR: /);
  // A quote inside the value is data: the match is against the whole text, so nothing matches.
  assert.deepEqual(await rows(athena, 'EXECUTE by_status', { params: ["'500'' OR ''1''=''1'"] }), [['0']]);
  assert.deepEqual(await rows(athena, 'EXECUTE by_status', { params: ["'500'"] }), [['2']]);
  assert.equal(await failed(athena, BY_GROUP, ["'/app/web'"]), 'INVALID_PARAMETER_USAGE: line 1:1: Incorrect number of parameters: expected 2 but found 1');
  assert.equal(await failed(athena, "EXECUTE by_status USING '1', '2'"), 'INVALID_PARAMETER_USAGE: line 1:1: Incorrect number of parameters: expected 1 but found 2');
  assert.equal(await failed(athena, 'SELECT 1', ['1']), 'INVALID_PARAMETER_USAGE: line 1:1: Incorrect number of parameters: expected 0 but found 1');
  assert.match(await failed(athena, "EXECUTE by_status USING '1'", ['2']), /either in EXECUTE … USING or as ExecutionParameters, not both/);
});

test('another account can neither see nor execute a statement, and reads only its own rows through its own', async () => {
  await athena.send(new CreatePreparedStatementCommand({ StatementName: 'mine_only', WorkGroup: 'primary', QueryStatement: 'SELECT message FROM osprey.logs WHERE message LIKE ?' }));
  assert.equal((await failure(other.send(new GetPreparedStatementCommand({ StatementName: 'mine_only', WorkGroup: 'primary' })))).name, 'ResourceNotFoundException');
  assert.deepEqual((await other.send(new ListPreparedStatementsCommand({ WorkGroup: 'primary' }))).PreparedStatements, []);
  assert.equal((await other.send(new BatchGetPreparedStatementCommand({ WorkGroup: 'primary', PreparedStatementNames: ['mine_only'] }))).UnprocessedPreparedStatementNames?.[0]?.ErrorCode, 'STATEMENT_NOT_FOUND');
  assert.equal(await failed(other, "EXECUTE mine_only USING '%'"), 'NOT_FOUND: Prepared statement not found: mine_only');
  // The same name in the other account is its own statement, over its own rows.
  await other.send(new CreatePreparedStatementCommand({ StatementName: 'mine_only', WorkGroup: 'primary', QueryStatement: 'SELECT message FROM osprey.logs WHERE message LIKE ?' }));
  assert.deepEqual(await rows(other, "EXECUTE mine_only USING '%500%'"), [['OTHER-ACCOUNT GET 500']]);
  assert.deepEqual(await rows(athena, "EXECUTE mine_only USING 'OTHER%'"), []);
});

test('boto3 1.26: the prepared-statement APIs, EXECUTE with ExecutionParameters, and the parameters in get_query_execution', async () => {
  const py = `
import boto3, json, time
c = boto3.client('athena', endpoint_url='${server.url}', region_name='us-east-1')
c.create_prepared_statement(StatementName='py_stmt', WorkGroup='primary', QueryStatement=${JSON.stringify(BY_GROUP)}, Description='from boto3')
c.update_prepared_statement(StatementName='py_stmt', WorkGroup='primary', QueryStatement=${JSON.stringify(BY_GROUP)}, Description='updated')
got = c.get_prepared_statement(StatementName='py_stmt', WorkGroup='primary')['PreparedStatement']
names = [p['StatementName'] for p in c.list_prepared_statements(WorkGroup='primary')['PreparedStatements']]
batch = c.batch_get_prepared_statement(WorkGroup='primary', PreparedStatementNames=['py_stmt', 'nope_nope'])
qid = c.start_query_execution(QueryString='EXECUTE py_stmt', ExecutionParameters=["'/app/web'", "'GET%'"], WorkGroup='primary')['QueryExecutionId']
while c.get_query_execution(QueryExecutionId=qid)['QueryExecution']['Status']['State'] in ('QUEUED', 'RUNNING'):
    time.sleep(0.1)
q = c.get_query_execution(QueryExecutionId=qid)['QueryExecution']
rows = c.get_query_results(QueryExecutionId=qid)['ResultSet']['Rows']
c.delete_prepared_statement(StatementName='py_stmt', WorkGroup='primary')
try:
    c.get_prepared_statement(StatementName='py_stmt', WorkGroup='primary')
    missing = None
except c.exceptions.ResourceNotFoundException as e:
    missing = e.response['Error']['Code']
print(json.dumps({
  'got': [got['StatementName'], got['Description'], got['WorkGroupName']], 'listed': 'py_stmt' in names,
  'batch': [[p['StatementName'] for p in batch['PreparedStatements']], [u['ErrorCode'] for u in batch['UnprocessedPreparedStatementNames']]],
  'state': q['Status']['State'], 'params': q.get('ExecutionParameters'),
  'rows': [[d.get('VarCharValue') for d in r['Data']] for r in rows], 'missing': missing,
}))
`;
  const out = JSON.parse((await run('/usr/bin/python3', ['-c', py], { env: awsEnv() })).stdout);
  assert.deepEqual(out, {
    got: ['py_stmt', 'updated', 'primary'], listed: true, batch: [['py_stmt'], ['STATEMENT_NOT_FOUND']],
    state: 'SUCCEEDED', params: ["'/app/web'", "'GET%'"], rows: [['message'], ['GET /a 200'], ['GET /b 500']], missing: 'ResourceNotFoundException',
  });
});

test('osprey.spans: PutTraceSegments documents of the caller\'s account only, one row per segment', async () => {
  const now = Date.now() / 1000;
  const traceId = (n: number) => `1-${Math.floor(now).toString(16)}-${String(n).padStart(24, '0')}`;
  const segment = (id: string, name: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ trace_id: traceId(1), id, name, start_time: now - 2, end_time: now - 1, ...extra });
  await new XRayClient(sdkConfig(server.url)).send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [
    segment('aaaaaaaaaaaaaaa1', 'checkout', { http: { request: { method: 'POST', url: 'https://shop/checkout' }, response: { status: 502 } }, fault: true, annotations: { order: 'o-1' } }),
    segment('aaaaaaaaaaaaaaa2', 'catalog', { in_progress: true, end_time: undefined }),
  ] }));
  await new XRayClient(sdkConfig(server.url)).send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [segment('aaaaaaaaaaaaaaa2', 'catalog', { error: true })] }));
  await new XRayClient({ ...sdkConfig(server.url), credentials: OTHER }).send(new PutTraceSegmentsCommand({ TraceSegmentDocuments: [segment('bbbbbbbbbbbbbbb1', 'OTHER-ACCOUNT-SERVICE')] }));
  const sql = "SELECT name, http_method, http_status, fault, error, in_progress, annotations['order'], duration > 0.9 FROM osprey.spans WHERE start_time > now() - interval '1' hour ORDER BY name";
  assert.deepEqual(await rows(athena, sql), [['catalog', 'NULL', 'NULL', 'false', 'true', 'false', 'NULL', 'true'], ['checkout', 'POST', '502', 'true', 'false', 'false', 'o-1', 'true']]);
  assert.deepEqual(await rows(other, 'SELECT name FROM osprey.spans'), [['OTHER-ACCOUNT-SERVICE']]);
  assert.deepEqual(await rows(athena, "SELECT count(*) FROM osprey.spans WHERE name LIKE 'OTHER%' OR trace_id LIKE '%bbbb%'"), [['0']]);
});
