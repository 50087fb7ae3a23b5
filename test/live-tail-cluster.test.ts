/**
 * Live Tail on two nodes sharing one throwaway PostgreSQL, each with its own embedded telemetry: a
 * session on node B receives the matching events that clients put on node A (relayed through the
 * metadata store, services/logs/live-tail-relay.ts) as well as B's own, in one stream, each once;
 * when the session ends, its announcement is withdrawn.
 */
import assert from 'node:assert/strict';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, StartLiveTailCommand } from '@aws-sdk/client-cloudwatch-logs';
import { nodesOnPostgres } from './helpers/postgres-cluster.ts';
import { sdkConfig } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const { nodes, db, test } = await nodesOnPostgres('the Live Tail cluster test', 2, { modules: ['logs'] });

test('a session on node B streams the events put on node A and on B, each once; its announcement goes when it ends', { timeout: 60_000 }, async () => {
  const [a, b] = [nodes[0]!, nodes[1]!];
  const [logsA, logsB] = [new CloudWatchLogsClient(sdkConfig(a.url)), new CloudWatchLogsClient(sdkConfig(b.url))];
  const tailB = new CloudWatchLogsClient({ ...sdkConfig(b.url), disableHostPrefix: true });
  await logsA.send(new CreateLogGroupCommand({ logGroupName: '/cluster/tail' }));
  for (const c of [logsA, logsB]) await c.send(new CreateLogStreamCommand({ logGroupName: '/cluster/tail', logStreamName: `s-${c === logsA ? 'a' : 'b'}` }));
  await logsA.send(new CreateLogGroupCommand({ logGroupName: '/cluster/other' }));
  await logsA.send(new CreateLogStreamCommand({ logGroupName: '/cluster/other', logStreamName: 's-a' }));

  const abort = new AbortController();
  const res = await tailB.send(new StartLiveTailCommand({ logGroupIdentifiers: ['/cluster/tail'], logEventFilterPattern: 'ERROR' }), { abortSignal: abort.signal });
  const seen: { message: string; stream: string; at: number }[] = [];
  const sent = new Map<string, number>();
  const N = 20;
  let putter: Promise<void> | undefined;
  for await (const ev of res.responseStream!) {
    if (ev.sessionStart) {
      putter = (async () => {
        for (let i = 0; i < N; i++) {
          const [client, stream] = i % 4 === 3 ? [logsB, 's-b'] : [logsA, 's-a'];
          const now = Date.now();
          await client.send(new PutLogEventsCommand({ logGroupName: '/cluster/tail', logStreamName: stream, logEvents: [
            { timestamp: now, message: `ERROR ${i}` }, { timestamp: now, message: `INFO ${i}` },
          ] }));
          sent.set(`ERROR ${i}`, Date.now());
          await logsA.send(new PutLogEventsCommand({ logGroupName: '/cluster/other', logStreamName: 's-a', logEvents: [{ timestamp: now, message: `ERROR other ${i}` }] }));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
    }
    for (const r of ev.sessionUpdate?.sessionResults ?? []) seen.push({ message: r.message!, stream: r.logStreamName!, at: Date.now() });
    if (seen.length >= N) {
      await putter;
      // One more update: nothing arrives twice, nothing from the other group.
      if (seen.length > N || ev.sessionUpdate?.sessionResults?.length === 0) break;
    }
  }
  abort.abort();
  assert.deepEqual(seen.map((s) => s.message).sort(), [...Array(N).keys()].map((i) => `ERROR ${i}`).sort());
  assert.equal(seen.filter((s) => s.stream === 's-a').length, 15, 'the events put on node A');
  const delays = seen.map((s) => s.at - sent.get(s.message)!).sort((x, y) => x - y);
  console.log(`# put answered → in B's stream: p50 ${delays[Math.floor(N / 2)]} ms, max ${delays[N - 1]} ms (updates every 1 s)`);
  assert.ok(delays[N - 1]! < 3000, `every event within 3 s (max ${delays[N - 1]} ms)`);
  await until('the session withdrawn', async () => Number((await db().query('SELECT count(*) AS n FROM logs_tail_sessions')).rows[0].n) === 0 || undefined, 10_000);
});
