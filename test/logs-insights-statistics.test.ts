/**
 * GetQueryResults statistics as AWS documents them: recordsMatched is "the number of log events
 * that matched the query string" (QueryStatistics), reflecting "the full raw results of the query"
 * (GetQueryResults.statistics); with dedup the console shows "Showing X of Y records, where X is
 * the number of deduplicated results and Y is the total number of records matched before
 * deduplication" (CWL_QuerySyntax-Dedup) — Y being recordsMatched.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  GetQueryResultsCommand,
  PutLogEventsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;
const GROUP = '/stats/dedup';
const NOW = Date.now();
// 8 events: 6 with a user (alice ×3, bob ×2, carol ×1), 2 without.
const USERS = ['alice', 'bob', 'alice', 'carol', undefined, 'bob', 'alice', undefined];

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: 's' }));
  const logEvents = USERS.map((user, i) => ({ timestamp: NOW - 60_000 + i * 1000, message: JSON.stringify(user ? { user, i } : { i }) }));
  await logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: 's', logEvents }));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

async function run(queryString: string) {
  const { queryId } = await logs.send(new StartQueryCommand({
    logGroupName: GROUP, queryString, startTime: Math.floor((NOW - 3_600_000) / 1000), endTime: Math.floor((NOW + 60_000) / 1000),
  }));
  for (let i = 0; i < 600; i++) {
    const r = await logs.send(new GetQueryResultsCommand({ queryId }));
    if (r.status === 'Complete') return r;
    assert.ok(r.status === 'Running' || r.status === 'Scheduled', `status ${r.status}`);
    await new Promise((x) => setTimeout(x, 50));
  }
  throw new Error('query did not finish');
}

test('recordsMatched counts the events matched before dedup, not the deduplicated rows', async () => {
  const r = await run('fields user | filter ispresent(user) | sort @timestamp desc | dedup user');
  assert.equal(r.results?.length, 3, 'alice, bob, carol');
  assert.equal(r.statistics?.recordsMatched, 6);
  assert.equal(r.statistics?.recordsScanned, 8);
  assert.ok(r.statistics!.bytesScanned! > 0);
});

test('with dedup then limit, recordsMatched still counts before both', async () => {
  const r = await run('fields user | filter ispresent(user) | dedup user | limit 1');
  assert.equal(r.results?.length, 1);
  assert.equal(r.statistics?.recordsMatched, 6);
});

test('events without the dedup field are kept and counted once each', async () => {
  const r = await run('fields i | dedup user');
  assert.equal(r.results?.length, 5, '3 users + 2 events with no user');
  assert.equal(r.statistics?.recordsMatched, 8);
});
