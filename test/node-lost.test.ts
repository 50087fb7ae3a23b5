/**
 * OSPREY_NODE_LOST on a real cluster: two nodes on one throwaway PostgreSQL with a 3 s lease; the
 * node holding the `health.cluster` lease is killed (-9). The survivor takes the lease over, reports
 * the lost node through AWS Health (SDK v3 DescribeEvents / DescribeEventDetails) with the leases it
 * held, sends the open and closed "AWS Health Event"s to an EventBridge rule, and closes the incident
 * once the lost node's lease is its own. A node that stops cleanly leaves no heartbeat behind.
 */
import assert from 'node:assert/strict';
import { DescribeEventDetailsCommand, DescribeEventsCommand, HealthClient, type Event } from '@aws-sdk/client-health';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { nodesOnPostgres } from './helpers/postgres-cluster.ts';
import { ACCOUNT } from './helpers/accounts.ts';
import { sdkConfig, type TestServer } from './helpers/server.ts';
import { receiveMessages } from './helpers/sqs.ts';
import { until } from './helpers/until.ts';

const LEASE_MS = 3000;
const NODE_LOST = 'OSPREY_NODE_LOST';
const { nodes, db, drop, test } = await nodesOnPostgres('the node-lost test', 2, {
  modules: ['health', 'events', 'sqs'], env: { OSPREY_LEASE_MS: String(LEASE_MS), OSPREY_HEALTH_INTERVAL_MS: '200', OSPREY_DELIVERY_POLL_MS: '200' },
});

const ownerOf = async (lease: string): Promise<string | undefined> =>
  (await db().query<{ owner: string }>('SELECT owner FROM leases WHERE name = $1 AND expires_at > $2', [lease, Date.now()])).rows[0]?.owner;
const nodeOf = (id: string): TestServer | undefined => nodes.find((n) => n.child.pid === Number(id.split(':')[1]));

test('kill -9 of a node: the survivor reports it lost through AWS Health and EventBridge, then closes it once its lease is taken over', { timeout: 90_000 }, async () => {
  const beating = await until('both nodes beating', async () => {
    const rows = (await db().query<{ node_id: string }>('SELECT node_id FROM cluster_nodes')).rows;
    return rows.length === 2 ? rows.map((r) => r.node_id) : undefined;
  }, 10_000);
  const holder = await until('a health.cluster lease holder', () => ownerOf('health.cluster'), 10_000);
  assert.ok(beating.includes(holder));
  const victim = nodeOf(holder)!;
  const survivor = nodes.find((n) => n !== victim)!;
  const sqs = new SQSClient(sdkConfig(survivor.url));
  const eb = new EventBridgeClient(sdkConfig(survivor.url));
  const qArn = `arn:aws:sqs:us-east-1:${ACCOUNT}:node-lost-events`;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'node-lost-events', Attributes: { Policy: JSON.stringify({
    Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: qArn }],
  }) } }));
  await eb.send(new PutRuleCommand({ Name: 'node-lost', EventPattern: JSON.stringify({ source: ['aws.health'], detail: { eventTypeCode: [NODE_LOST] } }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'node-lost', Targets: [{ Id: 'q', Arn: qArn }] }));

  await victim.kill();
  const killedAt = Date.now();
  const health = new HealthClient(sdkConfig(survivor.url));
  const lostEvents = async (): Promise<Event[]> => (await health.send(new DescribeEventsCommand({ filter: { eventTypeCodes: [NODE_LOST] } }))).events ?? [];
  const opened = await until('an open OSPREY_NODE_LOST event', async () => (await lostEvents()).find((e) => e.statusCode === 'open'), 4 * LEASE_MS);
  const openedAfter = Date.now() - killedAt;
  assert.ok(openedAfter <= LEASE_MS + 2500, `reported ${openedAfter} ms after the kill (lease ${LEASE_MS} ms)`);
  const { successfulSet } = await health.send(new DescribeEventDetailsCommand({ eventArns: [opened.arn!] }));
  const description = successfulSet![0]!.eventDescription!.latestDescription!;
  assert.match(description, new RegExp(`^Osprey node ${holder.replace(/[.]/g, '\\.')} \\(started .*\\) was last seen at `));
  assert.match(description, /It held the leases health\.cluster;/);
  assert.equal(successfulSet![0]!.event!.service, 'OSPREY');

  const closed = await until('the incident closed', async () => (await lostEvents()).find((e) => e.arn === opened.arn && e.statusCode === 'closed'), 6 * LEASE_MS);
  const closedAfter = Date.now() - killedAt;
  assert.equal((await lostEvents()).length, 1, 'one incident for one lost node');
  assert.ok(closed.endTime! > closed.startTime!);
  assert.equal(await ownerOf('health.cluster'), (await db().query<{ node_id: string }>('SELECT node_id FROM cluster_nodes')).rows[0]?.node_id,
    'the survivor holds the lease, and the lost node was forgotten');
  console.log(`# node lost: reported ${openedAfter} ms, closed ${closedAfter} ms after kill -9 (lease ${LEASE_MS} ms)`);

  const messages = await receiveMessages(sqs, QueueUrl!, 2);
  const details = messages.map((m) => (JSON.parse(m.Body!) as { 'detail-type': string; resources: string[]; detail: { statusCode: string; eventArn: string } }));
  assert.deepEqual(details.map((d) => d.detail.statusCode).sort(), ['closed', 'open']);
  assert.ok(details.every((d) => d['detail-type'] === 'AWS Health Event' && d.detail.eventArn === opened.arn && d.resources[0] === `node/${holder}`));

  drop(victim);
  // A clean stop is not a loss: the row goes with the node.
  await survivor.stop();
  assert.equal((await db().query('SELECT 1 FROM cluster_nodes')).rowCount, 0);
});
