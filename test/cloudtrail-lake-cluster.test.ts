/**
 * CloudTrail Lake on two nodes sharing one throwaway PostgreSQL, each with its own embedded
 * telemetry (lease 3 s). A store created on A sees the calls made on B since its creation, though
 * B's records are numbered in B's own sequence (far below A's); a query left running by a node
 * that is killed (-9) is failed by the survivor within about two lease periods, while a live
 * node's running query is left alone.
 */
import assert from 'node:assert/strict';
import { CloudTrailClient, CreateEventDataStoreCommand, DescribeQueryCommand, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { nodesOnPostgres } from './helpers/postgres-cluster.ts';
import { sdkConfig, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const LEASE_MS = 3000;
const { nodes, db, drop, test } = await nodesOnPostgres('the Lake cluster test', 2, { modules: ['logs', 'cloudtrail'], env: { OSPREY_LEASE_MS: String(LEASE_MS) } });

const nodeIdOf = async (n: TestServer): Promise<string> => until(`node ${n.child.pid}'s heartbeat`, async () =>
  (await db().query<{ node_id: string }>('SELECT node_id FROM cluster_nodes')).rows.map((r) => r.node_id).find((id) => id.split(':')[1] === String(n.child.pid)), 10_000);

test('a store created on A sees the calls made on B since then; A\'s running query fails when A is killed, B\'s is left alone', { timeout: 90_000 }, async () => {
  const [a, b] = nodes as [TestServer, TestServer];
  const logsA = new CloudWatchLogsClient(sdkConfig(a.url));
  const logsB = new CloudWatchLogsClient(sdkConfig(b.url));
  // A's sequence runs far ahead of B's.
  for (let i = 0; i < 30; i++) await logsA.send(new CreateLogGroupCommand({ logGroupName: `a-before-${i}` }));
  await logsB.send(new CreateLogGroupCommand({ logGroupName: 'b-before' }));
  const { EventDataStoreArn } = await new CloudTrailClient(sdkConfig(a.url)).send(new CreateEventDataStoreCommand({ Name: 'cluster-store', TerminationProtectionEnabled: false }));
  const storeId = EventDataStoreArn!.split('/').pop()!;
  await logsB.send(new CreateLogGroupCommand({ logGroupName: 'b-after' }));

  const ctB = new CloudTrailClient(sdkConfig(b.url));
  const groups = await until('B\'s call in the store', async () => {
    // B learns of A's new store from PostgreSQL's NOTIFY, a few ms after A answered (more on a
    // loaded machine): until then B answers as for an unknown store.
    const started = await ctB.send(new StartQueryCommand({
      QueryStatement: `SELECT element_at(requestParameters, 'logGroupName') AS g FROM ${storeId} WHERE eventName = 'CreateLogGroup'`,
    })).catch((e: Error) => {
      if (e.name === 'EventDataStoreNotFoundException') return undefined;
      throw e;
    });
    if (started === undefined) return undefined;
    const { QueryId } = started;
    const d = await until('the query to end', async () => {
      const q = await ctB.send(new DescribeQueryCommand({ QueryId }));
      return q.QueryStatus === 'QUEUED' || q.QueryStatus === 'RUNNING' ? undefined : q;
    }, 20_000);
    assert.equal(d.QueryStatus, 'FINISHED', d.ErrorMessage);
    const rows = (await ctB.send(new GetQueryResultsCommand({ QueryId }))).QueryResultRows ?? [];
    const names = rows.map((r) => Object.values(Object.assign({}, ...r) as Record<string, string>)[0]);
    return names.length > 0 ? names : undefined;
  }, 15_000);
  assert.deepEqual(groups, ['b-after'], 'B\'s calls since the creation, none from before');

  // Queries a node was running when it died (as rows: a real one would finish before the kill).
  const [idA, idB] = [await nodeIdOf(a), await nodeIdOf(b)];
  const arn = EventDataStoreArn!;
  const insert = (id: string, node: string) => db().query(
    `INSERT INTO cloudtrail_lake_queries (id, account, region, store_arn, statement, status, created, node) VALUES ($1, '000000000000', 'us-east-1', $2, 'SELECT 1', 'RUNNING', $3, $4)`,
    [id, arn, Date.now(), node]);
  await insert('11111111-0000-4000-8000-00000000000a', idA);
  await insert('11111111-0000-4000-8000-00000000000b', idB);
  await a.kill();
  const killedAt = Date.now();
  const status = async (id: string) => (await ctB.send(new DescribeQueryCommand({ QueryId: id })));
  const failed = await until('A\'s query to fail', async () => {
    const d = await status('11111111-0000-4000-8000-00000000000a');
    return d.QueryStatus === 'FAILED' ? d : undefined;
  }, 30_000);
  const after = Date.now() - killedAt;
  assert.match(failed.ErrorMessage ?? '', /interrupted/);
  assert.ok(after <= 2 * LEASE_MS + 6000, `failed ${after} ms after the kill`);
  assert.equal((await status('11111111-0000-4000-8000-00000000000b')).QueryStatus, 'RUNNING', 'a live node\'s query is its own to finish');
  drop(a);
});
