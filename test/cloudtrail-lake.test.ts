/**
 * CloudTrail Lake through the SDK: an event data store sees the management calls made after it
 * was created; SQL in Lake's dialect runs asynchronously (StartQuery → DescribeQuery →
 * GetQueryResults); unsupported or hostile statements are refused; other accounts see nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  CancelQueryCommand, CloudTrailClient, CreateEventDataStoreCommand, DeleteEventDataStoreCommand, DescribeQueryCommand,
  GetEventDataStoreCommand, GetQueryResultsCommand, ListEventDataStoresCommand, ListQueriesCommand, RestoreEventDataStoreCommand,
  StartQueryCommand, UpdateEventDataStoreCommand, type DescribeQueryCommandOutput,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let ct: CloudTrailClient;
let other: CloudTrailClient;

before(async () => {
  server = await startTestServer({
    modules: ['logs', 'cloudtrail'],
    env: {
      OSPREY_ACCESS_KEYS: JSON.stringify([
        { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' },
        { accessKeyId: 'OTHER', secretAccessKey: 'other', accountId: '111111111111' },
      ]),
    },
  });
  ct = new CloudTrailClient(sdkConfig(server.url));
  other = new CloudTrailClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'OTHER', secretAccessKey: 'other' } });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const createStore = async (name: string, client = ct, extra: object = {}) => {
  const out = await client.send(new CreateEventDataStoreCommand({ Name: name, TerminationProtectionEnabled: false, ...extra }));
  return { arn: out.EventDataStoreArn!, id: out.EventDataStoreArn!.split('/').pop()! };
};

async function finished(queryId: string, client = ct): Promise<DescribeQueryCommandOutput> {
  return until('the query to end', async () => {
    const d = await client.send(new DescribeQueryCommand({ QueryId: queryId }));
    return d.QueryStatus === 'QUEUED' || d.QueryStatus === 'RUNNING' ? undefined : d;
  }, 20_000);
}

const rowsOf = async (queryId: string, client = ct) =>
  ((await client.send(new GetQueryResultsCommand({ QueryId: queryId }))).QueryResultRows ?? [])
    .map((row) => Object.assign({}, ...row) as Record<string, string>);

const code = (name: string) => (e: unknown) => (e as { name: string }).name === name;

test('a default store sees the management calls made after its creation; grouped SQL over it', { timeout: 60_000 }, async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'before-the-store' }));
  const store = await createStore('default-store');
  const got = await ct.send(new GetEventDataStoreCommand({ EventDataStore: store.id }));
  assert.equal(got.Status, 'ENABLED');
  assert.equal(got.RetentionPeriod, 2557);
  assert.match(store.arn, /^arn:aws:cloudtrail:us-east-1:000000000000:eventdatastore\/[0-9a-f-]{36}$/);
  assert.deepEqual(got.AdvancedEventSelectors?.[0]?.FieldSelectors, [{ Field: 'eventCategory', Equals: ['Management'] }]);

  for (const name of ['lake-a', 'lake-b']) {
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
  }
  await logs.send(new DeleteLogGroupCommand({ logGroupName: 'lake-a' })).catch(() => undefined);

  const since = new Date(Date.now() - 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const { QueryId } = await ct.send(new StartQueryCommand({
    QueryStatement: `SELECT eventName, count(*) FROM ${store.id} WHERE eventTime > '${since}' AND eventSource = 'logs.amazonaws.com' GROUP BY eventName ORDER BY 2 DESC, 1`,
  }));
  const d = await finished(QueryId!);
  assert.equal(d.QueryStatus, 'FINISHED', d.ErrorMessage);
  // Three deletes (one failed), two creates; the group created before the store is not there.
  assert.deepEqual(await rowsOf(QueryId!), [{ eventName: 'DeleteLogGroup', _col1: '3' }, { eventName: 'CreateLogGroup', _col1: '2' }]);
  assert.equal(d.QueryStatistics?.EventsMatched, 5);
  assert.ok((d.QueryStatistics?.EventsScanned ?? 0) >= 5);
  assert.ok((d.QueryStatistics?.BytesScanned ?? 0) > 0);

  const byArn = await ct.send(new StartQueryCommand({
    QueryStatement: `SELECT element_at(requestParameters, 'logGroupName') AS grp, errorCode, userIdentity.arn FROM ${store.arn}
      WHERE eventName = 'DeleteLogGroup' AND errorCode IS NOT NULL`,
  }));
  assert.equal((await finished(byArn.QueryId!)).QueryStatus, 'FINISHED');
  const failed = await rowsOf(byArn.QueryId!);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.grp, 'lake-a');
  assert.equal(failed[0]!.errorCode, 'ResourceNotFoundException');
  assert.match(failed[0]!.arn!, /^arn:aws:iam::000000000000:/);

  const listed = await ct.send(new ListQueriesCommand({ EventDataStore: store.arn }));
  assert.deepEqual(new Set(listed.Queries?.map((q) => q.QueryId)), new Set([QueryId, byArn.QueryId]));
});

test('results page with MaxQueryResults and NextToken', { timeout: 60_000 }, async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const store = await createStore('paging-store');
  for (let i = 0; i < 5; i++) await logs.send(new CreateLogGroupCommand({ logGroupName: `page-${i}` }));
  const { QueryId } = await ct.send(new StartQueryCommand({
    QueryStatement: `SELECT element_at(requestParameters, 'logGroupName') FROM ${store.id} WHERE eventName = 'CreateLogGroup' ORDER BY 1 LIMIT 4`,
  }));
  await finished(QueryId!);
  const first = await ct.send(new GetQueryResultsCommand({ QueryId, MaxQueryResults: 3 }));
  assert.deepEqual(first.QueryResultRows, [[{ _col0: 'page-0' }], [{ _col0: 'page-1' }], [{ _col0: 'page-2' }]]);
  assert.equal(first.QueryStatistics?.TotalResultsCount, 4);
  const second = await ct.send(new GetQueryResultsCommand({ QueryId, MaxQueryResults: 3, NextToken: first.NextToken }));
  assert.deepEqual(second.QueryResultRows, [[{ _col0: 'page-3' }]]);
  assert.equal(second.NextToken, undefined);
});

test('a store selecting data events gets PutLogEvents records though no trail asks for them', { timeout: 60_000 }, async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'lake-data' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'lake-data', logStreamName: 's' }));
  await logs.send(new PutLogEventsCommand({ logGroupName: 'lake-data', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'before' }] }));
  const store = await createStore('data-store', ct, {
    AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::Logs::LogGroup'] }] }],
  });
  await logs.send(new PutLogEventsCommand({ logGroupName: 'lake-data', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'after' }] }));
  const rows = await until('the data event in the store', async () => {
    const { QueryId } = await ct.send(new StartQueryCommand({
      QueryStatement: `SELECT eventName, eventCategory, element_at(requestParameters, 'logGroupName') FROM ${store.id} WHERE eventSource = 'logs.amazonaws.com'`,
    }));
    await finished(QueryId!);
    const r = await rowsOf(QueryId!);
    return r.length > 0 ? r : undefined;
  }, 20_000);
  // Only the call made after the store existed; no management events (the store selects data only).
  assert.deepEqual(rows, [{ eventName: 'PutLogEvents', eventCategory: 'Data', _col2: 'lake-data' }]);
});

test('unsupported and hostile statements are refused before they run', async () => {
  const store = await createStore('hostile-store');
  const refused = [
    'SELECT * FROM system.tables',
    `SELECT eventName FROM ${store.id}; DROP TABLE trail_events`,
    `SELECT eventName FROM ${store.id} WHERE eventName IN (SELECT event_name FROM trail_events)`,
    `SELECT eventName FROM ${store.id} UNION ALL SELECT event_name FROM trail_events`,
    `SELECT record FROM ${store.id}`,
    `SELECT eventName FROM ${store.id} JOIN trail_events ON 1 = 1`,
    "SELECT * FROM file('/etc/passwd')",
    `SELECT sleep(3) FROM ${store.id}`,
    `DELETE FROM ${store.id}`,
  ];
  for (const sql of refused) {
    await assert.rejects(ct.send(new StartQueryCommand({ QueryStatement: sql })), code('InvalidQueryStatementException'), sql);
  }
  await assert.rejects(ct.send(new StartQueryCommand({ QueryStatement: `SELECT eventName FROM ${store.id} WHERE eventTime > 'yesterday'` })),
    (e: Error) => e.name === 'InvalidQueryStatementException' && /timestamp 'yesterday'/.test(e.message));
});

test('another account can neither see the stores nor read their events, even by naming its account', { timeout: 60_000 }, async () => {
  const mine = await createStore('private-store');
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'private-group' }));
  await assert.rejects(other.send(new GetEventDataStoreCommand({ EventDataStore: mine.arn })), code('EventDataStoreNotFoundException'));
  await assert.rejects(other.send(new StartQueryCommand({ QueryStatement: `SELECT count(*) FROM ${mine.id}` })), code('EventDataStoreNotFoundException'));
  await assert.rejects(other.send(new StartQueryCommand({ QueryStatement: `SELECT count(*) FROM ${mine.arn}` })), code('EventDataStoreNotFoundException'));
  const names = (await other.send(new ListEventDataStoresCommand({}))).EventDataStores?.map((s) => s.Name) ?? [];
  assert.ok(!names.includes('private-store'));

  const theirs = await createStore('their-store', other);
  const { QueryId } = await other.send(new StartQueryCommand({
    QueryStatement: `SELECT count(*) FROM ${theirs.id} WHERE recipientAccountId = '000000000000' OR userIdentity.accountId = '000000000000' OR eventName = 'CreateLogGroup'`,
  }));
  assert.equal((await finished(QueryId!, other)).QueryStatus, 'FINISHED');
  assert.deepEqual(await rowsOf(QueryId!, other), [{ _col0: '0' }]);
  await assert.rejects(ct.send(new DescribeQueryCommand({ QueryId })), code('QueryIdNotFoundException'));
});

test('store lifecycle: validation, limits, termination protection, pending deletion and restore', async () => {
  await assert.rejects(ct.send(new CreateEventDataStoreCommand({ Name: 'bad-retention', RetentionPeriod: 5 })), code('InvalidParameterException'));
  await assert.rejects(ct.send(new CreateEventDataStoreCommand({ Name: 'org', OrganizationEnabled: true })), code('OrganizationsNotInUseException'));
  await assert.rejects(ct.send(new CreateEventDataStoreCommand({
    Name: 'bad-selectors', AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventName', Equals: ['X'] }] }],
  })), code('InvalidEventSelectorsException'));
  const protectedStore = (await ct.send(new CreateEventDataStoreCommand({ Name: 'protected', RetentionPeriod: 30 }))).EventDataStoreArn!;
  await assert.rejects(ct.send(new CreateEventDataStoreCommand({ Name: 'protected' })), code('EventDataStoreAlreadyExistsException'));
  await assert.rejects(ct.send(new DeleteEventDataStoreCommand({ EventDataStore: protectedStore })), code('EventDataStoreTerminationProtectedException'));
  const updated = await ct.send(new UpdateEventDataStoreCommand({ EventDataStore: protectedStore, TerminationProtectionEnabled: false, RetentionPeriod: 90 }));
  assert.equal(updated.RetentionPeriod, 90);
  await ct.send(new DeleteEventDataStoreCommand({ EventDataStore: protectedStore }));
  assert.equal((await ct.send(new GetEventDataStoreCommand({ EventDataStore: protectedStore }))).Status, 'PENDING_DELETION');
  await assert.rejects(ct.send(new StartQueryCommand({ QueryStatement: `SELECT count(*) FROM ${protectedStore}` })), code('InactiveEventDataStoreException'));
  assert.equal((await ct.send(new RestoreEventDataStoreCommand({ EventDataStore: protectedStore }))).Status, 'ENABLED');

  const count = (await ct.send(new ListEventDataStoresCommand({}))).EventDataStores!.length;
  for (let i = count; i < 10; i++) await createStore(`filler-${i}`);
  await assert.rejects(createStore('one-too-many'), code('EventDataStoreMaxLimitExceededException'));
  await assert.rejects(ct.send(new GetEventDataStoreCommand({ EventDataStore: '00000000-0000-4000-8000-000000000000' })), code('EventDataStoreNotFoundException'));
  await assert.rejects(ct.send(new CancelQueryCommand({ QueryId: '00000000-0000-4000-8000-000000000000' })), code('QueryIdNotFoundException'));
});
