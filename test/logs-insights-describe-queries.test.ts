// DescribeQueries lists the account's Logs Insights queries, newest first, filtered by status, log
// group and query language (Osprey runs only Logs Insights QL, so SQL/PPL filters match nothing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, DescribeQueriesCommand, GetQueryResultsCommand, StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;
let other: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  other = new CloudWatchLogsClient(sdkConfig(server.url, 'eu-west-1'));
  for (const g of ['/dq/a', '/dq/b']) await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
});
after(async () => {
  logs?.destroy();
  other?.destroy();
  await server?.stop();
  server?.cleanup();
});

async function complete(logGroupName: string, queryString: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { queryId } = await logs.send(new StartQueryCommand({ logGroupName, queryString, startTime: now - 3600, endTime: now }));
  for (let i = 0; i < 600; i++) {
    if ((await logs.send(new GetQueryResultsCommand({ queryId }))).status === 'Complete') return queryId!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('query did not finish');
}

test('DescribeQueries filters by log group, status and query language, and stays in its region', async () => {
  const a = await complete('/dq/a', 'fields @message | limit 1');
  const b = await complete('/dq/b', 'stats count(*)');
  const all = (await logs.send(new DescribeQueriesCommand({}))).queries!;
  assert.deepEqual(new Set(all.map((q) => q.queryId)), new Set([a, b]));
  for (const q of all) assert.equal(q.queryLanguage, 'CWLI');
  const onlyA = (await logs.send(new DescribeQueriesCommand({ logGroupName: '/dq/a' }))).queries!;
  assert.deepEqual(onlyA.map((q) => [q.queryId, q.logGroupName, q.queryString, q.status]), [[a, '/dq/a', 'fields @message | limit 1', 'Complete']]);
  assert.equal((await logs.send(new DescribeQueriesCommand({ status: 'Complete' }))).queries!.length, 2);
  assert.deepEqual((await logs.send(new DescribeQueriesCommand({ status: 'Running' }))).queries, []);
  assert.equal((await logs.send(new DescribeQueriesCommand({ queryLanguage: 'CWLI' }))).queries!.length, 2);
  assert.deepEqual((await logs.send(new DescribeQueriesCommand({ queryLanguage: 'SQL' }))).queries, []);
  assert.deepEqual((await logs.send(new DescribeQueriesCommand({ queryLanguage: 'PPL' }))).queries, []);
  assert.deepEqual((await other.send(new DescribeQueriesCommand({}))).queries, []);
});
